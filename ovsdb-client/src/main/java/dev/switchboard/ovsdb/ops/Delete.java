package dev.switchboard.ovsdb.ops;

import java.util.List;
import java.util.Objects;

/** Deletes the matching rows (RFC 7047 5.2.5); an empty "where" deletes every row. */
public record Delete(String table, List<Condition> where) implements Operation {

    public Delete {
        Objects.requireNonNull(table, "table");
        where = List.copyOf(where);
    }

    @Override
    public String op() {
        return "delete";
    }
}
