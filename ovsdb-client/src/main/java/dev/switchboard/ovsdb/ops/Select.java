package dev.switchboard.ovsdb.ops;

import java.util.List;
import java.util.Objects;

/**
 * Selects rows (RFC 7047 5.2.2).
 *
 * @param table   the table
 * @param where   conditions all matching rows meet (empty: every row)
 * @param columns the columns to return, or null for all of them (including {@code _uuid} and
 *                {@code _version})
 */
public record Select(String table, List<Condition> where, List<String> columns) implements Operation {

    public Select {
        Objects.requireNonNull(table, "table");
        where = List.copyOf(where);
        columns = columns == null ? null : List.copyOf(columns);
    }

    /** Selects all columns. */
    public Select(String table, List<Condition> where) {
        this(table, where, null);
    }

    @Override
    public String op() {
        return "select";
    }
}
