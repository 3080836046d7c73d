package dev.switchboard.lab.run;

import dev.switchboard.hostnet.Changes;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.hostnet.HostNetworkException;
import dev.switchboard.hostnet.Link;
import dev.switchboard.hostnet.Netns;
import dev.switchboard.hostnet.NotFoundException;
import dev.switchboard.lab.spec.LabNames;
import dev.switchboard.ovsdb.vswitch.ApplyOptions;
import dev.switchboard.ovsdb.vswitch.Change;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import dev.switchboard.ovsdb.vswitch.Views.BridgeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
 * until nothing with the prefix is left. Each device is deleted once: one that goes with its
 * namespace or its veth peer is waited for, not deleted again by name in a later round (where
 * it could meet an error, or a same-named device made since); only the last round deletes by
 * name what is still there, and a device gone by then is fine.
 */
final class LabTeardown {
    private static final Duration ORPHAN_WAIT = Duration.ofSeconds(15);
    /** Rounds of removing and looking again; the last deletes what stays (see the class comment). */
    private static final int ROUNDS = 8;
    /**
     * How often a round looks again for what is still leaving. The kernel removes a deleted
     * namespace's veths a few milliseconds to a few hundred after {@code ip netns del} returns
     * (its cleanup runs later, in a worker), so a round looks often rather than sleeping long:
     * a fixed 200 ms pause cost 200 ms whenever a single veth was still leaving.
     */
    private static final Duration POLL = Duration.ofMillis(20);
    /**
     * Looks per round before what is left is removed again: with a read taking ~10 ms, about
     * 0.3 s, what a round used to wait (two 200 ms pauses) in the worst case.
     */
    static final int LOOKS_PER_ROUND = 10;
    /**
     * Namespaces deleted per {@code ip -batch}: a few batches rather than one, so that progress
     * shows, and still one process for many namespaces.
     */
    private static final int NAMESPACES_PER_BATCH = 32;

    private final HostNetwork net;
    private final LabNames names;
    private final Optional<LabState> state;
    private final LabProgress steps;
    /** The namespace of the labs' private OVS if it exists, read once: it holds OVS switch ports. */
    private Optional<Netns> privateOvsPorts = Optional.empty();

    /** What was removed, for the report. */
    private final Set<String> namespacesRemoved = new TreeSet<>();
    private final Set<String> linksRemoved = new TreeSet<>();
    private final Set<String> bridgesRemoved = new TreeSet<>();
    /**
     * Devices this teardown deleted or let go with their namespace or veth peer: never deleted
     * (again) by name while they are still leaving, only in the last round.
     */
    private final Set<Device> leaving = new HashSet<>();

    LabTeardown(HostNetwork net, String lab, Optional<LabState> state, LabProgress steps) {
        this.net = net;
        this.names = LabNames.of(lab);
        this.state = state;
        this.steps = steps;
    }

    /** Removes the lab's objects; returns whether there was anything of it (state or objects). */
    boolean run() {
        awaitOrphanedBatches();
        privateOvsPorts = LabOvs.privateNamespace().map(Netns::named);
        removeOvsBridges();
        List<String> left = List.of();
        for (int round = 0; round < ROUNDS; round++) {
            try {
                removeKernelObjects(round == ROUNDS - 1);
            } catch (HostNetworkException e) {
                // an object vanished or appeared between reading and removing (its peer went with it,
                // OVS removed its own device): read again and retry
            }
            left = untilGone(this::leftovers, LOOKS_PER_ROUND, () -> pause(POLL));
            if (left.isEmpty()) {
                break;
            }
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
                        steps.start("  OVS bridges", bridges.size());
                        vswitch.applyNow(bridges.stream().map(b -> (Change) new Change.DeleteBridge(b, true)).toList(),
                                ApplyOptions.DEFAULT);
                        bridgesRemoved.addAll(bridges);
                        steps.advance(bridges.size());
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

    private void removeKernelObjects(boolean lastResort) {
        Set<String> namespaces = new HashSet<>(net.namespaces());
        List<Link> rootLinks = net.links(Netns.ROOT);
        Set<String> recordedLinks = recorded(LabState.Kind.VETH, LabState.Kind.LINUX_BRIDGE, LabState.Kind.TAP);
        Set<String> spaces = new TreeSet<>(recorded(LabState.Kind.NAMESPACE));
        namespaces.stream().filter(names::owns).forEach(spaces::add);

        // Namespaces first, and no end of a veth into one of them: the kernel removes a dying
        // namespace's devices and their peers together, in one go (216 namespaces: 0.13 s),
        // whereas deleting veths one by one costs it ~17 ms each. Those ends leave a moment
        // later; run() looks again until they are gone. Veths between two switches and bridges are deleted.
        // Every link is read before any namespace goes: a veth's peer namespace is named only
        // while that namespace has its name.
        List<String> dying = spaces.stream().filter(namespaces::contains).toList();
        Map<Netns, List<String>> deletions = new LinkedHashMap<>();
        Set<String> dyingNames = Set.copyOf(dying);
        deletions.put(Netns.ROOT, deletions(rootLinks, name -> names.owns(name) || recordedLinks.contains(name),
                dyingNames, leaving, false, lastResort));
        privateOvsPorts.filter(ns -> namespaces.contains(ns.name().orElseThrow())).ifPresent(ns ->
                deletions.put(ns, deletions(net.links(ns), names::owns, dyingNames, leaving, true, lastResort)));
        deletions.values().forEach(linksRemoved::addAll);
        leaving.forEach(device -> linksRemoved.add(device.name()));

        if (!dying.isEmpty()) {
            steps.start("  namespaces", dying.size());
            for (int from = 0; from < dying.size(); from += NAMESPACES_PER_BATCH) {
                List<String> batch = dying.subList(from, Math.min(dying.size(), from + NAMESPACES_PER_BATCH));
                Changes changes = net.changes();
                batch.forEach(changes::deleteNamespace);
                changes.apply();
                namespacesRemoved.addAll(batch);
                steps.advance(batch.size());
            }
        }
        int count = deletions.values().stream().mapToInt(List::size).sum();
        if (count == 0) {
            return;
        }
        steps.start("  links", count);
        Changes changes = net.changes();
        deletions.forEach((ns, links) -> links.forEach(link -> changes.deleteLink(ns, link)));
        try {
            changes.apply();
        } catch (HostNetworkException e) {
            if (!lastResort) {
                throw e;
            }
            // one of them went meanwhile (with its peer or namespace), which stopped the batch:
            // the rest one by one, where gone already is fine
            deletions.forEach((ns, links) -> links.forEach(link -> deleteIfThere(ns, link)));
        }
        steps.advance(count);
    }

    /** A device as a round read it: the same name with another ifindex is another device. */
    record Device(Netns ns, String name, int index) {
        static Device of(Link link) {
            return new Device(link.namespace(), link.name(), link.index());
        }
    }

    /**
     * The links of one namespace, as one round read them, that the round deletes by name: each
     * device of the lab once. Not deleted, but added to {@code leaving}: a veth whose peer is in a
     * namespace being deleted, and the peer of a veth deleted here, which go with them; a
     * device in {@code leaving} already (from an earlier round) is still leaving, and is not
     * deleted again, so a veth is never deleted both with its namespace and by name.
     *
     * @param peersOutsideGoFromThere for the private OVS's namespace: a veth end whose peer it
     *                                sees in no named namespace has its peer in the root
     *                                namespace (where the lab's end is deleted) or in a
     *                                namespace deleted earlier, and goes with that
     * @param lastResort              the last round: what is still there after the others is
     *                                deleted by name, leaving or not (a namespace a process
     *                                keeps alive keeps its veths after {@code ip netns del})
     */
    static List<String> deletions(List<Link> links, Predicate<String> owned, Set<String> dying, Set<Device> leaving,
            boolean peersOutsideGoFromThere, boolean lastResort) {
        Map<String, Link> byName = new HashMap<>();
        links.forEach(link -> byName.put(link.name(), link));
        Set<String> goneWithPeer = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (Link link : links.stream().sorted(Comparator.comparing(Link::name)).toList()) {
            if (!owned.test(link.name()) || goneWithPeer.contains(link.name())) {
                continue;
            }
            Device device = Device.of(link);
            if (!lastResort) {
                if (leaving.contains(device)) {
                    continue;
                }
                boolean peerInDyingNamespace = link.peerNamespace().flatMap(Netns::name).filter(dying::contains).isPresent();
                boolean peerOutside = peersOutsideGoFromThere && link.isKind("veth") && link.peer().isEmpty()
                        && link.peerNamespace().isEmpty();
                if (peerInDyingNamespace || peerOutside) {
                    leaving.add(device);
                    continue;
                }
            }
            out.add(link.name());
            leaving.add(device);
            link.peer().filter(byName::containsKey).filter(peer -> link.isKind("veth")).ifPresent(peer -> {
                goneWithPeer.add(peer);
                leaving.add(Device.of(byName.get(peer)));
            });
        }
        return out;
    }

    /** Deletes a link on its own; one that is gone already (with its peer, or its namespace) is fine. */
    private void deleteIfThere(Netns ns, String link) {
        try {
            net.deleteLink(ns, link);
        } catch (HostNetworkException e) {
            boolean gone;
            try {
                gone = net.link(ns, link).isEmpty();
            } catch (NotFoundException namespaceGone) {
                gone = true;
            }
            if (!gone) {
                throw e;
            }
        }
    }

    /**
     * Reads {@code what} until it is empty, at most {@code looks} times, pausing between two
     * reads; returns the last read. A namespace's veths leave the other namespaces a moment after
     * the namespace, so what is still there at once is mostly about to go.
     */
    static <T> List<T> untilGone(Supplier<List<T>> what, int looks, Runnable pause) {
        List<T> left = what.get();
        for (int look = 1; look < looks && !left.isEmpty(); look++) {
            pause.run();
            left = what.get();
        }
        return left;
    }

    /** What still carries the prefix: namespaces, and links in the root and the private OVS's namespace. */
    private List<String> leftovers() {
        List<String> left = new ArrayList<>();
        Set<String> namespaces = new HashSet<>(net.namespaces());
        namespaces.stream().filter(names::owns).sorted().forEach(ns -> left.add("namespace " + ns));
        List<Netns> where = new ArrayList<>(List.of(Netns.ROOT));
        privateOvsPorts.filter(ns -> namespaces.contains(ns.name().orElseThrow())).ifPresent(where::add);
        for (Netns ns : where) {
            net.links(ns).stream().map(Link::name).filter(names::owns).sorted()
                    .forEach(name -> left.add("link " + name + (ns.isRoot() ? "" : " (in " + ns + ")")));
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
            pause(POLL);
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

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while removing a lab", e);
        }
    }
}
