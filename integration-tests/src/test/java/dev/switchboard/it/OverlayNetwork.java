package dev.switchboard.it;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.server.HypervisorNetwork;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two hypervisors (namespaces with their own OVS, started by {@code vagrant/provision/hypervisor.sh}) managed by a
 * Switchboard in this JVM over OVSDB, passively, with two tenants' networks across a VXLAN overlay: red (br-int,
 * VNI 100) and blue (br-blue, VNI 200), the same subnet each, one host of each on each hypervisor, and a second red one on hv1.
 */
final class OverlayNetwork implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final String OVERLAY = """
            ovsdb:
              overlay:
                hosts: [{name: hv1, tunnelIp: 192.168.77.1}, {name: hv2, tunnelIp: 192.168.77.2}]
                networks:
                  - {bridge: br-int, vni: 100, protocols: [OpenFlow13]}
                  - {bridge: br-blue, vni: 200, protocols: [OpenFlow13]}
            """;
    static final List<HypervisorNetwork.Tenant> TENANTS = List.of(
            new HypervisorNetwork.Tenant("red1", "hv1", "br-int", "10.0.0.1/24", null),
            new HypervisorNetwork.Tenant("red2", "hv2", "br-int", "10.0.0.2/24", null),
            new HypervisorNetwork.Tenant("red3", "hv1", "br-int", "10.0.0.3/24", null),
            new HypervisorNetwork.Tenant("blu1", "hv1", "br-blue", "10.0.0.1/24", null),
            new HypervisorNetwork.Tenant("blu2", "hv2", "br-blue", "10.0.0.2/24", null));

    final HypervisorNetwork hosts;
    final SwitchboardConfig config;
    final int openflowPort = freePort();
    final int managerPort = freePort();
    Switchboard switchboard;

    OverlayNetwork(String yaml) throws Exception {
        this(yaml, TENANTS);
    }

    OverlayNetwork(String yaml, List<HypervisorNetwork.Tenant> tenants) throws Exception {
        config = TestSetup.config(yaml);
        hosts = HypervisorNetwork.create(RunNames.PREFIX, config.ovsdb().overlay(), tenants,
                ROOT.resolve("vagrant/provision/hypervisor.sh"));
    }

    /**
     * Starts the controller with these apps, listening on the hypervisors' management links; its REST API on a free
     * port of the loopback ({@code switchboard.rest().orElseThrow().port()}), whatever the YAML says.
     */
    void startController(List<String> apps) {
        List<InetSocketAddress> listen = new ArrayList<>(List.of(new InetSocketAddress("127.0.0.1", openflowPort)));
        List<String> managers = new ArrayList<>();
        for (InetAddress address : hosts.controllerAddresses()) {
            listen.add(new InetSocketAddress(address, openflowPort));
            managers.add("ptcp:" + managerPort + ":" + address.getHostAddress());
        }
        switchboard = Switchboard.start(ControllerConfig.builder().listen(listen).build(),
                config.ovsdb().withListen(managers), apps, config::appConfig,
                config.rest().restConfig().withPort(0)); // a free port: never another run's, nor a service's on 8080
    }

    void stopController() {
        if (switchboard != null) {
            switchboard.close();
            switchboard = null;
        }
    }

    /** {@link #startController} then {@link #startHypervisors}; on a failure, everything started is closed again. */
    void start(List<String> apps) throws InterruptedException {
        try {
            startController(apps);
            startHypervisors();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Runs hypervisor.sh for every hypervisor and plugs the tenants once their bridges are there. */
    void startHypervisors() throws InterruptedException {
        for (String hv : hosts.hypervisorNames()) {
            hosts.startHypervisor(hv, managerPort);
        }
        for (String hv : hosts.hypervisorNames()) {
            hosts.plugTenants(hv, PATIENCE);
        }
    }

    ExecResult ping(String from, String to) {
        return hosts.exec(from, Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "2", to);
    }

    /** The MAC of the tenant's interface. */
    String mac(String tenant) {
        return hosts.exec(tenant, Duration.ofSeconds(10), "cat", "/sys/class/net/" + hosts.tenantInterface(tenant) + "/address")
                .stdout().strip();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            stopController();
        } finally {
            hosts.close();
        }
    }
}
