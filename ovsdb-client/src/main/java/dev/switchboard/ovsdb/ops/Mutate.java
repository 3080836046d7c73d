package dev.switchboard.ovsdb.ops;

import java.util.List;
import java.util.Objects;

/**
 * Changes columns of the matching rows in place (RFC 7047 5.2.4): arithmetic, or inserting and
 * deleting set elements and map pairs. Only mutable columns may be mutated.
 */
public record Mutate(String table, List<Condition> where, List<Mutation> mutations) implements Operation {

    public Mutate {
        Objects.requireNonNull(table, "table");
        where = List.copyOf(where);
        mutations = List.copyOf(mutations);
    }

    @Override
    public String op() {
        return "mutate";
    }
}
