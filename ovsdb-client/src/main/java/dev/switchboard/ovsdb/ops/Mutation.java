package dev.switchboard.ovsdb.ops;

import java.util.Objects;

/**
 * One change of a "mutate" (RFC 7047 {@code <mutation>}): {@code [column, mutator, value]}.
 * The value is in any form {@code DatumCodec} accepts; {@link TransactionCodec} checks it.
 */
public record Mutation(String column, Mutator mutator, Object value) {

    public Mutation {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(mutator, "mutator");
    }

    /** Adds elements (a set, or one atom) or pairs (a map) to a set or map column. */
    public static Mutation insert(String column, Object value) {
        return new Mutation(column, Mutator.INSERT, value);
    }

    /**
     * Removes elements (a set, or one atom) from a set column; from a map column, removes the
     * pairs of a map (key and value must both match) or the keys of a set.
     */
    public static Mutation delete(String column, Object value) {
        return new Mutation(column, Mutator.DELETE, value);
    }

    /** Adds {@code n} to an integer or real column (to every element of a set). */
    public static Mutation add(String column, long n) {
        return new Mutation(column, Mutator.ADD, n);
    }

    /** Subtracts {@code n} from an integer or real column (from every element of a set). */
    public static Mutation sub(String column, long n) {
        return new Mutation(column, Mutator.SUB, n);
    }
}
