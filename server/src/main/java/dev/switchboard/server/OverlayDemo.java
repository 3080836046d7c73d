package dev.switchboard.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.hostnet.ExecResult;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard demo examples/two-hosts}: an example directory with {@code tenants.yaml} beside its
 * {@code controller.yaml} is a multi-host overlay. Two hypervisors (namespaces with their own OVS, set up by
 * {@code vagrant/provision/hypervisor.sh}), managed by the controller over OVSDB in passive mode, tenant hosts behind
 * them; it pings within each tenant (through the VXLAN tunnel) and across tenants (which must fail), shows the
 * underlay's VXLAN, and removes it all on Ctrl-C (or at once with {@code --once}).
 */
final class OverlayDemo {
    static final String TENANTS_FILE = "tenants.yaml";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String PREFIX = "sbd";

    /** {@code tenants.yaml}. */
    record TenantsFile(List<HypervisorNetwork.Tenant> tenants) {
    }

    private final PrintStream out;
    private final Path example;
    private final int openflowPort;

    OverlayDemo(PrintStream out, Path example, int openflowPort) {
        this.out = out;
        this.example = example;
        this.openflowPort = openflowPort;
    }

    static boolean isOverlayExample(Path example) {
        return example != null && Files.isRegularFile(example.resolve(TENANTS_FILE));
    }

    int run(boolean once) throws Exception {
        SwitchboardConfig config = SwitchboardConfig.load(example.resolve("controller.yaml"));
        if (config.ovsdb().overlay() == null) {
            throw new UserFacingException(example.resolve("controller.yaml") + ": an overlay example needs ovsdb.overlay");
        }
        List<HypervisorNetwork.Tenant> tenants;
        try {
            tenants = new ObjectMapper(new YAMLFactory()).readValue(example.resolve(TENANTS_FILE).toFile(), TenantsFile.class).tenants();
        } catch (IOException e) {
            throw new UserFacingException(example.resolve(TENANTS_FILE) + ": " + e.getMessage(), e);
        }
        Path script = Path.of(System.getProperty("switchboard.home", "."), "vagrant/provision/hypervisor.sh");
        HypervisorNetwork hosts = HypervisorNetwork.create(PREFIX, config.ovsdb().overlay(), tenants, script);
        Switchboard[] running = new Switchboard[1];
        Runnable teardown = () -> {
            synchronized (running) {
                if (running[0] != null) {
                    running[0].close();
                    running[0] = null;
                }
                hosts.close();
            }
        };
        Thread hook = new Thread(teardown, "overlay-demo-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int managerPort = freePort();
            List<InetSocketAddress> listen = new ArrayList<>(List.of(new InetSocketAddress("127.0.0.1", openflowPort)));
            List<String> managers = new ArrayList<>();
            for (InetAddress address : hosts.controllerAddresses()) {
                listen.add(new InetSocketAddress(address, openflowPort));
                managers.add("ptcp:" + managerPort + ":" + address.getHostAddress());
            }
            running[0] = Switchboard.start(ControllerConfig.builder().listen(listen).build(), config.ovsdb().withListen(managers),
                    List.copyOf(config.apps().keySet()), config::appConfig);
            out.println("Controller: OpenFlow on port " + openflowPort + ", OVSDB managers welcome on " + managers
                    + " (apps: " + String.join(", ", running[0].apps()) + ")");
            for (String hv : hosts.hypervisorNames()) {
                out.println("=== " + hv + ": hypervisor.sh --name " + hv + " --manager tcp:" + hosts.controllerAddress(hv).getHostAddress()
                        + ":" + managerPort + " --datapath netdev --run-dir … --underlay " + hosts.underlay(hv)
                        + " (in netns " + hosts.namespace(hv) + ")");
                hosts.startHypervisor(hv, managerPort);
            }
            for (String hv : hosts.hypervisorNames()) {
                hosts.plugTenants(hv, PATIENCE);
            }
            awaitSwitches(running[0], 2 * config.ovsdb().overlay().networks().size());
            out.println();
            out.println("ovs-vsctl show of hv1 (bridges and tunnels made by the controller from controller.yaml):");
            hosts.vsctl(hosts.hypervisorNames().get(0), "show").lines().forEach(line -> out.println("  " + line));
            boolean passed = pings(hosts);
            out.println();
            out.println("Look for yourself (while the demo runs):");
            for (String hv : hosts.hypervisorNames()) {
                out.println("  ovs-vsctl --db=" + hosts.dbTarget(hv) + " show");
                out.println("  ovs-ofctl -O OpenFlow13 dump-flows " + hosts.mgmtTarget(hv, "br-int"));
            }
            out.println("  ip netns exec " + hosts.namespace("hv1") + " tcpdump -n -i " + hosts.underlay("hv1") + " udp port 4789");
            out.println("  ip netns exec " + hosts.namespace(tenants.get(0).name()) + " ping 10.0.0.2");
            if (once) {
                out.println(passed ? "Demo check passed; tearing down." : "Demo check FAILED; tearing down.");
                return passed ? 0 : 1;
            }
            out.println();
            out.println("Press Ctrl-C to stop; the hypervisors and tenants are removed then.");
            new CountDownLatch(1).await();
            return 0;
        } finally {
            teardown.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran: teardown is idempotent
            }
        }
    }

    private void awaitSwitches(Switchboard switchboard, int wanted) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (switchboard.controller().switches().switches().stream().filter(switchboard::serves).count() < wanted) {
            if (Instant.now().isAfter(deadline)) {
                throw new UserFacingException("the hypervisors' " + wanted + " bridges did not connect to the controller within "
                        + PATIENCE.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
        out.println("All " + wanted + " bridges connected over OpenFlow.");
    }

    /** Every tenant pings every other: those of its network must answer (through the tunnel), the others must not. */
    private boolean pings(HypervisorNetwork hosts) throws Exception {
        List<HypervisorNetwork.Tenant> tenants = hosts.tenants();
        String hv1 = hosts.hypervisorNames().get(0);
        Process tcpdump = new ProcessBuilder("ip", "netns", "exec", hosts.namespace(hv1), "tcpdump", "-l", "-n", "-c", "4",
                "-i", hosts.underlay(hv1), "udp", "port", "4789").redirectErrorStream(true).start();
        boolean passed = true;
        out.println();
        for (HypervisorNetwork.Tenant from : tenants) {
            for (HypervisorNetwork.Tenant to : tenants) {
                if (from == to || from.hypervisor().equals(to.hypervisor())) {
                    continue;
                }
                String address = to.address().substring(0, to.address().indexOf('/'));
                boolean same = from.network().equals(to.network());
                ExecResult ping = hosts.exec(from.name(), Duration.ofSeconds(20), "ping", "-c", "2", "-W", "2", address);
                // across networks the same address is the other tenant's own host: what answers must be of our network
                String neighbour = hosts.exec(from.name(), Duration.ofSeconds(5), "ip", "neigh", "show", address).stdout();
                String theirMac = hosts.exec(to.name(), Duration.ofSeconds(5), "cat",
                        "/sys/class/net/" + hosts.tenantInterface(to.name()) + "/address").stdout().strip();
                boolean reached = ping.succeeded() && neighbour.contains(theirMac);
                boolean ok = same == reached;
                passed &= ok;
                out.printf("  %-5s -> %-5s (%s, %s): %s%n", from.name(), to.name(), address,
                        same ? "same tenant" : "other tenant", ok ? (same ? "reached" : "not reached, as it must be") : "WRONG");
            }
        }
        boolean captured = tcpdump.waitFor(5, TimeUnit.SECONDS);
        if (!captured) {
            tcpdump.destroy();
        }
        out.println("Underlay capture on " + hv1 + " (" + hosts.underlay(hv1) + ", udp port 4789):");
        new String(tcpdump.getInputStream().readAllBytes()).lines().filter(line -> line.contains("VXLAN") || line.contains("ICMP")
                || line.contains("ARP")).forEach(line -> out.println("  " + line));
        return passed;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
