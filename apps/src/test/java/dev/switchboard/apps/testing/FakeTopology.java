package dev.switchboard.apps.testing;

import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/** A topology snapshot given as data: paths by breadth-first search, neighbours tried in dpid order. */
public record FakeTopology(long version, Set<DatapathId> switches, Set<Link> links,
        Map<DatapathId, Set<OFPort>> floodPortsBySwitch, Set<SwitchPort> blocked) implements Topology {

    public FakeTopology {
        switches = Set.copyOf(switches);
        links = Set.copyOf(links);
        floodPortsBySwitch = Map.copyOf(floodPortsBySwitch);
        blocked = Set.copyOf(blocked);
    }

    public static FakeTopology of(Set<DatapathId> switches, Map<DatapathId, Set<OFPort>> floodPorts) {
        return new FakeTopology(1, switches, Set.of(), floodPorts, Set.of());
    }

    /** Both directions of a cable between two switch ports. */
    public static Set<Link> cable(long a, int portA, long b, int portB) {
        SwitchPort left = new SwitchPort(DatapathId.of(a), OFPort.of(portA));
        SwitchPort right = new SwitchPort(DatapathId.of(b), OFPort.of(portB));
        return Set.of(new Link(left, right, Link.Kind.DIRECT), new Link(right, left, Link.Kind.DIRECT));
    }

    public static Set<OFPort> ports(int... numbers) {
        Set<OFPort> ports = new HashSet<>();
        for (int n : numbers) {
            ports.add(OFPort.of(n));
        }
        return ports;
    }

    /**
     * Switches with ports 1..n that all flood, and cables between them.
     *
     * @param cables one link per cable; the other direction is added
     */
    public static FakeTopology ofPortCounts(Map<DatapathId, Integer> portCounts, List<Link> cables) {
        Map<DatapathId, Set<OFPort>> flood = new HashMap<>();
        portCounts.forEach((dpid, count) -> flood.put(dpid, ports(java.util.stream.IntStream.rangeClosed(1, count).toArray())));
        Set<Link> links = new HashSet<>();
        cables.forEach(c -> {
            links.add(c);
            links.add(c.reversed());
        });
        return of(portCounts.keySet(), flood).withLinks(links);
    }

    /** Without this cable, both directions. */
    public FakeTopology withoutCable(Link cable) {
        return withoutLinks(Set.of(cable, cable.reversed()));
    }

    public FakeTopology withLinks(Set<Link> more) {
        Set<Link> all = new HashSet<>(links);
        all.addAll(more);
        return new FakeTopology(version + 1, switches, all, floodPortsBySwitch, blocked);
    }

    public FakeTopology withoutLinks(Set<Link> gone) {
        Set<Link> all = new HashSet<>(links);
        all.removeAll(gone);
        return new FakeTopology(version + 1, switches, all, floodPortsBySwitch, blocked);
    }

    public FakeTopology withBlocked(SwitchPort... ports) {
        return new FakeTopology(version + 1, switches, links, floodPortsBySwitch, Set.of(ports));
    }

    @Override
    public Set<Link> linksFrom(DatapathId dpid) {
        return links.stream().filter(l -> l.src().dpid().equals(dpid)).collect(Collectors.toSet());
    }

    @Override
    public boolean isInterSwitchPort(SwitchPort port) {
        return links.stream().anyMatch(l -> l.src().equals(port) || l.dst().equals(port));
    }

    @Override
    public Optional<List<Link>> path(DatapathId from, DatapathId to) {
        if (!switches.contains(from) || !switches.contains(to)) {
            return Optional.empty();
        }
        Map<DatapathId, Link> reachedBy = new HashMap<>();
        Set<DatapathId> seen = new HashSet<>(Set.of(from));
        Deque<DatapathId> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            DatapathId at = queue.poll();
            if (at.equals(to)) {
                List<Link> path = new ArrayList<>();
                for (DatapathId cur = to; !cur.equals(from); cur = reachedBy.get(cur).src().dpid()) {
                    path.add(reachedBy.get(cur));
                }
                Collections.reverse(path);
                return Optional.of(path);
            }
            linksFrom(at).stream()
                    .sorted(Comparator.comparing((Link l) -> l.dst().dpid().getLong()))
                    .filter(l -> seen.add(l.dst().dpid()))
                    .forEach(l -> {
                        reachedBy.put(l.dst().dpid(), l);
                        queue.add(l.dst().dpid());
                    });
        }
        return Optional.empty();
    }

    @Override
    public Set<OFPort> floodPorts(DatapathId dpid) {
        return floodPortsBySwitch.getOrDefault(dpid, Set.of());
    }

    @Override
    public boolean acceptsBroadcast(SwitchPort port) {
        return !blocked.contains(port);
    }
}
