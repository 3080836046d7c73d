package dev.switchboard.apps.routing;

import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/** A fixed topology: switches with ports 1..n, cables between them, shortest paths by BFS; no spanning tree. */
record FakeTopology(long version, Map<DatapathId, Integer> portCounts, Set<Link> links) implements Topology {

    /** @param cables one link per cable; the other direction is added */
    static FakeTopology of(Map<DatapathId, Integer> portCounts, List<Link> cables) {
        Set<Link> links = new LinkedHashSet<>();
        for (Link link : cables) {
            links.add(link);
            links.add(link.reversed());
        }
        return new FakeTopology(1, Map.copyOf(portCounts), Set.copyOf(links));
    }

    FakeTopology without(Link cable) {
        Set<Link> rest = new LinkedHashSet<>(links);
        rest.remove(cable);
        rest.remove(cable.reversed());
        return new FakeTopology(version + 1, portCounts, Set.copyOf(rest));
    }

    @Override
    public Set<DatapathId> switches() {
        return portCounts.keySet();
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
        Map<DatapathId, Link> via = new HashMap<>();
        Deque<DatapathId> queue = new ArrayDeque<>(List.of(from));
        Set<DatapathId> seen = new LinkedHashSet<>(List.of(from));
        while (!queue.isEmpty()) {
            DatapathId at = queue.poll();
            if (at.equals(to)) {
                List<Link> path = new ArrayList<>();
                for (DatapathId d = to; !d.equals(from); d = via.get(d).src().dpid()) {
                    path.add(via.get(d));
                }
                Collections.reverse(path);
                return Optional.of(path);
            }
            for (Link l : linksFrom(at)) {
                if (seen.add(l.dst().dpid())) {
                    via.put(l.dst().dpid(), l);
                    queue.add(l.dst().dpid());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Set<OFPort> floodPorts(DatapathId dpid) {
        return IntStream.rangeClosed(1, portCounts.getOrDefault(dpid, 0)).mapToObj(OFPort::of)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public boolean acceptsBroadcast(SwitchPort port) {
        return true;
    }
}
