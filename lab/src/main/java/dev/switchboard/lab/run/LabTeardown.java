package dev.switchboard.lab.run;

import dev.switchboard.hostnet.Changes;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.hostnet.HostNetworkException;
import dev.switchboard.hostnet.Link;
import dev.switchboard.hostnet.Netns;
import dev.switchboard.lab.spec.LabNames;
import dev.switchboard.ovsdb.vswitch.ApplyOptions;
import dev.switchboard.ovsdb.vswitch.Change;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import dev.switchboard.ovsdb.vswitch.Views.BridgeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code lab down}: removes every object of one lab, found two ways, so that neither a lost
 * state file nor a {@code kill -9} in the middle of {@code up} leaves anything behind: the
 * lab's {@link LabState} (what {@code up} intended to make) and the lab's prefix
 * ({@link LabNames#owns}) on OVS bridges, network namespaces, root-namespace links and the links in the
 * namespace of the labs' private OVS (its switch ports: veth ends and taps). It
 * never touches an object without the prefix, nor one of another lab (lab names contain no
 * {@code -}, so {@code ab-} never matches {@code abc-s1}).
 *
 * <p>A killed {@code up} may leave an {@code ip -batch} behind that is still making the lab's
 * objects; teardown first waits for such orphans, then removes, then looks again and repeats
 * until nothing with the prefix is left.
 */
final class LabTeardown {
    private static final Duration ORPHAN_WAIT = Duration.ofSeconds(15);
    private static final int ROUNDS = 4;
    private static final long PAUSE_MILLIS = 200;

    private final HostNetwork net;
    private final LabNames names;
    private final Optional<LabState> state;
    /** The namespace of the labs' private OVS if it exists, read once: it holds OVS switch ports. */
    private Optional<Netns> privateOvsPorts = Optional.empty();

    /** What was removed, for the report. */
    private final Set<String> namespacesRemoved = new TreeSet<>();
    private final Set<String> linksRemoved = new TreeSet<>();
    private final Set<String> bridgesRemoved = new TreeSet<>();

    LabTeardown(HostNetwork net, String lab, Optional<LabState> state) {
        this.net = net;
        this.names = LabNames.of(lab);
        this.state = state;
    }

    /** Removes the lab's objects; returns whether there was anything of it (state or objects). */
    boolean run() {
        awaitOrphanedBatches();
        privateOvsPorts = LabOvs.privateNamespace().map(Netns::named);
        removeOvsBridges();
        List<String> left = List.of();
        for (int round = 0; round < ROUNDS; round++) {
            try {
                removeKernelObjects();
            } catch (HostNetworkException e) {
                // an object vanished or appeared between reading and removing (its peer went with it,
                // OVS removed its own device): read again and retry
            }
            left = leftovers();
            if (left.isEmpty()) {
                break;
            }
            pause();
        }
        if (!left.isEmpty()) {
            throw new IllegalStateException("lab " + names.lab() + ": could not remove " + left + "; its state is kept,"
                    + " run lab down again");
        }
        return state.isPresent() || !namespacesRemoved.isEmpty() || !linksRemoved.isEmpty() || !bridgesRemoved.isEmpty();
    }

    String summary() {
        return namespacesRemoved.size() + " namespaces, " + linksRemoved.size() + " links, " + bridgesRemoved.size()
                + " OVS bridges removed";
    }

    // ---- OVS

    private void removeOvsBridges() {
        for (LabOvs.Location where : ovsLocations()) {
            LabOvs.reopen(where.db(), where.isPrivate()).ifPresent(ovs -> {
                try (ovs) {
                    OpenVSwitch vswitch = ovs.vswitch();
                    Set<String> bridges = vswitch.bridges().stream().map(BridgeView::name).filter(names::owns)
                            .collect(Collectors.toCollection(TreeSet::new));
                    if (!bridges.isEmpty()) {
                        vswitch.applyNow(bridges.stream().map(b -> (Change) new Change.DeleteBridge(b, true)).toList(),
                                ApplyOptions.DEFAULT);
                        bridgesRemoved.addAll(bridges);
                    }
                }
            });
        }
    }

    /** The OVS the state names; without one, every OVS a lab could have used. */
    private List<LabOvs.Location> ovsLocations() {
        Optional<LabOvs.Location> recorded = state.map(LabState::contents).filter(c -> c.ovsDb() != null)
                .map(c -> new LabOvs.Location(c.ovsDb(), c.privateOvs()));
        if (recorded.isPresent()) {
            return List.of(recorded.get());
        }
        List<LabOvs.Location> out = new ArrayList<>();
        if (LabOvs.hostOvsRuns()) {
            out.add(new LabOvs.Location("unix:" + LabOvs.HOST_DB, false));
        }
        if (LabOvs.privateRuns()) {
            out.add(new LabOvs.Location("unix:" + LabOvs.privateDirectory().toAbsolutePath().normalize()
                    .resolve("db.sock"), true));
        }
        return out;
    }

    // ---- kernel

    private Set<String> recorded(LabState.Kind... kinds) {
        Set<LabState.Kind> wanted = Set.of(kinds);
        return state.map(s -> s.contents().objects().stream().filter(e -> wanted.contains(e.kind()))
                .map(LabState.Entry::name).collect(Collectors.toSet())).orElse(Set.of());
    }

    private void removeKernelObjects() {
        Set<String> namespaces = new HashSet<>(net.namespaces());
        Map<String, Link> rootLinks = net.links(Netns.ROOT).stream()
                .collect(Collectors.toMap(Link::name, Function.identity(), (x, y) -> x));
        Set<String> links = new TreeSet<>(recorded(LabState.Kind.VETH, LabState.Kind.LINUX_BRIDGE, LabState.Kind.TAP));
        rootLinks.keySet().stream().filter(names::owns).forEach(links::add);
        Set<String> spaces = new TreeSet<>(recorded(LabState.Kind.NAMESPACE));
        namespaces.stream().filter(names::owns).forEach(spaces::add);

        // Namespaces first, and no root-side end of a veth into one of them: the kernel removes
        // a dying namespace's devices and their peers together, in one go (216 namespaces: 0.13 s),
        // whereas deleting veths one by one costs it ~17 ms each. Those root ends leave a moment
        // later; leftovers() waits for that. Veths between two switches and bridges are deleted.
        Changes changes = net.changes();
        Set<String> dying = new HashSet<>();
        for (String ns : spaces) {
            if (namespaces.contains(ns)) {
                changes.deleteNamespace(ns);
                namespacesRemoved.add(ns);
                dying.add(ns);
            }
        }
        Set<String> goneWithPeer = new HashSet<>();
        for (String name : links) {
            Link link = rootLinks.get(name);
            if (link == null || !goneWithPeer.add(name)) {
                continue;
            }
            linksRemoved.add(name);
            boolean peerDiesWithNamespace = link.peerNamespace().flatMap(Netns::name).filter(dying::contains).isPresent();
            if (!peerDiesWithNamespace) {
                changes.deleteLink(Netns.ROOT, name);
                link.peer().ifPresent(goneWithPeer::add);
            }
        }
        privateOvsPorts.ifPresent(ns -> removeOvsPorts(ns, dying, changes));
        if (!changes.isEmpty()) {
            changes.apply();
        }
    }

    /**
     * The lab's devices in the private OVS's namespace: veth ends (the peer goes with each; one whose peer is in
     * a dying host namespace goes with that) and taps.
     */
    private void removeOvsPorts(Netns ns, Set<String> dying, Changes changes) {
        Set<String> goneWithPeer = new HashSet<>();
        for (Link link : net.links(ns)) {
            if (!names.owns(link.name()) || !goneWithPeer.add(link.name())) {
                continue;
            }
            linksRemoved.add(link.name());
            boolean peerDiesWithNamespace = link.peerNamespace().flatMap(Netns::name).filter(dying::contains).isPresent();
            if (!peerDiesWithNamespace) {
                changes.deleteLink(ns, link.name());
                link.peer().ifPresent(goneWithPeer::add);
            }
        }
    }

    /** What still carries the prefix, after a pause for the kernel to finish removing veth peers. */
    private List<String> leftovers() {
        List<String> left = new ArrayList<>();
        net.namespaces().stream().filter(names::owns).sorted().forEach(ns -> left.add("namespace " + ns));
        List<Netns> where = new ArrayList<>(List.of(Netns.ROOT));
        privateOvsPorts.filter(ns -> net.namespaceExists(ns.name().orElseThrow())).ifPresent(where::add);
        boolean any = where.stream().anyMatch(ns -> net.links(ns).stream().map(Link::name).anyMatch(names::owns));
        if (any) {
            pause(); // a namespace's veths leave the other namespaces a moment after the namespace
            for (Netns ns : where) {
                net.links(ns).stream().map(Link::name).filter(names::owns).sorted()
                        .forEach(name -> left.add("link " + name + (ns.isRoot() ? "" : " (in " + ns + ")")));
            }
        }
        return left;
    }

    // ---- orphans of a killed up

    /**
     * Waits until no {@code ip -batch} or {@code tc -batch} is left whose parent is not a Java
     * process: such a batch was started by an {@code up} that died, and may still be making the
     * lab's objects.
     */
    private static void awaitOrphanedBatches() {
        long deadline = System.nanoTime() + ORPHAN_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.allProcesses().noneMatch(LabTeardown::isOrphanedBatch)) {
                return;
            }
            pause();
        }
    }

    private static boolean isOrphanedBatch(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        String command = info.command().orElse("");
        boolean iproute2 = command.endsWith("/ip") || command.endsWith("/tc");
        boolean batch = info.arguments().map(args -> List.of(args).contains("-batch")).orElse(false);
        if (!iproute2 || !batch) {
            return false;
        }
        Optional<ProcessHandle> parent = process.parent();
        return parent.isEmpty() || !parent.get().info().command().orElse("").endsWith("/java");
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while removing a lab", e);
        }
    }
}
