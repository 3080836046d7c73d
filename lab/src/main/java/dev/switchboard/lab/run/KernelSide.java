package dev.switchboard.lab.run;

import dev.switchboard.hostnet.BridgeSpec;
import dev.switchboard.hostnet.Cidr;
import dev.switchboard.hostnet.Changes;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.hostnet.Link;
import dev.switchboard.hostnet.Netns;
import dev.switchboard.hostnet.Route;
import dev.switchboard.hostnet.TapSpec;
import dev.switchboard.hostnet.VethSpec;
import dev.switchboard.lab.spec.Host;
import dev.switchboard.lab.spec.LabNames;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.LinkKind;
import dev.switchboard.lab.spec.LinuxBridge;
import dev.switchboard.lab.spec.NodeRole;
import dev.switchboard.lab.spec.OvsSwitch;
import dev.switchboard.lab.spec.Port;
import dev.switchboard.lab.spec.Switch;
import dev.switchboard.lab.spec.Tap;
import dev.switchboard.lab.spec.TapMode;
import dev.switchboard.lab.spec.Wire;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The kernel half of {@code lab up}: reads what exists (the root namespace, the namespace of the
 * OVS's ovs-vswitchd where OVS switch ports live, and every host namespace that exists already), records in the lab's state every object it is about to
 * make, and makes what is missing or wrong in one hostnet batch: namespaces, Linux bridges,
 * veth pairs with their addresses, bridge ports and shaping, TAP devices, default gateways
 * and routes. A host interface gets a MAC derived from its names ({@link #mac}), so one made
 * again is the same to its neighbours. What is as specified is left alone, so a second run changes nothing, and a
 * run after an object was deleted by hand makes just that object (and what died with it)
 * again. It never removes anything that is not the lab's own.
 */
final class KernelSide {
    /** How many host namespaces are read at once. */
    private static final int READERS = 8;

    private final HostNetwork net;
    private final LabSpec spec;
    private final LabNames names;
    private final LabState state;
    /** Where OVS switch ports live: the namespace of the OVS's ovs-vswitchd (the root one for the host's OVS). */
    private final Netns ovsPorts;
    private final Set<String> madeSwitchDevices = new HashSet<>();
    /** The links in {@link #ovsPorts} as read at the start of {@link #converge}. */
    private Map<String, Link> ovsPortLinks = Map.of();

    /**
     * @param ovsPorts the namespace OVS switch ports (veth ends, taps) are made in, so that the OVS's userspace
     *                 datapath can open them: {@link LabOvs#portNamespace()}; Linux bridge ports stay in the root namespace
     */
    KernelSide(HostNetwork net, LabSpec spec, LabState state, Netns ovsPorts) {
        this.net = net;
        this.spec = spec;
        this.names = spec.names();
        this.state = state;
        this.ovsPorts = ovsPorts;
    }

    /** What a host namespace that existed before this run holds. */
    private record HostView(Map<String, Link> links, Map<String, List<Cidr>> addresses,
            List<Route> routes) {
    }

    /**
     * Brings the kernel side to the spec.
     *
     * @return the devices of switch ports (veth ends, taps) made in this run:
     *         an OVS port on a device made again must be added again, since ovs-vswitchd keeps
     *         reading the device that was deleted
     */
    Set<String> converge(PrintStream progress, LabProgress steps) {
        Set<String> namespaces = new HashSet<>(net.namespaces());
        Map<String, Link> root = byName(net.links(Netns.ROOT));
        ovsPortLinks = ovsPorts.isRoot() ? root
                : namespaces.contains(ovsPorts.name().orElseThrow()) ? byName(net.links(ovsPorts)) : Map.of();
        Map<String, HostView> hosts = readHosts(namespaces);
        List<LabState.Entry> intents = new ArrayList<>();
        Changes changes = net.changes();

        for (Host host : spec.hosts()) {
            String ns = names.namespace(host.name());
            if (!namespaces.contains(ns)) {
                intents.add(new LabState.Entry(LabState.Kind.NAMESPACE, ns));
                changes.createNamespace(ns);
            }
        }
        for (Switch sw : spec.switches()) {
            if (sw instanceof LinuxBridge bridge) {
                String name = names.bridge(bridge.name());
                Link existing = root.get(name);
                if (existing == null) {
                    intents.add(new LabState.Entry(LabState.Kind.LINUX_BRIDGE, name));
                    changes.createBridge(BridgeSpec.builder(name).stp(bridge.stp()).build());
                } else if (!existing.up()) {
                    changes.setUp(Netns.ROOT, name);
                }
            }
        }
        for (Wire wire : spec.wiring()) {
            if (wire.link().kind() == LinkKind.VETH) {
                veth(wire, root, hosts, intents, changes);
            }
        }
        Map<String, Port> tapPorts = spec.tapPorts();
        for (Tap tap : spec.taps()) {
            tap(tap, Optional.ofNullable(tapPorts.get(tap.name())), root, intents, changes);
        }
        for (Host host : spec.hosts()) {
            routes(host, Optional.ofNullable(hosts.get(names.namespace(host.name()))), changes);
        }
        if (!changes.isEmpty()) {
            state.intendAll(intents);
            progress.printf("  kernel: %d changes%n", changes.size());
            // one batch, all or nothing: done as a whole
            steps.start("  kernel", changes.size());
            changes.apply();
            steps.advance(changes.size());
        }
        for (Host host : spec.hosts()) {
            if (host.forwarding()) {
                enableForwarding(host);
            }
        }
        return Set.copyOf(madeSwitchDevices);
    }

    private Map<String, HostView> readHosts(Set<String> namespaces) {
        List<Host> existing = spec.hosts().stream().filter(h -> namespaces.contains(names.namespace(h.name()))).toList();
        Map<String, HostView> out = new HashMap<>();
        if (existing.isEmpty()) {
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(READERS, existing.size()));
        try {
            Map<String, Future<HostView>> reads = new HashMap<>();
            for (Host host : existing) {
                reads.put(names.namespace(host.name()), pool.submit(() -> readHost(host)));
            }
            for (Map.Entry<String, Future<HostView>> read : reads.entrySet()) {
                out.put(read.getKey(), read.getValue().get());
            }
            return out;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the lab's namespaces", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private HostView readHost(Host host) {
        Netns ns = Netns.named(names.namespace(host.name()));
        Map<String, Link> links = byName(net.links(ns));
        Map<String, List<Cidr>> addresses = new HashMap<>();
        for (Port port : spec.portsOf(host.name())) {
            if (port.role() == NodeRole.HOST && !port.addresses().isEmpty() && links.containsKey(port.name())) {
                addresses.put(port.name(), net.addresses(ns, port.name()));
            }
        }
        boolean routed = host.gateway().isPresent() || !host.routes().isEmpty();
        return new HostView(links, addresses, routed ? net.routes(ns) : List.of());
    }

    /** One end of a veth: where it lives and what it is called there. */
    private record End(Port port, Netns ns, String device) {
    }

    private End end(Port port) {
        if (port.role() == NodeRole.HOST) {
            return new End(port, Netns.named(names.namespace(port.node())), port.name());
        }
        return new End(port, isOvs(port.node()) ? ovsPorts : Netns.ROOT, port.rootName());
    }

    private Optional<Link> find(End end, Map<String, Link> root, Map<String, HostView> hosts) {
        if (end.ns().isRoot()) {
            return Optional.ofNullable(root.get(end.device()));
        }
        if (end.ns().equals(ovsPorts)) {
            return Optional.ofNullable(ovsPortLinks.get(end.device()));
        }
        HostView host = hosts.get(end.ns().name().orElseThrow());
        return host == null ? Optional.empty() : Optional.ofNullable(host.links().get(end.device()));
    }

    private void veth(Wire wire, Map<String, Link> root, Map<String, HostView> hosts, List<LabState.Entry> intents,
            Changes changes) {
        End a = end(wire.a());
        End b = end(wire.b());
        Optional<Link> linkA = find(a, root, hosts);
        Optional<Link> linkB = find(b, root, hosts);
        if (linkA.isPresent() && linkB.isPresent()) {
            for (End end : List.of(a, b)) {
                repair(end, end == a ? linkA.get() : linkB.get(), hosts, changes);
            }
            return;
        }
        // One end without the other is not a pair of this lab's (a veth's ends die together): replace it.
        linkA.ifPresent(link -> changes.deleteLink(a.ns(), a.device()));
        linkB.ifPresent(link -> changes.deleteLink(b.ns(), b.device()));
        for (End end : List.of(a, b)) {
            if (end.ns().isRoot()) {
                intents.add(new LabState.Entry(LabState.Kind.VETH, end.device()));
            }
        }
        VethSpec.Builder veth = VethSpec.builder(a.device(), b.device()).namespace(a.ns()).peerNamespace(b.ns());
        wire.link().mtu().ifPresent(veth::mtu);
        if (a.port().role() == NodeRole.HOST) {
            veth.mac(mac(names.lab(), a.port()));
        }
        if (b.port().role() == NodeRole.HOST) {
            veth.peerMac(mac(names.lab(), b.port()));
        }
        changes.createVeth(veth.build());
        for (End end : List.of(a, b)) {
            for (Cidr address : end.port().addresses()) {
                changes.addAddress(end.ns(), end.device(), address);
            }
            if (end.port().role() == NodeRole.SWITCH) {
                madeSwitchDevices.add(end.device());
                if (isLinuxBridge(end.port().node())) {
                    changes.enslave(Netns.ROOT, end.device(), names.bridge(end.port().node()));
                }
            }
            wire.link().shaping().ifPresent(shaping -> changes.shape(end.ns(), end.device(), shaping));
        }
    }

    /** An existing veth end: up, on its bridge, with its addresses. */
    private void repair(End end, Link link, Map<String, HostView> hosts, Changes changes) {
        if (!link.up()) {
            changes.setUp(end.ns(), end.device());
        }
        Port port = end.port();
        if (port.role() == NodeRole.SWITCH && isLinuxBridge(port.node())) {
            String bridge = names.bridge(port.node());
            if (!link.master().equals(Optional.of(bridge))) {
                changes.enslave(Netns.ROOT, end.device(), bridge);
            }
        }
        if (port.role() == NodeRole.HOST && !port.addresses().isEmpty()) {
            List<Cidr> present = hosts.get(end.ns().name().orElseThrow()).addresses()
                    .getOrDefault(end.device(), List.of());
            for (Cidr wanted : port.addresses()) {
                if (!present.contains(wanted)) {
                    changes.addAddress(end.ns(), end.device(), wanted);
                }
            }
        }
    }

    private void tap(Tap tap, Optional<Port> port, Map<String, Link> root, List<LabState.Entry> intents, Changes changes) {
        String device = names.tap(tap.name());
        Optional<String> linuxBridge = tap.bridge().filter(this::isLinuxBridge).map(names::bridge);
        // a tap on an OVS switch is where that OVS's datapath opens it; a program attaches to it from there
        Netns ns = port.filter(p -> isOvs(p.node())).map(p -> ovsPorts).orElse(Netns.ROOT);
        Link existing = (ns.isRoot() ? root : ovsPortLinks).get(device);
        if (existing == null) {
            intents.add(new LabState.Entry(LabState.Kind.TAP, device));
            TapSpec.Builder builder = TapSpec.builder(device).namespace(ns)
                    .mode(tap.mode() == TapMode.TUN ? TapSpec.Mode.TUN : TapSpec.Mode.TAP);
            tap.owner().ifPresent(builder::owner);
            tap.group().ifPresent(builder::group);
            changes.createTap(builder.build());
            linuxBridge.ifPresent(bridge -> changes.enslave(Netns.ROOT, device, bridge));
            port.ifPresent(p -> madeSwitchDevices.add(device));
            return;
        }
        if (!existing.up()) {
            changes.setUp(ns, device);
        }
        linuxBridge.filter(bridge -> !existing.master().equals(Optional.of(bridge)))
                .ifPresent(bridge -> changes.enslave(Netns.ROOT, device, bridge));
    }

    /**
     * OVS's userspace datapath forwards what a veth hands it with the checksum still left to
     * offload, so TCP between hosts on an OVS switch stalls (ping does not). Host interfaces
     * wired to an OVS switch therefore compute their own checksums ({@code ethtool -K tx off}),
     * a few at a time since each is a process. Idempotent, so it runs on every up; the runner
     * runs it while OVS adds the switch ports, after {@link #converge} made the interfaces.
     */
    void computeChecksumsTowardsOvs() {
        StringBuilder script = new StringBuilder("set -e\n");
        for (Wire wire : spec.wiring()) {
            if (wire.link().kind() != LinkKind.VETH) {
                continue;
            }
            if (wire.a().role() == NodeRole.HOST && isOvs(wire.b().node())) {
                checksumsOff(script, wire.a());
            }
            if (wire.b().role() == NodeRole.HOST && isOvs(wire.a().node())) {
                checksumsOff(script, wire.b());
            }
        }
        if (script.length() == "set -e\n".length()) {
            return;
        }
        // one shell for all of them: a process each from Java cost a lab of 64 hosts 0.3 s
        dev.switchboard.hostnet.ExecResult result = net.exec(Netns.ROOT, List.of("sh", "-c", script.toString()),
                java.time.Duration.ofSeconds(60));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("cannot turn checksum offload off on the lab's host interfaces"
                    + " (is ethtool installed?): " + result.stderr().strip());
        }
    }

    /** {@code nsenter --net} rather than {@code ip netns exec}: ethtool needs only the network namespace. */
    private void checksumsOff(StringBuilder script, Port port) {
        script.append("nsenter --net='/run/netns/").append(names.namespace(port.node())).append("' ethtool -K '")
                .append(port.name()).append("' tx off >/dev/null\n");
    }

    private boolean isOvs(String node) {
        return spec.findSwitch(node).filter(OvsSwitch.class::isInstance).isPresent();
    }

    /** A namespace starts with forwarding off; sysctl is idempotent, so this runs on every up. */
    private void enableForwarding(Host host) {
        Netns ns = Netns.named(names.namespace(host.name()));
        var result = net.exec(ns, List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1",
                "net.ipv6.conf.all.forwarding=1"), java.time.Duration.ofSeconds(10));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("host " + host.name() + ": cannot turn forwarding on: " + result.stderr().strip());
        }
    }

    /** The host's gateway and routes that are missing. In a namespace made in this run, all of them. */
    private void routes(Host host, Optional<HostView> view, Changes changes) {
        Netns ns = Netns.named(names.namespace(host.name()));
        List<Route> present = view.map(HostView::routes).orElse(List.of());
        host.gateway().ifPresent(gateway -> {
            Route wanted = Route.defaultVia(gateway);
            if (present.stream().noneMatch(r -> r.destination().equals(wanted.destination())
                    && r.gateway().equals(wanted.gateway()))) {
                changes.setDefaultGateway(ns, gateway);
            }
        });
        for (Route wanted : host.routes()) {
            if (present.stream().noneMatch(r -> r.destination().equals(wanted.destination())
                    && r.gateway().equals(wanted.gateway()))) {
                changes.addRoute(ns, wanted);
            }
        }
    }

    /**
     * The MAC of a host interface: locally administered, derived from the lab, host and
     * interface names, so that an interface made again (after a repair) has the MAC its
     * neighbours have cached, and pings work again at once.
     */
    static String mac(String lab, Port port) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest((lab + "/" + port.node() + "/" + port.name())
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        StringBuilder mac = new StringBuilder("02");
        for (int i = 0; i < 5; i++) {
            mac.append(':').append(HexFormat.of().toHexDigits(hash[i]));
        }
        return mac.toString();
    }

    private boolean isLinuxBridge(String switchName) {
        return spec.findSwitch(switchName).filter(LinuxBridge.class::isInstance).isPresent();
    }

    private static Map<String, Link> byName(List<Link> links) {
        return links.stream().collect(Collectors.toMap(Link::name, Function.identity(), (x, y) -> x));
    }
}
