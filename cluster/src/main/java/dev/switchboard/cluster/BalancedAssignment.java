package dev.switchboard.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * Which member should master each datapath: a pure function of the live members and of which
 * members each datapath is connected to, so every member computes the same answer from the same
 * ZooKeeper state without a leader.
 *
 * <p>Each datapath goes to the member it ranks highest (rendezvous hashing: a hash of datapath
 * and member) among those connected to it that hold fewer than their share: {@code n/m} of the
 * {@code n} datapaths over the {@code m} members connected to any, and {@code n%m} of them one
 * more. So the spread is even (no member holds more than one datapath above another when all are
 * connected to all), and a member joining or leaving moves about its share of datapaths, not all
 * of them: most keep their first choice.
 */
public final class BalancedAssignment {
    private BalancedAssignment() {
    }

    /**
     * @param members   the live members
     * @param connected for each known datapath, the members connected to it (others are ignored)
     * @return the master of each datapath that has a live member connected to it
     */
    public static Map<DatapathId, String> assign(SortedSet<String> members, Map<DatapathId, Set<String>> connected) {
        Map<DatapathId, String> out = new HashMap<>();
        if (members.isEmpty()) {
            return out;
        }
        // datapaths with fewer choices first, so a datapath only one member reaches gets it
        List<Map.Entry<DatapathId, List<String>>> todo = new ArrayList<>();
        for (Map.Entry<DatapathId, Set<String>> e : new TreeMap<>(connected).entrySet()) {
            List<String> eligible = e.getValue().stream().filter(members::contains).sorted().toList();
            if (!eligible.isEmpty()) {
                todo.add(Map.entry(e.getKey(), eligible));
            }
        }
        todo.sort(Comparator.comparingInt((Map.Entry<DatapathId, List<String>> e) -> e.getValue().size())
                .thenComparing(Map.Entry::getKey));
        if (todo.isEmpty()) {
            return out;
        }
        // n datapaths over the m members that reach any: each gets n/m, and n%m of them one more. A member
        // that reaches none (just joined, or leaving with its registrations gone before its member node)
        // would count for a share it cannot take, and the others' would change: a move between them for nothing
        long sharing = todo.stream().flatMap(e -> e.getValue().stream()).distinct().count();
        int base = (int) (todo.size() / sharing);
        int[] extrasLeft = {(int) (todo.size() % sharing)};
        Map<String, Integer> load = new HashMap<>();
        for (Map.Entry<DatapathId, List<String>> e : todo) {
            DatapathId dpid = e.getKey();
            List<String> ranked = new ArrayList<>(e.getValue());
            ranked.sort(Comparator.comparingLong((String member) -> rank(dpid, member)).reversed()
                    .thenComparing(Comparator.naturalOrder()));
            String chosen = ranked.stream()
                    .filter(m -> load.getOrDefault(m, 0) < base || (load.getOrDefault(m, 0) == base && extrasLeft[0] > 0))
                    .findFirst()
                    .orElseGet(() -> ranked.stream().min(Comparator.comparingInt((String m) -> load.getOrDefault(m, 0))
                            .thenComparing(Comparator.naturalOrder())).orElseThrow());
            if (load.getOrDefault(chosen, 0) == base) {
                extrasLeft[0]--;
            }
            load.merge(chosen, 1, Integer::sum);
            out.put(dpid, chosen);
        }
        return out;
    }

    /** A well-mixed 64-bit hash of the pair (SplitMix64 finaliser over both). */
    static long rank(DatapathId dpid, String member) {
        long h = dpid.getLong() * 0x9E3779B97F4A7C15L ^ member.hashCode();
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }
}
