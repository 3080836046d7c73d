package dev.switchboard.lab.run;

import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.hostnet.KernelFeature;
import dev.switchboard.hostnet.KernelFeatureMissingException;
import dev.switchboard.hostnet.Link;
import dev.switchboard.hostnet.Netns;
import dev.switchboard.hostnet.Shaping;
import dev.switchboard.lab.spec.Host;
import dev.switchboard.lab.spec.KernelNeed;
import dev.switchboard.lab.spec.LabNames;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.LabSpecs;
import dev.switchboard.lab.spec.LabValues;
import dev.switchboard.lab.spec.LinkKind;
import dev.switchboard.lab.spec.LinuxBridge;
import dev.switchboard.lab.spec.NodeRole;
import dev.switchboard.lab.spec.OvsSwitch;
import dev.switchboard.lab.spec.Port;
import dev.switchboard.lab.spec.Rate;
import dev.switchboard.lab.spec.Switch;
import dev.switchboard.lab.spec.Tap;
import dev.switchboard.lab.spec.Topologies;
import dev.switchboard.lab.spec.Wire;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Brings labs up and down. {@code up} converges: what exists already and is as specified is
 * left as it is, what is missing or wrong is made, so running it again changes nothing and
 * repairs a lab whose objects were deleted by hand ({@link KernelSide}, {@link OvsSide}).
 * Every object is written to the lab's {@link LabState} before it is made, and {@code down}
 * removes what the state and the lab's name prefix find ({@link LabTeardown}), so it removes
 * exactly what the lab made, also after a {@code kill -9} in the middle of {@code up}. Labs
 * are changed one at a time per host ({@link LabLock}). Blocking: run it off event loops.
 */
public final class LabRunner {
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);
    private static final Path TUN_DEVICE = Path.of("/dev/net/tun");

    private final HostNetwork net;
    private final PrintStream progress;

    public LabRunner(HostNetwork net, PrintStream progress) {
        this.net = net;
        this.progress = progress;
    }

    /** The spec a source names: {@code topo:NAME} or YAML text; with the controller applied. */
    public static LabSpec specOf(String source, String lab, String controller) {
        return specOf(source, "<yaml>", lab, controller);
    }

    /**
     * The spec a source names, as {@link #specOf(String, String, String)}.
     *
     * @param origin names YAML text in its problems: the file it was read from
     */
    public static LabSpec specOf(String source, String origin, String lab, String controller) {
        LabSpec spec = source.startsWith("topo:")
                ? Topologies.parse(source.substring("topo:".length()), lab == null ? Topologies.DEFAULT_LAB_NAME : lab)
                : LabSpecs.parse(source, origin);
        if (lab != null && !lab.equals(spec.name())) {
            spec = spec.withName(lab);
        }
        return controller == null ? spec : spec.withController(controller);
    }

    // ---- up

    /**
     * Brings the lab up, or makes an existing one whole again. Refused before anything changes:
     * a lab whose switches form a loop that floods (a broadcast storm; see
     * {@link LabSpec#floodingLoops()}), and one that needs what this machine lacks (netem for a
     * delay or loss, htb for a rate, the tun driver for taps). If the lab did not exist and
     * bringing it up fails half way, what was made is removed again.
     *
     * @param source     what the spec was made from ({@code topo:NAME} or YAML text), kept in the
     *                   lab's state so that {@code status} and {@code ping} can rebuild it
     * @param controller the controller the spec's OVS switches point at, or null
     */
    public void up(LabSpec spec, String source, String controller) {
        up(spec, source, controller, summaryOnly());
    }

    /**
     * As {@link #up(LabSpec, String, String)}, telling {@code steps} how far it got: the kernel
     * changes, then the OVS ports (added in transactions of {@link OvsSide#PORTS_PER_TRANSACTION}),
     * then a summary such as {@code "lab mn up: 64 hosts, 9 switches, 80 links"}.
     */
    public void up(LabSpec spec, String source, String controller, LabProgress steps) {
        refuseLoops(spec);
        checkMachine(spec);
        spec.warnings().forEach(w -> progress.println("warning: " + w)); // no loops: refused above
        try (LabLock lock = LabLock.acquire(progress)) {
            Optional<LabState> existing = LabState.read(spec.name());
            boolean needsOvs = spec.switches().stream().anyMatch(OvsSwitch.class::isInstance);
            Optional<LabOvs.Location> recorded = existing.map(LabState::contents).filter(c -> c.ovsDb() != null)
                    .map(c -> new LabOvs.Location(c.ovsDb(), c.privateOvs()));
            Optional<LabOvs.Location> where = recorded.or(() -> needsOvs ? Optional.of(LabOvs.choose()) : Optional.empty());
            String db = where.map(LabOvs.Location::db).orElse(null);
            boolean privateOvs = where.map(LabOvs.Location::isPrivate).orElse(false);
            // recorded before the private OVS may be started, so that down stops it even after a kill -9
            LabState state = existing.orElseGet(() -> LabState.create(spec.name(), source, controller, db, privateOvs));
            state.describe(source, controller, db, privateOvs);
            progress.printf("lab %s: %d hosts, %d switches, %d links%s%s%n", spec.name(), spec.hosts().size(),
                    spec.switches().size(), spec.links().size(), spec.taps().isEmpty() ? "" : ", " + spec.taps().size() + " taps",
                    needsOvs ? " (OVS: " + db + ")" : "");
            // the OVS first: a private one must run before the switch ports are made in its namespace
            try (LabOvs ovs = needsOvs ? LabOvs.open(where.orElseThrow()) : null) {
                KernelSide kernel = new KernelSide(net, spec, state, ovs == null ? Netns.ROOT : ovs.portNamespace());
                Set<String> made = kernel.converge(progress, steps);
                // a process per host interface: done while OVS is busy adding the ports
                java.util.concurrent.CompletableFuture<Void> checksums =
                        java.util.concurrent.CompletableFuture.runAsync(kernel::computeChecksumsTowardsOvs);
                try {
                    if (ovs != null) {
                        new OvsSide(spec, state, ovs).converge(made, progress, steps);
                    }
                } catch (RuntimeException e) {
                    try {
                        checksums.join();
                    } catch (java.util.concurrent.CompletionException failed) {
                        e.addSuppressed(failed.getCause());
                    }
                    throw e; // the OVS side's failure is the one to report
                }
                try {
                    checksums.join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            } catch (RuntimeException e) {
                if (existing.isEmpty()) {
                    progress.printf("lab %s: bringing it up failed; removing what was made%n", spec.name());
                    try {
                        tearDown(spec.name());
                    } catch (RuntimeException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                }
                throw e;
            }
            steps.finish(String.format("lab %s up: %d hosts, %d switches, %d links%s", spec.name(), spec.hosts().size(),
                    spec.switches().size(), spec.links().size(),
                    spec.taps().isEmpty() ? "" : ", " + spec.taps().size() + " taps"));
        }
    }

    /** Prints only the summary, on this runner's output. */
    private LabProgress summaryOnly() {
        return new LabProgress() {
            @Override
            public void start(String label, int total) {
            }

            @Override
            public void advance(int n) {
            }

            @Override
            public void finish(String summary) {
                progress.println(summary);
            }
        };
    }

    /**
     * Where a controller on this machine must listen, besides 127.0.0.1, for the OVS switches of labs brought up
     * now to reach it: empty when labs use the host's OVS (in the root namespace, it reaches loopback); for
     * Switchboard's private OVS (in a namespace of its own) the address of its uplink, the OVS started first if it
     * does not run. A lab switch whose controller is on 127.0.0.1 connects there instead. Stop a private OVS no lab
     * uses with {@link #stopUnusedOvs()}.
     */
    public Optional<java.net.InetAddress> extraControllerAddress() {
        try (LabLock lock = LabLock.acquire(progress)) {
            LabOvs.Location where = LabOvs.choose();
            if (!where.isPrivate()) {
                return Optional.empty();
            }
            return Optional.of(LabOvs.startPrivateUnlessRunning().controllerAddress());
        }
    }

    /** Stops Switchboard's private OVS if no lab uses it (after {@link #extraControllerAddress()} with no lab up). */
    public void stopUnusedOvs() {
        try (LabLock lock = LabLock.acquire(progress)) {
            if (LabOvs.privateRuns()) {
                LabOvs.stopPrivateIfUnused();
            }
        }
    }

    private static void refuseLoops(LabSpec spec) {
        List<List<String>> loops = spec.floodingLoops();
        if (!loops.isEmpty()) {
            String which = loops.stream().map(l -> String.join(", ", l)).collect(Collectors.joining("; "));
            throw new IllegalArgumentException("lab " + spec.name() + " is refused: switches " + which + " are joined"
                    + " in a loop and would flood without STP or a controller, a broadcast storm. Give the switches a"
                    + " controller (lab up --controller HOST:PORT) or set stp: true on them in a YAML spec (OVS runs"
                    + " RSTP). Nothing was changed.");
        }
    }

    /** Refuses a lab whose links or taps need what this machine lacks, naming the first need. */
    private void checkMachine(LabSpec spec) {
        Set<KernelNeed> needs = spec.kernelNeeds();
        for (Wire wire : spec.wiring()) {
            if (wire.link().shaping().isEmpty()) {
                continue;
            }
            Shaping shaping = wire.link().shaping().get();
            if (shaping.needsNetem()) {
                requireFeature(spec, KernelFeature.NETEM, wire.label() + " asks for "
                        + shaping.delay().map(d -> "delay " + LabValues.formatDelay(d)).orElse("")
                        + (shaping.delay().isPresent() && shaping.lossPercent().isPresent() ? " and " : "")
                        + (shaping.lossPercent().isPresent() ? "loss " + shaping.lossPercent().getAsDouble() + "%" : ""));
            }
            if (shaping.rateBitsPerSecond().isPresent()) {
                requireFeature(spec, KernelFeature.HTB, wire.label() + " asks for rate "
                        + new Rate(shaping.rateBitsPerSecond().getAsLong()));
            }
        }
        if (needs.contains(KernelNeed.TUN) && !Files.exists(TUN_DEVICE)) {
            throw new IllegalStateException("lab " + spec.name() + " cannot come up: its taps need the tun driver, and "
                    + TUN_DEVICE + " is missing. Nothing was changed.");
        }
    }

    private void requireFeature(LabSpec spec, KernelFeature feature, String what) {
        var features = net.kernelFeatures();
        if (!features.has(feature)) {
            throw new KernelFeatureMissingException(feature, "lab " + spec.name() + " cannot come up: " + what
                    + ", which needs the kernel feature " + feature.description() + ", and this kernel ("
                    + features.kernelRelease() + ") lacks it. Nothing was changed.");
        }
    }

    // ---- down

    /** Removes everything the lab made; returns false when there was no such lab. */
    public boolean down(String lab) {
        return down(lab, summaryOnly());
    }

    /**
     * As {@link #down(String)}, telling {@code steps} how far it got (OVS bridges, namespaces,
     * links) and, when there was such a lab, a summary such as
     * {@code "lab mn down: 64 namespaces, 80 links, 9 OVS bridges removed"}.
     */
    public boolean down(String lab, LabProgress steps) {
        LabNames.checkLabName(lab);
        try (LabLock lock = LabLock.acquire(progress)) {
            return tearDown(lab, steps);
        }
    }

    private boolean tearDown(String lab) {
        return tearDown(lab, summaryOnly());
    }

    private boolean tearDown(String lab, LabProgress steps) {
        Optional<LabState> state = LabState.read(lab);
        LabTeardown teardown = new LabTeardown(net, lab, state, steps);
        boolean found = teardown.run();
        state.ifPresent(LabState::delete);
        if (state.map(s -> s.contents().privateOvs()).orElse(false) || LabOvs.privateRuns()) {
            LabOvs.stopPrivateIfUnused();
        }
        if (found) {
            steps.finish("lab " + lab + " down: " + teardown.summary());
        }
        return found;
    }

    // ---- status, ping, exec

    /**
     * What the lab should have and whether it is there, one line each: {@code KIND WHAT OBJECT
     * STATE}. A line whose object is missing, down, or not where it belongs ends with
     * {@code MISSING} or {@code DOWN}; every other line with {@code ok} and perhaps details.
     */
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
        String db = state.contents().ovsDb();
        Optional<LabOvs> ovs = db == null ? Optional.empty() : LabOvs.reopen(db, state.contents().privateOvs());
        try {
            Optional<OpenVSwitch> vswitch = ovs.map(LabOvs::vswitch);
            // OVS switch ports are where the OVS's ovs-vswitchd runs: the private OVS's namespace, or the root one
            Netns portNs = ovs.map(LabOvs::portNamespace).orElse(Netns.ROOT);
            Map<String, Link> ovsLinks = portNs.isRoot() ? rootLinks
                    : net.links(portNs).stream().collect(Collectors.toMap(Link::name, l -> l, (x, y) -> x));
            for (Switch sw : spec.switches()) {
                String bridge = names.bridge(sw.name());
                String object = sw.kind().text() + " " + bridge;
                String found;
                if (!(sw instanceof OvsSwitch)) {
                    Link link = rootLinks.get(bridge);
                    found = link == null ? "MISSING" : link.up() ? "ok" : "DOWN";
                } else if (vswitch.isEmpty()) {
                    object += " (no OVS answers at " + db + ")";
                    found = "MISSING";
                } else {
                    found = vswitch.get().bridge(bridge).map(b -> "ok" + (ovs.get().rstpEnabled(bridge) ? ", RSTP" : "")
                            + b.controllers().stream().map(c -> ", controller " + c.target()
                                    + (c.connected() ? " connected" : " not connected")).collect(Collectors.joining()))
                            .orElse("MISSING");
                }
                lines.add(line("switch", sw.name(), object, found));
            }
            for (Wire wire : spec.wiring()) {
                lines.add(line("link", wire.a().label() + " <-> " + wire.b().label(), linkObject(wire),
                        linkState(spec, wire, namespaces, rootLinks, ovsLinks, vswitch)));
            }
            Map<String, Port> tapPorts = spec.tapPorts();
            for (Tap tap : spec.taps()) {
                String device = names.tap(tap.name());
                Port port = tapPorts.get(tap.name());
                Link link = (port != null && isOvs(spec, port.node()) ? ovsLinks : rootLinks).get(device);
                String object = tap.mode().text() + " " + device + (port == null ? "" : " on " + port.label());
                String found;
                if (link == null) {
                    found = "MISSING";
                } else if (port != null && !onSwitch(spec, port, link, vswitch)) {
                    found = "not on " + names.bridge(port.node()) + ": MISSING";
                } else {
                    found = !link.up() ? "DOWN" : link.carrier() ? "ok, in use" : "ok, no program attached";
                }
                lines.add(line("tap", tap.name(), object, found));
            }
        } finally {
            ovs.ifPresent(LabOvs::close);
        }
        return lines;
    }

    private static String linkObject(Wire wire) {
        if (wire.link().kind() == LinkKind.PATCH) {
            return "OVS patch";
        }
        Port root = wire.a().role() == NodeRole.SWITCH ? wire.a() : wire.b().role() == NodeRole.SWITCH ? wire.b() : null;
        return root == null ? "veth between namespaces" : root.rootName();
    }

    private static boolean isOvs(LabSpec spec, String node) {
        return spec.findSwitch(node).filter(OvsSwitch.class::isInstance).isPresent();
    }

    private String linkState(LabSpec spec, Wire wire, Set<String> namespaces, Map<String, Link> rootLinks,
            Map<String, Link> ovsLinks, Optional<OpenVSwitch> vswitch) {
        for (Port port : List.of(wire.a(), wire.b())) {
            if (port.role() == NodeRole.HOST) {
                String ns = spec.names().namespace(port.node());
                if (!namespaces.contains(ns)) {
                    return "MISSING";
                }
                if (wire.link().kind() == LinkKind.VETH) {
                    Optional<Link> link = net.link(Netns.named(ns), port.name());
                    if (link.isEmpty()) {
                        return port.label() + ": MISSING";
                    }
                    if (!link.get().up()) {
                        return port.label() + ": DOWN";
                    }
                }
                continue;
            }
            if (wire.link().kind() == LinkKind.VETH) {
                Link link = (isOvs(spec, port.node()) ? ovsLinks : rootLinks).get(port.rootName());
                if (link == null) {
                    return "MISSING";
                }
                if (!link.up()) {
                    return "DOWN";
                }
                if (!onSwitch(spec, port, link, vswitch)) {
                    return "not on " + spec.names().bridge(port.node()) + ": MISSING";
                }
            } else if (vswitch.isPresent() && vswitch.get().bridge(spec.names().bridge(port.node()))
                    .flatMap(b -> b.port(port.rootName())).isEmpty()) {
                return port.rootName() + ": MISSING";
            }
        }
        return "ok";
    }

    /** Whether a switch port's device is a port of its switch (with its OpenFlow port number, for OVS). */
    private static boolean onSwitch(LabSpec spec, Port port, Link link, Optional<OpenVSwitch> vswitch) {
        String bridge = spec.names().bridge(port.node());
        if (spec.findSwitch(port.node()).orElseThrow() instanceof LinuxBridge) {
            return link.master().equals(Optional.of(bridge));
        }
        return vswitch.map(v -> v.bridge(bridge).flatMap(b -> b.port(port.rootName())).isPresent()).orElse(true);
    }

    private static String line(String kind, String what, String object, String state) {
        return String.format("%-6s %-24s %-30s %s", kind, what, object, state);
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
