package dev.switchboard.topology;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jgrapht.Graph;
import org.jgrapht.graph.Pseudograph;
import org.jgrapht.traverse.BreadthFirstIterator;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * An immutable {@link Topology}. Everything floods need (the spanning tree, each switch's
 * flood ports) is computed when the snapshot is made; paths are computed the first time a
 * source switch is asked for and kept. Nothing is locked and no graph library is used after
 * construction: path queries run on event loops.
 *
 * <p>Determinism: switches are ordered by datapath id and ports by number (unsigned), and the
 * graphs are filled in that order, so JGraphT's traversals (which follow insertion order)
 * give the same answers for the same network every time.
 * <ul>
 *   <li>Spanning tree: breadth first from the lowest datapath id of each connected part; a
 *       switch's cables are tried in (local port, far switch, far port) order, and the first
 *       one that reaches a switch not yet on the tree joins it. A cable is both directions of
 *       a link (or one, when only one was seen).</li>
 *   <li>Paths: breadth first over one-way links; a switch is reached through the switch
 *       that was reached first, and out of a switch by its lowest port.</li>
 * </ul>
 */
final class TopologySnapshot implements Topology {
    static final Comparator<OFPort> PORT_ORDER = (a, b) -> Integer.compareUnsigned(a.getPortNumber(), b.getPortNumber());
    static final Comparator<SwitchPort> SWITCH_PORT_ORDER =
            Comparator.comparing(SwitchPort::dpid).thenComparing(SwitchPort::port, PORT_ORDER);
    static final Comparator<Link> LINK_ORDER =
            Comparator.comparing(Link::src, SWITCH_PORT_ORDER).thenComparing(Link::dst, SWITCH_PORT_ORDER);

    private final long version;
    private final Set<DatapathId> switches;
    private final Map<DatapathId, Set<OFPort>> enabledPorts;
    private final Set<SwitchPort> quarantined;
    private final Set<Link> links;

    private final Map<DatapathId, Set<Link>> linksFrom;
    private final Set<SwitchPort> interSwitchPorts;
    /** The same ports by switch, so the packet path can ask without making a SwitchPort. */
    private final Map<DatapathId, Set<OFPort>> interSwitchPortsBySwitch;
    /** Inter-switch ports off the spanning tree: broadcasts neither leave nor enter by them. */
    private final Set<SwitchPort> blockedPorts;
    private final Map<DatapathId, Set<OFPort>> floodPorts;
    /** Per switch, its links to switches of this snapshot in {@link #LINK_ORDER}: what path search follows. */
    private final Map<DatapathId, List<Link>> outgoing;
    /**
     * Per source switch: the answer for every switch it reaches, made on first use by whichever
     * thread asks first (two threads asking at once both compute the same answer; one is kept).
     * A cache hit is two map reads and allocates nothing.
     */
    private final Map<DatapathId, Map<DatapathId, Optional<List<Link>>>> pathsFrom = new ConcurrentHashMap<>();
    private static final Optional<List<Link>> SAME_SWITCH = Optional.of(List.of());

    static TopologySnapshot empty() {
        return new TopologySnapshot(0, Set.of(), Map.of(), Set.of(), Set.of());
    }

    /**
     * @param enabledPorts per switch, the ports that are up and may carry traffic (never LOCAL)
     * @param quarantined  enabled ports that came up too recently to flood out of
     */
    TopologySnapshot(long version, Set<DatapathId> switches, Map<DatapathId, Set<OFPort>> enabledPorts,
            Set<SwitchPort> quarantined, Set<Link> links) {
        this.version = version;
        this.switches = Set.copyOf(switches);
        Map<DatapathId, Set<OFPort>> enabled = new HashMap<>();
        enabledPorts.forEach((dpid, ports) -> enabled.put(dpid, Set.copyOf(ports)));
        this.enabledPorts = Map.copyOf(enabled);
        this.quarantined = Set.copyOf(quarantined);
        this.links = Set.copyOf(links);

        List<Link> sortedLinks = new ArrayList<>(this.links);
        sortedLinks.sort(LINK_ORDER);
        Map<DatapathId, Set<Link>> from = new HashMap<>();
        Set<SwitchPort> linkEnds = new HashSet<>();
        for (Link link : sortedLinks) {
            from.computeIfAbsent(link.src().dpid(), d -> new HashSet<>()).add(link);
            linkEnds.add(link.src());
            linkEnds.add(link.dst());
        }
        Map<DatapathId, Set<Link>> fromCopy = new HashMap<>();
        from.forEach((dpid, set) -> fromCopy.put(dpid, Set.copyOf(set)));
        this.linksFrom = Map.copyOf(fromCopy);
        this.interSwitchPorts = Set.copyOf(linkEnds);
        Map<DatapathId, Set<OFPort>> endsBySwitch = new HashMap<>();
        for (SwitchPort end : linkEnds) {
            endsBySwitch.computeIfAbsent(end.dpid(), d -> new HashSet<>()).add(end.port());
        }
        Map<DatapathId, Set<OFPort>> endsCopy = new HashMap<>();
        endsBySwitch.forEach((dpid, ports) -> endsCopy.put(dpid, Set.copyOf(ports)));
        this.interSwitchPortsBySwitch = Map.copyOf(endsCopy);

        List<DatapathId> sortedSwitches = new ArrayList<>(this.switches);
        Collections.sort(sortedSwitches);
        Map<DatapathId, List<Link>> out = new HashMap<>();
        for (Link link : sortedLinks) {
            if (this.switches.contains(link.src().dpid()) && this.switches.contains(link.dst().dpid())) {
                out.computeIfAbsent(link.src().dpid(), d -> new ArrayList<>()).add(link);
            }
        }
        Map<DatapathId, List<Link>> outCopy = new HashMap<>();
        out.forEach((dpid, list) -> outCopy.put(dpid, List.copyOf(list)));
        this.outgoing = Map.copyOf(outCopy);

        Set<SwitchPort> treePorts = spanningTreePorts(sortedSwitches, sortedLinks);
        Set<SwitchPort> blocked = new HashSet<>(interSwitchPorts);
        blocked.removeAll(treePorts);
        this.blockedPorts = Set.copyOf(blocked);

        Map<DatapathId, Set<OFPort>> flood = new HashMap<>();
        for (DatapathId dpid : this.switches) {
            Set<OFPort> ports = new HashSet<>();
            for (OFPort port : this.enabledPorts.getOrDefault(dpid, Set.of())) {
                SwitchPort at = new SwitchPort(dpid, port);
                if (!this.quarantined.contains(at) && !blockedPorts.contains(at)) {
                    ports.add(port);
                }
            }
            flood.put(dpid, Set.copyOf(ports));
        }
        this.floodPorts = Map.copyOf(flood);
    }

    /** One undirected cable; {@code a} sorts before {@code b}. */
    private record Cable(SwitchPort a, SwitchPort b) {
        static Cable of(Link link) {
            return SWITCH_PORT_ORDER.compare(link.src(), link.dst()) <= 0
                    ? new Cable(link.src(), link.dst()) : new Cable(link.dst(), link.src());
        }
    }

    private static Set<SwitchPort> spanningTreePorts(List<DatapathId> sortedSwitches, List<Link> sortedLinks) {
        Graph<DatapathId, Cable> cables = new Pseudograph<>(Cable.class);
        sortedSwitches.forEach(cables::addVertex);
        // A cable's two directions are one undirected edge. Sorting the cables by their ends
        // fixes the order BFS tries a switch's edges in.
        List<Cable> sortedCables = sortedLinks.stream().map(Cable::of).distinct()
                .sorted(Comparator.comparing(Cable::a, SWITCH_PORT_ORDER).thenComparing(Cable::b, SWITCH_PORT_ORDER))
                .toList();
        for (Cable cable : sortedCables) {
            if (cables.containsVertex(cable.a().dpid()) && cables.containsVertex(cable.b().dpid())) {
                cables.addEdge(cable.a().dpid(), cable.b().dpid(), cable);
            }
        }
        // Without a start vertex the iterator visits every connected part, each from its
        // first vertex in insertion order: the lowest datapath id.
        BreadthFirstIterator<DatapathId, Cable> bfs = new BreadthFirstIterator<>(cables);
        Set<SwitchPort> treePorts = new HashSet<>();
        while (bfs.hasNext()) {
            DatapathId reached = bfs.next();
            Cable treeEdge = bfs.getSpanningTreeEdge(reached);
            if (treeEdge != null) {
                treePorts.add(treeEdge.a());
                treePorts.add(treeEdge.b());
            }
        }
        return treePorts;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public Set<DatapathId> switches() {
        return switches;
    }

    @Override
    public Set<Link> links() {
        return links;
    }

    @Override
    public Set<Link> linksFrom(DatapathId dpid) {
        return linksFrom.getOrDefault(dpid, Set.of());
    }

    @Override
    public boolean isInterSwitchPort(SwitchPort port) {
        return interSwitchPorts.contains(port);
    }

    @Override
    public boolean isInterSwitchPort(DatapathId dpid, OFPort port) {
        Set<OFPort> ends = interSwitchPortsBySwitch.get(dpid);
        return ends != null && ends.contains(port);
    }

    @Override
    public Optional<List<Link>> path(DatapathId from, DatapathId to) {
        if (!switches.contains(from) || !switches.contains(to)) {
            return Optional.empty();
        }
        if (from.equals(to)) {
            return SAME_SWITCH;
        }
        Map<DatapathId, Optional<List<Link>>> paths = pathsFrom.get(from);
        if (paths == null) {
            // No lock: the snapshot is immutable, so a racing computation gives the same answer.
            paths = computePathsFrom(from);
            Map<DatapathId, Optional<List<Link>>> raced = pathsFrom.putIfAbsent(from, paths);
            if (raced != null) {
                paths = raced;
            }
        }
        Optional<List<Link>> path = paths.get(to);
        return path == null ? Optional.empty() : path;
    }

    /**
     * Breadth first over one-way links from {@code source}: a switch is reached through the
     * switch reached first, and out of a switch by its first link in {@link #LINK_ORDER}
     * (what JGraphT's BFS shortest path gave over a graph filled in that order).
     */
    private Map<DatapathId, Optional<List<Link>>> computePathsFrom(DatapathId source) {
        Map<DatapathId, Link> reachedBy = new HashMap<>();
        ArrayDeque<DatapathId> queue = new ArrayDeque<>();
        Set<DatapathId> seen = new HashSet<>();
        seen.add(source);
        queue.add(source);
        while (!queue.isEmpty()) {
            DatapathId at = queue.poll();
            for (Link link : outgoing.getOrDefault(at, List.of())) {
                DatapathId next = link.dst().dpid();
                if (seen.add(next)) {
                    reachedBy.put(next, link);
                    queue.add(next);
                }
            }
        }
        Map<DatapathId, Optional<List<Link>>> paths = new HashMap<>();
        for (DatapathId target : reachedBy.keySet()) {
            ArrayList<Link> reversed = new ArrayList<>();
            for (DatapathId at = target; !at.equals(source); ) {
                Link link = reachedBy.get(at);
                reversed.add(link);
                at = link.src().dpid();
            }
            Collections.reverse(reversed);
            paths.put(target, Optional.of(List.copyOf(reversed)));
        }
        return Map.copyOf(paths);
    }

    @Override
    public Set<OFPort> floodPorts(DatapathId dpid) {
        return floodPorts.getOrDefault(dpid, Set.of());
    }

    @Override
    public boolean acceptsBroadcast(SwitchPort port) {
        return switches.contains(port.dpid()) && !blockedPorts.contains(port) && !quarantined.contains(port);
    }

    @Override
    public boolean isQuarantined(SwitchPort port) {
        return quarantined.contains(port);
    }

    /** The enabled ports of {@code dpid}: what discovery probes. */
    Set<OFPort> enabledPortsOf(DatapathId dpid) {
        return enabledPorts.getOrDefault(dpid, Set.of());
    }

    /** Whether {@code other} describes the same network (all but the version). */
    boolean sameNetworkAs(TopologySnapshot other) {
        return switches.equals(other.switches) && links.equals(other.links)
                && enabledPorts.equals(other.enabledPorts) && quarantined.equals(other.quarantined);
    }

    @Override
    public String toString() {
        return "Topology[v" + version + ", " + switches.size() + " switches, " + links.size() + " links, blocked "
                + blockedPorts + "]";
    }
}
