package dev.switchboard.lab.run;

import dev.switchboard.hostnet.Changes;
import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.hostnet.KernelFeature;
import dev.switchboard.hostnet.Link;
import dev.switchboard.hostnet.Netns;
import dev.switchboard.hostnet.VethSpec;
import dev.switchboard.lab.spec.Host;
import dev.switchboard.lab.spec.KernelNeed;
import dev.switchboard.lab.spec.LabNames;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.LabSpecs;
import dev.switchboard.lab.spec.LinkKind;
import dev.switchboard.lab.spec.LinuxBridge;
import dev.switchboard.lab.spec.NodeRole;
import dev.switchboard.lab.spec.OpenFlowVersion;
import dev.switchboard.lab.spec.OvsSwitch;
import dev.switchboard.lab.spec.Port;
import dev.switchboard.lab.spec.Route;
import dev.switchboard.lab.spec.Switch;
import dev.switchboard.lab.spec.Topologies;
import dev.switchboard.lab.spec.Wire;
import dev.switchboard.ovsdb.vswitch.ApplyOptions;
import dev.switchboard.ovsdb.vswitch.BridgeSpec;
import dev.switchboard.ovsdb.vswitch.Change;
import dev.switchboard.ovsdb.vswitch.ChangeResult;
import dev.switchboard.ovsdb.vswitch.InterfaceType;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import dev.switchboard.ovsdb.vswitch.PortSpec;
import dev.switchboard.ovsdb.vswitch.VSwitchException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Brings labs up and down. {@code up} converges: what exists already is left as it is, what
 * is missing is made, so running it again is harmless. Every object is written to the lab's
 * {@link LabState} before it is made, so {@code down} removes exactly what the lab made, also
 * after a {@code kill -9} in the middle of {@code up}. Blocking: run it off event loops.
 */
public final class LabRunner {
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);

    private final HostNetwork net;
    private final PrintStream progress;

    public LabRunner(HostNetwork net, PrintStream progress) {
        this.net = net;
        this.progress = progress;
    }

    /** The spec a source names: {@code topo:NAME} or YAML text; with the controller applied. */
    public static LabSpec specOf(String source, String lab, String controller) {
        LabSpec spec = source.startsWith("topo:")
                ? Topologies.parse(source.substring("topo:".length()), lab == null ? Topologies.DEFAULT_LAB_NAME : lab)
                : LabSpecs.parse(source);
        if (lab != null && !lab.equals(spec.name())) {
            spec = spec.withName(lab);
        }
        return controller == null ? spec : spec.withController(controller);
    }

    // ---- up

    public void up(LabSpec spec, String source, String controller) {
        checkKernel(spec);
        LabNames names = spec.names();
        boolean needsOvs = spec.switches().stream().anyMatch(OvsSwitch.class::isInstance);
        LabOvs ovs = needsOvs ? LabOvs.open() : null;
        try {
            LabState state = LabState.read(spec.name()).orElseGet(() -> LabState.create(spec.name(), source, controller,
                    ovs == null ? null : ovs.db(), ovs != null && ovs.isPrivate()));
            progress.printf("lab %s: %d hosts, %d switches, %d links%s%n", spec.name(), spec.hosts().size(),
                    spec.switches().size(), spec.links().size(), ovs == null ? "" : " (OVS: " + ovs.db() + ")");
            bringUpKernelSide(spec, names, state);
            if (ovs != null) {
                bringUpOvs(spec, names, state, ovs.vswitch());
            }
            progress.printf("lab %s is up%n", spec.name());
        } finally {
            if (ovs != null) {
                ovs.close();
            }
        }
    }

    private void checkKernel(LabSpec spec) {
        Set<KernelNeed> needs = spec.kernelNeeds();
        if (needs.contains(KernelNeed.NETEM)) {
            net.kernelFeatures().require(KernelFeature.NETEM);
        }
        if (needs.contains(KernelNeed.HTB)) {
            net.kernelFeatures().require(KernelFeature.HTB);
        }
    }

    private void bringUpKernelSide(LabSpec spec, LabNames names, LabState state) {
        Set<String> namespaces = new HashSet<>(net.namespaces());
        Set<String> rootLinks = net.links(Netns.ROOT).stream().map(Link::name).collect(Collectors.toSet());
        Changes changes = net.changes();
        for (Host host : spec.hosts()) {
            String ns = names.namespace(host.name());
            if (!namespaces.contains(ns)) {
                state.intend(LabState.Kind.NAMESPACE, ns);
                changes.createNamespace(ns);
            }
        }
        for (Switch sw : spec.switches()) {
            if (sw instanceof LinuxBridge bridge && !rootLinks.contains(names.bridge(bridge.name()))) {
                state.intend(LabState.Kind.LINUX_BRIDGE, names.bridge(bridge.name()));
                changes.createBridge(dev.switchboard.hostnet.BridgeSpec.builder(names.bridge(bridge.name()))
                        .stp(bridge.stp()).build());
            }
        }
        for (Wire wire : spec.wiring()) {
            if (wire.link().kind() == LinkKind.PATCH) {
                continue;
            }
            addVeth(spec, names, state, changes, wire, namespaces, rootLinks);
        }
        for (Host host : spec.hosts()) {
            Netns ns = Netns.named(names.namespace(host.name()));
            boolean fresh = !namespaces.contains(names.namespace(host.name()));
            host.gateway().ifPresent(gateway -> changes.setDefaultGateway(ns, gateway));
            for (Route route : host.routes()) {
                if (fresh) {
                    changes.addRoute(ns, dev.switchboard.hostnet.Route.to(cidr(route.to())).via(route.via()));
                }
            }
        }
        if (!changes.isEmpty()) {
            progress.printf("  kernel: %d changes%n", changes.size());
            changes.apply();
        }
    }

    private void addVeth(LabSpec spec, LabNames names, LabState state, Changes changes, Wire wire,
            Set<String> namespaces, Set<String> rootLinks) {
        Port a = wire.a();
        Port b = wire.b();
        Netns nsA = namespaceOf(names, a);
        Netns nsB = namespaceOf(names, b);
        String nameA = a.role() == NodeRole.HOST ? a.name() : a.rootName();
        String nameB = b.role() == NodeRole.HOST ? b.name() : b.rootName();
        if (exists(nsA, nameA, namespaces, rootLinks, names, a)) {
            return;
        }
        if (nsA.isRoot()) {
            state.intend(LabState.Kind.VETH, nameA);
        } else if (nsB.isRoot()) {
            state.intend(LabState.Kind.VETH, nameB);
        }
        VethSpec.Builder veth = VethSpec.builder(nameA, nameB).namespace(nsA).peerNamespace(nsB);
        wire.link().mtu().ifPresent(veth::mtu);
        changes.createVeth(veth.build());
        for (Port port : List.of(a, b)) {
            Netns ns = namespaceOf(names, port);
            String device = port.role() == NodeRole.HOST ? port.name() : port.rootName();
            for (var address : port.addresses()) {
                changes.addAddress(ns, device, cidr(address));
            }
            if (port.role() == NodeRole.SWITCH && spec.findSwitch(port.node()).orElseThrow() instanceof LinuxBridge) {
                changes.enslave(Netns.ROOT, device, names.bridge(port.node()));
            }
            if (!wire.link().shaping().isNone()) {
                changes.shape(ns, device, shaping(wire.link().shaping()));
            }
        }
    }

    private boolean exists(Netns ns, String device, Set<String> namespaces, Set<String> rootLinks, LabNames names, Port port) {
        if (ns.isRoot()) {
            return rootLinks.contains(device);
        }
        String name = names.namespace(port.node());
        return namespaces.contains(name) && net.link(ns, device).isPresent();
    }

    private static Netns namespaceOf(LabNames names, Port port) {
        return port.role() == NodeRole.HOST ? Netns.named(names.namespace(port.node())) : Netns.ROOT;
    }

    private void bringUpOvs(LabSpec spec, LabNames names, LabState state, OpenVSwitch vswitch) {
        List<Change> changes = new ArrayList<>();
        for (Switch sw : spec.switches()) {
            if (!(sw instanceof OvsSwitch ovs)) {
                continue;
            }
            String bridge = names.bridge(ovs.name());
            state.intend(LabState.Kind.OVS_BRIDGE, bridge);
            BridgeSpec bridgeSpec = BridgeSpec.named(bridge).withDatapathType("netdev")
                    .withFailMode(ovs.effectiveFailMode().name().toLowerCase())
                    .withProtocols(ovs.protocols().stream().map(OpenFlowVersion::text).collect(Collectors.toSet()))
                    .withExternalIds(Map.of("switchboard-lab", spec.name()));
            Map<String, String> otherConfig = new LinkedHashMap<>();
            ovs.datapathIdHex().ifPresent(dpid -> otherConfig.put("datapath-id", dpid));
            bridgeSpec = bridgeSpec.withOtherConfig(otherConfig);
            changes.add(vswitch.bridge(bridge).isPresent() ? new Change.ConfigureBridge(bridgeSpec)
                    : new Change.AddBridge(bridgeSpec, true));
            changes.add(new Change.SetControllers(bridge, ovs.controller().map(c -> List.of(c.toString())).orElse(List.of())));
        }
        for (Wire wire : spec.wiring()) {
            for (Port port : List.of(wire.a(), wire.b())) {
                if (port.role() != NodeRole.SWITCH || !(spec.findSwitch(port.node()).orElseThrow() instanceof OvsSwitch)) {
                    continue;
                }
                String bridge = names.bridge(port.node());
                PortSpec portSpec = wire.link().kind() == LinkKind.PATCH
                        ? PortSpec.patch(bridge, port.rootName(), (port == wire.a() ? wire.b() : wire.a()).rootName())
                        : PortSpec.of(bridge, port.rootName(), InterfaceType.SYSTEM);
                portSpec = portSpec.withOptions(portSpec.options());
                changes.add(new Change.AddPort(portSpec, true));
            }
        }
        ChangeResult result = vswitch.applyNow(changes, ApplyOptions.DEFAULT);
        if (!result.interfaceErrors().isEmpty()) {
            throw new VSwitchException("OVS could not set up " + result.interfaceErrors());
        }
        progress.printf("  ovs: %d bridges, %d ports added%n", result.bridges().size(), result.ports().size());
    }

    private static dev.switchboard.hostnet.Cidr cidr(dev.switchboard.lab.spec.Cidr cidr) {
        return dev.switchboard.hostnet.Cidr.parse(cidr.toString());
    }

    private static dev.switchboard.hostnet.Shaping shaping(dev.switchboard.lab.spec.Shaping shaping) {
        dev.switchboard.hostnet.Shaping.Builder builder = dev.switchboard.hostnet.Shaping.builder();
        shaping.rate().ifPresent(rate -> builder.rateBitsPerSecond(rate.bitsPerSecond()));
        shaping.delay().ifPresent(builder::delay);
        shaping.loss().ifPresent(builder::lossPercent);
        return builder.build();
    }

    // ---- down

    /** Removes everything the lab made; returns false when there was no such lab. */
    public boolean down(String lab) {
        LabNames names = LabNames.of(lab);
        Optional<LabState> state = LabState.read(lab);
        Set<String> bridges = new HashSet<>();
        Set<String> namespaces = new HashSet<>();
        Set<String> links = new HashSet<>();
        state.ifPresent(s -> s.contents().objects().forEach(entry -> {
            switch (entry.kind()) {
                case OVS_BRIDGE -> bridges.add(entry.name());
                case NAMESPACE -> namespaces.add(entry.name());
                default -> links.add(entry.name());
            }
        }));
        if (state.isPresent() && state.get().contents().ovsDb() != null) {
            LabState.Contents contents = state.get().contents();
            LabOvs.reopen(contents.ovsDb(), contents.privateOvs()).ifPresent(ovs -> {
                try (ovs) {
                    OpenVSwitch vswitch = ovs.vswitch();
                    vswitch.bridges().stream().map(b -> b.name()).filter(names::owns).forEach(bridges::add);
                    List<Change> deletions = bridges.stream().map(b -> (Change) new Change.DeleteBridge(b, true)).toList();
                    vswitch.applyNow(deletions, ApplyOptions.DEFAULT);
                }
            });
        }
        Set<String> existingNamespaces = new HashSet<>(net.namespaces());
        existingNamespaces.stream().filter(names::owns).forEach(namespaces::add);
        Map<String, Link> rootLinks = net.links(Netns.ROOT).stream().collect(Collectors.toMap(Link::name, l -> l, (x, y) -> x));
        rootLinks.keySet().stream().filter(names::owns).filter(name -> !bridges.contains(name)).forEach(links::add);
        boolean found = state.isPresent() || !namespaces.isEmpty() || !links.isEmpty();
        // root-side ends first: deleting one removes its peer in a namespace at once, whereas a
        // deleted namespace's veths vanish from the root namespace only a moment later
        Changes changes = net.changes();
        Set<String> goneWithPeer = new HashSet<>();
        for (String name : links.stream().filter(rootLinks::containsKey).sorted().toList()) {
            if (goneWithPeer.add(name)) {
                changes.deleteLink(Netns.ROOT, name);
                rootLinks.get(name).peer().ifPresent(goneWithPeer::add);
            }
        }
        namespaces.stream().filter(existingNamespaces::contains).sorted().forEach(changes::deleteNamespace);
        if (!changes.isEmpty()) {
            changes.apply();
        }
        state.ifPresent(LabState::delete);
        if (state.map(s -> s.contents().privateOvs()).orElse(false)) {
            LabOvs.stopPrivateIfUnused();
        }
        if (found) {
            progress.printf("lab %s is down (%d namespaces, %d links, %d OVS bridges removed)%n", lab,
                    namespaces.size(), links.size(), bridges.size());
        }
        return found;
    }

    // ---- status, ping, exec

    /** What the lab should have and whether it is there; one line each. */
    public List<String> status(String lab) {
        LabState state = LabState.read(lab).orElseThrow(() -> new IllegalArgumentException("no lab named " + lab));
        LabSpec spec = specOf(state.contents().source(), lab, state.contents().controller());
        LabNames names = spec.names();
        Set<String> namespaces = new HashSet<>(net.namespaces());
        Map<String, Link> rootLinks = net.links(Netns.ROOT).stream().collect(Collectors.toMap(Link::name, l -> l, (x, y) -> x));
        List<String> lines = new ArrayList<>();
        for (Host host : spec.hosts()) {
            String ns = names.namespace(host.name());
            lines.add(line("host", host.name(), "namespace " + ns, namespaces.contains(ns) ? "ok" : "MISSING"));
        }
        Optional<LabOvs> ovs = state.contents().ovsDb() == null ? Optional.empty()
                : LabOvs.reopen(state.contents().ovsDb(), state.contents().privateOvs());
        try {
            for (Switch sw : spec.switches()) {
                String bridge = names.bridge(sw.name());
                String found;
                if (sw instanceof OvsSwitch) {
                    found = ovs.map(o -> o.vswitch().bridge(bridge).map(b -> "ok" + b.controllers().stream()
                            .map(c -> ", controller " + c.target() + (c.connected() ? " connected" : " not connected"))
                            .collect(Collectors.joining())).orElse("MISSING")).orElse("OVS NOT RUNNING");
                } else {
                    Link link = rootLinks.get(bridge);
                    found = link == null ? "MISSING" : link.up() ? "ok" : "DOWN";
                }
                lines.add(line("switch", sw.name(), sw.kind().toString().toLowerCase() + " " + bridge, found));
            }
        } finally {
            ovs.ifPresent(LabOvs::close);
        }
        for (Wire wire : spec.wiring()) {
            String device = wire.a().role() == NodeRole.SWITCH ? wire.a().rootName()
                    : wire.b().role() == NodeRole.SWITCH ? wire.b().rootName() : null;
            String found = device == null ? "(between namespaces)"
                    : wire.link().kind() == LinkKind.PATCH ? "(OVS patch)"
                    : rootLinks.containsKey(device) ? (rootLinks.get(device).up() ? "ok" : "DOWN") : "MISSING";
            lines.add(line("link", wire.a().label() + " <-> " + wire.b().label(), device == null ? "" : device, found));
        }
        return lines;
    }

    private static String line(String kind, String what, String object, String state) {
        return String.format("%-6s %-24s %-22s %s", kind, what, object, state);
    }

    /** All pairs of hosts, as Mininet's pingall; the report's {@code failed()} tells whether any pair failed. */
    public PingReport ping(String lab) {
        LabState state = LabState.read(lab).orElseThrow(() -> new IllegalArgumentException("no lab named " + lab));
        LabSpec spec = specOf(state.contents().source(), lab, state.contents().controller());
        return new Pinger(net, spec).run(progress);
    }

    public ExecResult exec(String lab, String host, List<String> command) {
        LabState.read(lab).orElseThrow(() -> new IllegalArgumentException("no lab named " + lab));
        String ns = LabNames.of(lab).namespace(host);
        if (!net.namespaceExists(ns)) {
            throw new IllegalArgumentException("lab " + lab + " has no host " + host + " (no namespace " + ns + ")");
        }
        return net.exec(Netns.named(ns), command, EXEC_TIMEOUT);
    }
}
