package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;

class BalancedAssignmentTest {

    private static Map<DatapathId, Set<String>> allConnectedTo(int datapaths, Set<String> members) {
        Map<DatapathId, Set<String>> out = new HashMap<>();
        IntStream.rangeClosed(1, datapaths).forEach(i -> out.put(DatapathId.of(i), members));
        return out;
    }

    private static Map<String, Long> loads(Map<DatapathId, String> assignment) {
        return assignment.values().stream().collect(Collectors.groupingBy(m -> m, Collectors.counting()));
    }

    @Test
    void spreadsEvenlyOverMembersConnectedToAll() {
        TreeSet<String> members = new TreeSet<>(Set.of("a", "b", "c"));
        Map<DatapathId, String> thirty = BalancedAssignment.assign(members, allConnectedTo(30, members));
        assertThat(thirty).hasSize(30);
        assertThat(loads(thirty)).containsOnly(Map.entry("a", 10L), Map.entry("b", 10L), Map.entry("c", 10L));

        Map<DatapathId, String> thirtyOne = BalancedAssignment.assign(members, allConnectedTo(31, members));
        assertThat(loads(thirtyOne).values()).containsExactlyInAnyOrder(11L, 10L, 10L);
    }

    @Test
    void aLeavingMemberMovesItsShareAndFewOthers() {
        TreeSet<String> three = new TreeSet<>(Set.of("a", "b", "c"));
        Map<DatapathId, String> before = BalancedAssignment.assign(three, allConnectedTo(300, three));
        TreeSet<String> two = new TreeSet<>(Set.of("a", "b"));
        Map<DatapathId, String> after = BalancedAssignment.assign(two, allConnectedTo(300, three));

        assertThat(loads(after)).containsOnly(Map.entry("a", 150L), Map.entry("b", 150L));
        long movedBetweenStayers = before.entrySet().stream()
                .filter(e -> !e.getValue().equals("c") && !e.getValue().equals(after.get(e.getKey()))).count();
        // round robin over the sorted datapaths would move about half of them; rendezvous ranks keep most
        assertThat(movedBetweenStayers).isLessThan(60);
    }

    /**
     * A member that reaches no datapath (it joined and no switch connected to it yet, or it left and
     * ZooKeeper deleted its registrations before its member node) takes no share, so the others keep
     * what they would hold without it: it moves nothing between them.
     */
    @Test
    void aMemberConnectedToNoDatapathMovesNothingBetweenTheOthers() {
        TreeSet<String> two = new TreeSet<>(Set.of("a", "b"));
        TreeSet<String> three = new TreeSet<>(Set.of("a", "b", "c"));
        for (int datapaths = 1; datapaths <= 40; datapaths++) {
            Map<DatapathId, Set<String>> reachedByTwo = allConnectedTo(datapaths, two);
            assertThat(BalancedAssignment.assign(three, reachedByTwo)).as("%d datapaths", datapaths)
                    .isEqualTo(BalancedAssignment.assign(two, reachedByTwo));
        }
    }

    @Test
    void aDatapathGoesOnlyToMembersConnectedToIt() {
        TreeSet<String> members = new TreeSet<>(Set.of("a", "b", "c"));
        Map<DatapathId, Set<String>> connected = allConnectedTo(9, members);
        connected.put(DatapathId.of(100), Set.of("c"));
        connected.put(DatapathId.of(101), Set.of("gone")); // only a member that left reaches it

        Map<DatapathId, String> assignment = BalancedAssignment.assign(members, connected);

        assertThat(assignment.get(DatapathId.of(100))).isEqualTo("c");
        assertThat(assignment).doesNotContainKey(DatapathId.of(101));
        Collection<Long> counts = loads(assignment).values();
        assertThat(counts).allSatisfy(n -> assertThat(n).isBetween(3L, 4L));
    }

    @Test
    void nobodyMastersWithoutMembers() {
        assertThat(BalancedAssignment.assign(new TreeSet<>(), allConnectedTo(3, Set.of("a")))).isEmpty();
    }
}
