package dev.switchboard.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.hostnet.Link;
import dev.switchboard.hostnet.Netns;
import dev.switchboard.lab.run.LabTeardown.Device;
import dev.switchboard.lab.spec.LabNames;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Which links a round of {@code lab down} deletes by name, from links as {@code ip -json}
 * reports them: each device once, never one that is already leaving with its namespace or peer;
 * and how a round waits for what is leaving.
 */
class LabTeardownTest {
    private static final Predicate<String> OWNED = LabNames.of("td")::owns;
    private static final Netns OVS_PORTS = Netns.named("sbovs-ports");
    private static final Netns HOST = Netns.named("td-h1");

    private static Link veth(Netns ns, String name, int index, String peer, Netns peerNamespace) {
        return new Link(ns, name, index, Optional.of("veth"), Optional.empty(), Optional.of("02:00:00:00:00:01"), 1500,
                68, 65535, true, true, "UP", Optional.empty(), Optional.ofNullable(peer),
                Optional.ofNullable(peerNamespace));
    }

    @Test
    void aVethBetweenTheRootAndTheOvsNamespaceIsDeletedFromOneSideOnly() {
        Set<Device> leaving = new HashSet<>();
        // a Linux bridge's port (root) wired to an OVS switch's port (the private OVS's namespace)
        List<Link> root = List.of(veth(Netns.ROOT, "td-br0-eth1", 11, null, OVS_PORTS));
        List<Link> ovs = List.of(veth(OVS_PORTS, "td-s1-eth1", 5, null, null));

        List<String> fromRoot = LabTeardown.deletions(root, OWNED, Set.of(), leaving, false, false);
        List<String> fromOvs = LabTeardown.deletions(ovs, OWNED, Set.of(), leaving, true, false);

        assertThat(fromRoot).containsExactly("td-br0-eth1");
        assertThat(fromOvs).as("its end goes with the root end").isEmpty();
    }

    @Test
    void aVethLeavingWithItsNamespaceIsNotDeletedByNameInALaterRound() {
        Set<Device> leaving = new HashSet<>();
        List<Link> round1 = List.of(veth(Netns.ROOT, "td-s1-eth1", 7, null, HOST));
        assertThat(LabTeardown.deletions(round1, OWNED, Set.of("td-h1"), leaving, false, false)).isEmpty();

        // the namespace is gone by name, its veth end not yet: its peer now reads as unnamed
        List<Link> round2 = List.of(veth(Netns.ROOT, "td-s1-eth1", 7, null, null));
        assertThat(LabTeardown.deletions(round2, OWNED, Set.of(), leaving, false, false)).isEmpty();

        // a device of that name with another ifindex is another device
        List<Link> remade = List.of(veth(Netns.ROOT, "td-s1-eth1", 42, null, null));
        assertThat(LabTeardown.deletions(remade, OWNED, Set.of(), leaving, false, false)).containsExactly("td-s1-eth1");
    }

    @Test
    void aVethPairInOneNamespaceIsDeletedOnceAndOnlyTheLastRoundDeletesWhatStaysBehind() {
        Set<Device> leaving = new HashSet<>();
        List<Link> links = List.of(veth(Netns.ROOT, "td-s1-eth2", 8, "td-s2-eth2", null),
                veth(Netns.ROOT, "td-s2-eth2", 9, "td-s1-eth2", null),
                veth(Netns.ROOT, "other-s1-eth1", 10, "other-s2-eth1", null));
        assertThat(LabTeardown.deletions(links, OWNED, Set.of(), leaving, false, false)).containsExactly("td-s1-eth2");
        assertThat(LabTeardown.deletions(links, OWNED, Set.of(), leaving, false, false)).as("deleted already").isEmpty();

        // still there after every round (a process keeps its namespace alive): deleted by name, the pair once
        assertThat(LabTeardown.deletions(links, OWNED, Set.of(), leaving, false, true)).containsExactly("td-s1-eth2");
    }

    @Test
    void aRoundStopsLookingOnceNothingIsLeftAndPausesOnlyBetweenLooks() {
        Deque<List<String>> reads = new ArrayDeque<>(List.of(List.of("link td-s1-eth1", "link td-s1-eth2"),
                List.of("link td-s1-eth2"), List.of(), List.of("never read")));
        AtomicInteger pauses = new AtomicInteger();

        List<String> left = LabTeardown.untilGone(reads::poll, LabTeardown.LOOKS_PER_ROUND, pauses::incrementAndGet);

        assertThat(left).isEmpty();
        assertThat(reads).as("reads after the empty one").containsExactly(List.of("never read"));
        assertThat(pauses).hasValue(2);
    }

    @Test
    void whatIsGoneAtOnceCostsNoPause() {
        AtomicInteger pauses = new AtomicInteger();
        assertThat(LabTeardown.untilGone(List::<String>of, LabTeardown.LOOKS_PER_ROUND, pauses::incrementAndGet)).isEmpty();
        assertThat(pauses).hasValue(0);
    }

    @Test
    void whatStaysIsReturnedAfterTheLastLookForTheNextRoundToRemove() {
        AtomicInteger looks = new AtomicInteger();
        AtomicInteger pauses = new AtomicInteger();

        List<String> left = LabTeardown.untilGone(() -> {
            looks.incrementAndGet();
            return List.of("namespace td-h1");
        }, 4, pauses::incrementAndGet);

        assertThat(left).containsExactly("namespace td-h1");
        assertThat(looks).hasValue(4);
        assertThat(pauses).hasValue(3);
    }
}
