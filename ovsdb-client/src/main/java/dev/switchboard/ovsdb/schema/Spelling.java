package dev.switchboard.ovsdb.schema;

import java.util.Optional;

/**
 * The name that was probably meant, for "did you mean …?" hints: OVSDB column names here, and
 * the keys of lab files in the lab module (which depends on this one; this is the lowest module
 * both may use, so the edit distance is written once).
 */
public final class Spelling {

    private Spelling() {
    }

    /**
     * The candidate fewest edits away from {@code misspelt}, if one is at most {@code maxEdits}
     * away; among equally close ones, the first in {@code candidates}' order.
     */
    public static Optional<String> closest(String misspelt, Iterable<String> candidates, int maxEdits) {
        String best = null;
        int bestDistance = maxEdits + 1;
        for (String candidate : candidates) {
            int distance = distance(misspelt, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The Levenshtein distance: how many insertions, deletions and substitutions turn {@code a} into {@code b}. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
