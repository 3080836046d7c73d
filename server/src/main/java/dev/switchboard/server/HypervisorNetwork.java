package dev.switchboard.server;

import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.OvsNamespace;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hypervisors on one machine, as {@code examples/two-hosts} builds them: each a network namespace with an uplink to
 * the root namespace ({@link OvsNamespace}: the management link, where the controller listens) running its own
 * {@code ovsdb-server} and {@code ovs-vswitchd} (userspace datapath), started by {@code vagrant/provision/hypervisor.sh}
 * as a Vagrant VM starts its own. Two hypervisors are joined by an underlay veth pair holding their tunnel addresses
 * (the overlay hosts' {@code tunnelIp}, /24). Tenant hosts are namespaces joined by a veth pair to their hypervisor,
 * whose end the hypervisor plugs into the network's bridge once the controller made it, as a compute agent plugs a VM.
 *
 * <p>Every name starts with the prefix given, so runs never collide and leftovers are told apart. {@link #close()}
 * stops the daemons and deletes every namespace, also after a half-finished {@link #create}. Blocking: call off any
 * event loop.
 */
public final class HypervisorNetwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HypervisorNetwork.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * A tenant host.
     *
     * @param name       its name (the namespace is the prefix and this)
     * @param hypervisor the overlay host it runs on
     * @param network    the bridge of its network on that host
     * @param address    its IPv4 address with prefix length, 10.0.0.1/24
     * @param gateway    its default gateway, or null
     */
    public record Tenant(String name, String hypervisor, String network, String address, String gateway) {
    }

    /** One hypervisor: its namespace, OVS run directory and underlay interface (inside the namespace). */
    private record Hypervisor(String name, OvsNamespace namespace, Path runDirectory, String underlay, String tunnelIp) {
    }

    private final String prefix;
    private final Path script;
    private final Map<String, Hypervisor> hypervisors = new LinkedHashMap<>();
    private final Map<String, Tenant> tenants = new LinkedHashMap<>();
    private final List<String> tenantNamespaces = new ArrayList<>();
    private boolean closed;

    private HypervisorNetwork(String prefix, Path script) {
        this.prefix = prefix;
        this.script = script;
    }

    /**
     * Creates the namespaces and links (no OVS yet: {@link #startHypervisor}).
     *
     * @param prefix a short per-run prefix, letters and digits (names are the kernel's 15 characters at most)
     * @param script {@code vagrant/provision/hypervisor.sh}
     * @throws IllegalArgumentException if the overlay has not exactly two hosts, or a name is too long
     */
    public static HypervisorNetwork create(String prefix, SwitchboardConfig.Overlay overlay, List<Tenant> tenants, Path script) {
        if (overlay.hosts().size() != 2) {
            throw new IllegalArgumentException("the two-hosts example joins exactly two hypervisors by one underlay link, not "
                    + overlay.hosts().size());
        }
        if (!Files.isReadable(script)) {
            throw new IllegalArgumentException("cannot read the hypervisor set-up script " + script);
        }
        HypervisorNetwork network = new HypervisorNetwork(prefix, script);
        try {
            network.build(overlay, tenants);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    private void build(SwitchboardConfig.Overlay overlay, List<Tenant> wanted) {
        int index = 1;
        for (SwitchboardConfig.OverlayHost host : overlay.hosts()) {
            OvsNamespace namespace = OvsNamespace.named(name(host.name()));
            Path dir = Path.of("/tmp", prefix + "-" + host.name());
            hypervisors.put(host.name(), new Hypervisor(host.name(), namespace, dir, name("u" + index++), host.tunnelIp()));
            namespace.create();
        }
        List<Hypervisor> both = List.copyOf(hypervisors.values());
        ip("link", "add", both.get(0).underlay(), "type", "veth", "peer", "name", both.get(1).underlay());
        for (Hypervisor hv : both) {
            hv.namespace().moveIn(hv.underlay());
            ip("-n", hv.namespace().name(), "addr", "add", hv.tunnelIp() + "/24", "dev", hv.underlay());
        }
        for (Tenant tenant : wanted) {
            Hypervisor hv = hypervisor(tenant.hypervisor());
            String namespace = name(tenant.name());
            String inside = name(tenant.name() + "i");
            String port = name(tenant.name() + "p");
            ip("netns", "add", namespace);
            tenantNamespaces.add(namespace);
            tenants.put(tenant.name(), tenant);
            ip("link", "add", inside, "type", "veth", "peer", "name", port);
            ip("link", "set", inside, "netns", namespace);
            ip("-n", namespace, "link", "set", "lo", "up");
            ip("-n", namespace, "addr", "add", tenant.address(), "dev", inside);
            // room for the 50 bytes VXLAN adds on the 1500-byte underlay
            ip("-n", namespace, "link", "set", inside, "mtu", "1450", "up");
            // the userspace datapath fills in no checksum a veth left to offload: the host computes its own
            Commands.check(List.of("ip", "netns", "exec", namespace, "ethtool", "-K", inside, "tx", "off"), Map.of(), TIMEOUT);
            if (tenant.gateway() != null) {
                ip("-n", namespace, "route", "add", "default", "via", tenant.gateway());
            }
            hv.namespace().moveIn(port);
        }
    }

    /** The prefix and {@code suffix}: a kernel name. */
    public String name(String suffix) {
        String name = prefix + suffix;
        if (name.length() > 14) {
            throw new IllegalArgumentException("'" + name + "' is too long for an interface or namespace name here (14)");
        }
        return name;
    }

    /** Where the controller listens for {@code hypervisor}: the root end of its management link. */
    public InetAddress controllerAddress(String hypervisor) {
        Hypervisor hv = hypervisor(hypervisor);
        return hv.namespace().controllerAddress().orElseThrow(() -> new IllegalStateException(
                "the management link of " + hv.namespace() + " is gone"));
    }

    /** Every hypervisor's {@link #controllerAddress}, in the overlay's order. */
    public List<InetAddress> controllerAddresses() {
        return hypervisors.keySet().stream().map(this::controllerAddress).toList();
    }

    public List<String> hypervisorNames() {
        return List.copyOf(hypervisors.keySet());
    }

    public List<Tenant> tenants() {
        return List.copyOf(tenants.values());
    }

    /**
     * Runs {@code hypervisor.sh} in the hypervisor's namespace: it starts that host's OVS (or, after a crash, starts
     * it again on the same database) and points its manager at {@code tcp:CONTROLLER-ADDRESS:managerPort}.
     */
    public void startHypervisor(String hypervisor, int managerPort) {
        Hypervisor hv = hypervisor(hypervisor);
        List<String> command = hv.namespace().inside(List.of("bash", script.toString(), "--name", hv.name(),
                "--manager", "tcp:" + controllerAddress(hypervisor).getHostAddress() + ":" + managerPort,
                "--datapath", "netdev", "--run-dir", hv.runDirectory().toString(), "--underlay", hv.underlay()));
        Commands.check(command, Map.of(), TIMEOUT);
    }

    /** Kills the hypervisor's {@code ovsdb-server} and {@code ovs-vswitchd} with SIGKILL, as a crash would. */
    public void killHypervisor(String hypervisor) throws InterruptedException {
        Hypervisor hv = hypervisor(hypervisor);
        List<Long> pids = PrivateOvs.attach(hv.runDirectory()).map(PrivateOvs::pids).orElse(List.of());
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        Instant deadline = Instant.now().plusSeconds(10);
        for (long pid : pids) {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("OVS process " + pid + " of " + hypervisor + " survived SIGKILL");
                }
                Thread.sleep(50);
            }
        }
        log.info("Hypervisor {}: OVS killed (pids {})", hypervisor, pids);
    }

    /**
     * Deletes the database of a hypervisor whose OVS is stopped, as a reinstalled host has none: the next
     * {@link #startHypervisor} creates an empty one, and the controller its bridges and tunnels.
     *
     * @throws IllegalStateException if its OVS runs
     */
    public void forgetDatabase(String hypervisor) {
        if (isRunning(hypervisor)) {
            throw new IllegalStateException("the OVS of " + hypervisor + " runs; stop it before deleting its database");
        }
        try {
            Files.deleteIfExists(hypervisor(hypervisor).runDirectory().resolve("conf.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the hypervisor's two OVS daemons run. */
    public boolean isRunning(String hypervisor) {
        return PrivateOvs.attach(hypervisor(hypervisor).runDirectory()).map(PrivateOvs::isRunning).orElse(false);
    }

    /**
     * Plugs each tenant of {@code hypervisor} into its network's bridge, waiting for the controller to have made the
     * bridge. Harmless when plugged already.
     *
     * @throws IllegalStateException if a bridge does not appear within {@code patience}
     */
    public void plugTenants(String hypervisor, Duration patience) throws InterruptedException {
        for (Tenant tenant : tenants.values()) {
            if (!tenant.hypervisor().equals(hypervisor)) {
                continue;
            }
            awaitBridge(hypervisor, tenant.network(), patience);
            vsctl(hypervisor, "--may-exist", "add-port", tenant.network(), name(tenant.name() + "p"));
        }
    }

    /** Waits until the controller created {@code bridge} on {@code hypervisor}. */
    public void awaitBridge(String hypervisor, String bridge, Duration patience) throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        while (!vsctlResult(hypervisor, "br-exists", bridge).succeeded()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the controller did not create bridge " + bridge + " on " + hypervisor
                        + " within " + patience.toSeconds() + " s (is its manager connected? ovs-vsctl --db="
                        + dbTarget(hypervisor) + " show)");
            }
            Thread.sleep(200);
        }
    }

    /** {@code unix:DIR/db.sock} of the hypervisor's OVS. */
    public String dbTarget(String hypervisor) {
        return "unix:" + hypervisor(hypervisor).runDirectory().resolve("db.sock");
    }

    /** {@code unix:DIR/BRIDGE.mgmt}: the bridge's OpenFlow management socket, for {@code ovs-ofctl}. */
    public String mgmtTarget(String hypervisor, String bridge) {
        return "unix:" + hypervisor(hypervisor).runDirectory().resolve(bridge + ".mgmt");
    }

    /** The namespace of a hypervisor or a tenant. */
    public String namespace(String hostOrHypervisor) {
        Hypervisor hv = hypervisors.get(hostOrHypervisor);
        if (hv != null) {
            return hv.namespace().name();
        }
        if (!tenants.containsKey(hostOrHypervisor)) {
            throw new IllegalArgumentException("no hypervisor or tenant named " + hostOrHypervisor);
        }
        return name(hostOrHypervisor);
    }

    /** The underlay interface in the hypervisor's namespace (where a capture sees the tunnels' UDP). */
    public String underlay(String hypervisor) {
        return hypervisor(hypervisor).underlay();
    }

    /** The tenant's interface inside its namespace. */
    public String tenantInterface(String tenant) {
        namespace(tenant);
        return name(tenant + "i");
    }

    /** Runs {@code command} in the namespace of a hypervisor or a tenant. */
    public ExecResult exec(String hostOrHypervisor, Duration timeout, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(hostOrHypervisor)));
        full.addAll(List.of(command));
        return Commands.run(full, Map.of(), timeout);
    }

    /** {@code ovs-vsctl ARGS} on the hypervisor's database; its output, trimmed. */
    public String vsctl(String hypervisor, String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=" + dbTarget(hypervisor), "--timeout=10"));
        command.addAll(List.of(args));
        return Commands.check(command, Map.of(), TIMEOUT).strip();
    }

    private ExecResult vsctlResult(String hypervisor, String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=" + dbTarget(hypervisor), "--timeout=5"));
        command.addAll(List.of(args));
        return Commands.run(command, Map.of(), TIMEOUT);
    }

    /** {@code ovs-ofctl -O OpenFlow13 dump-flows} of the bridge on the hypervisor. */
    public String dumpFlows(String hypervisor, String bridge) {
        return dumpFlows(hypervisor, bridge, "OpenFlow13");
    }

    /**
     * {@code ovs-ofctl -O PROTOCOL dump-flows} of the bridge on the hypervisor: a bridge whose {@code protocols} leave
     * out the one asked for refuses the connection, so a bridge limited to OpenFlow10 is dumped with that.
     *
     * @param protocol OVS's name of a version the bridge speaks, {@code OpenFlow10} … {@code OpenFlow15}
     */
    public String dumpFlows(String hypervisor, String bridge, String protocol) {
        return Commands.check(List.of("ovs-ofctl", "-O", protocol, "dump-flows", mgmtTarget(hypervisor, bridge)),
                Map.of(), TIMEOUT);
    }

    private Hypervisor hypervisor(String name) {
        Hypervisor hv = hypervisors.get(name);
        if (hv == null) {
            throw new IllegalArgumentException("no hypervisor named " + name + " (the overlay's hosts: " + hypervisors.keySet() + ")");
        }
        return hv;
    }

    /** Stops every hypervisor's OVS and deletes every namespace and run directory. Idempotent, best effort. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Hypervisor hv : hypervisors.values()) {
            try {
                // the daemons' files are a private OVS's: it stops them (exit --cleanup, else SIGKILL) and deletes the directory
                PrivateOvs.attach(hv.runDirectory()).ifPresentOrElse(PrivateOvs::close, () -> deleteDirectory(hv.runDirectory()));
            } catch (RuntimeException e) {
                log.warn("Stopping the OVS of hypervisor {} failed: {}", hv.name(), e.getMessage());
            }
            hv.namespace().delete();
        }
        for (String namespace : tenantNamespaces) {
            Commands.run(List.of("ip", "netns", "del", namespace), Map.of(), TIMEOUT);
        }
    }

    private static void deleteDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Commands.check(command, Map.of(), TIMEOUT);
    }

    /** A tenant by name, for the example's checks. */
    public Optional<Tenant> tenant(String name) {
        return Optional.ofNullable(tenants.get(name));
    }
}
