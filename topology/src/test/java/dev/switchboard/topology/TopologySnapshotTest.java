package dev.switchboard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

class TopologySnapshotTest {
    private static final DatapathId S1 = DatapathId.of(1);
    private static final DatapathId S2 = DatapathId.of(2);
    private static final DatapathId S3 = DatapathId.of(3);
    private static final DatapathId S4 = DatapathId.of(4);

    private static SwitchPort at(DatapathId dpid, int port) {
        return new SwitchPort(dpid, OFPort.of(port));
    }

    private static List<Link> cable(SwitchPort a, SwitchPort b) {
        Link link = new Link(a, b, Link.Kind.DIRECT);
        return List.of(link, link.reversed());
    }

    /** s1/1-s2/2, s2/1-s3/2, s3/1-s4/2, s4/1-s1/2; port 3 of each switch is an edge port. */
    private static List<Link> ring() {
        List<Link> links = new ArrayList<>();
        links.addAll(cable(at(S1, 1), at(S2, 2)));
        links.addAll(cable(at(S2, 1), at(S3, 2)));
        links.addAll(cable(at(S3, 1), at(S4, 2)));
        links.addAll(cable(at(S4, 1), at(S1, 2)));
        return links;
    }

    private static TopologySnapshot snapshot(List<Link> links, Set<SwitchPort> quarantined) {
        Map<DatapathId, Set<OFPort>> enabled = new HashMap<>();
        for (DatapathId dpid : List.of(S1, S2, S3, S4)) {
            enabled.put(dpid, Set.of(OFPort.of(1), OFPort.of(2), OFPort.of(3)));
        }
        return new TopologySnapshot(7, Set.of(S1, S2, S3, S4), enabled, quarantined, Set.copyOf(links));
    }

    @Test
    void ringSpanningTreeBlocksExactlyOneCableInBothDirections() {
        TopologySnapshot topology = snapshot(ring(), Set.of());

        // BFS from s1 reaches s2 and s4, then s3 through s2 (s2 is reached first): s3-s4 is off the tree.
        assertThat(topology.floodPorts(S1)).containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(2), OFPort.of(3));
        assertThat(topology.floodPorts(S2)).containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(2), OFPort.of(3));
        assertThat(topology.floodPorts(S3)).containsExactlyInAnyOrder(OFPort.of(2), OFPort.of(3));
        assertThat(topology.floodPorts(S4)).containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(3));
        for (DatapathId dpid : List.of(S1, S2, S3, S4)) {
            for (int port = 1; port <= 3; port++) {
                boolean blocked = at(dpid, port).equals(at(S3, 1)) || at(dpid, port).equals(at(S4, 2));
                assertThat(topology.acceptsBroadcast(at(dpid, port))).as("%s/%s", dpid, port).isEqualTo(!blocked);
                assertThat(topology.floodPorts(dpid).contains(OFPort.of(port))).isEqualTo(!blocked);
            }
        }
        assertThat(topology.isInterSwitchPort(at(S3, 1))).isTrue();
        assertThat(topology.isInterSwitchPort(at(S3, 3))).isFalse();
    }

    @Test
    void pathsAreShortestAndBreakTiesTheSameWayWhateverTheOrderLinksCameIn() {
        TopologySnapshot topology = snapshot(ring(), Set.of());

        assertThat(topology.path(S1, S3)).hasValue(List.of(
                new Link(at(S1, 1), at(S2, 2), Link.Kind.DIRECT), new Link(at(S2, 1), at(S3, 2), Link.Kind.DIRECT)));
        assertThat(topology.path(S3, S1)).hasValue(List.of(
                new Link(at(S3, 1), at(S4, 2), Link.Kind.DIRECT), new Link(at(S4, 1), at(S1, 2), Link.Kind.DIRECT)));
        assertThat(topology.path(S1, S2)).hasValue(List.of(new Link(at(S1, 1), at(S2, 2), Link.Kind.DIRECT)));
        assertThat(topology.path(S2, S2)).hasValue(List.of());
        assertThat(topology.path(S1, DatapathId.of(99))).isEmpty();

        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            List<Link> shuffled = ring();
            Collections.shuffle(shuffled, random);
            TopologySnapshot other = snapshot(shuffled, Set.of());
            for (DatapathId from : List.of(S1, S2, S3, S4)) {
                assertThat(other.floodPorts(from)).isEqualTo(topology.floodPorts(from));
                for (DatapathId to : List.of(S1, S2, S3, S4)) {
                    assertThat(other.path(from, to)).isEqualTo(topology.path(from, to));
                }
            }
        }
    }

    @Test
    void unreachableSwitchHasNoPathAndEachIslandHasItsOwnTree() {
        List<Link> links = new ArrayList<>(cable(at(S1, 1), at(S2, 1)));
        links.addAll(cable(at(S3, 1), at(S4, 1)));
        links.addAll(cable(at(S3, 2), at(S4, 2))); // two cables between s3 and s4: a loop
        TopologySnapshot topology = snapshot(links, Set.of());

        assertThat(topology.path(S1, S3)).isEmpty();
        assertThat(topology.path(S3, S4)).hasValue(List.of(new Link(at(S3, 1), at(S4, 1), Link.Kind.DIRECT)));
        assertThat(topology.floodPorts(S1)).contains(OFPort.of(1));
        assertThat(topology.floodPorts(S3)).containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(3));
        assertThat(topology.acceptsBroadcast(at(S4, 2))).isFalse();
    }

    @Test
    void quarantinedPortsNeitherFloodNorAcceptBroadcasts() {
        TopologySnapshot topology = snapshot(List.of(), Set.of(at(S1, 3)));

        assertThat(topology.floodPorts(S1)).containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(2));
        assertThat(topology.acceptsBroadcast(at(S1, 3))).isFalse();
        assertThat(topology.acceptsBroadcast(at(S1, 2))).isTrue();
        assertThat(topology.isQuarantined(at(S1, 3))).isTrue();
        assertThat(topology.isQuarantined(at(S1, 2))).isFalse();
        assertThat(topology.floodPorts(DatapathId.of(99))).isEmpty();
    }

    @Test
    void snapshotsAreImmutable() {
        TopologySnapshot topology = snapshot(ring(), Set.of());
        assertThat(topology.links()).isUnmodifiable();
        assertThat(topology.switches()).isUnmodifiable();
        assertThat(topology.floodPorts(S1)).isUnmodifiable();
        assertThat(topology.linksFrom(S1)).isUnmodifiable().hasSize(2);
        assertThat(topology.path(S1, S3).orElseThrow()).isUnmodifiable();
    }

    @Test
    void pathsAreComputedOnceAndAnsweredFromTheSnapshotFromManyThreads() throws Exception {
        TopologySnapshot topology = snapshot(ring(), Set.of());
        List<Link> expected = List.of(new Link(at(S1, 1), at(S2, 2), Link.Kind.DIRECT),
                new Link(at(S2, 1), at(S3, 2), Link.Kind.DIRECT));
        int threads = 4;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<java.util.Optional<List<Link>>>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return topology.path(S1, S3);
                }));
            }
            for (var answer : answers) {
                assertThat(answer.get()).contains(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        // A cache hit hands out the stored answer itself: nothing is allocated.
        assertThat(topology.path(S1, S3)).isSameAs(topology.path(S1, S3));
        assertThat(topology.path(S1, S1)).contains(List.of()).isSameAs(topology.path(S2, S2));
        assertThat(topology.path(S1, DatapathId.of(99))).isEmpty();
    }
}
