package dev.switchboard.ovsdb.data;

import java.util.Objects;
import java.util.UUID;

/**
 * One row's change, from an "update" or "update2" notification or a monitor reply.
 *
 * @param table  the row's table
 * @param uuid   the row's uuid
 * @param oldRow the row before the change; null for an insert (or an initial row)
 * @param newRow the row after the change; null for a delete
 */
public record RowUpdate(String table, UUID uuid, Row oldRow, Row newRow) {

    public RowUpdate {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(uuid, "uuid");
        if (oldRow == null && newRow == null) {
            throw new IllegalArgumentException("a row update needs an old or a new row");
        }
    }

    public boolean isInsert() {
        return oldRow == null;
    }

    public boolean isDelete() {
        return newRow == null;
    }

    public boolean isModify() {
        return oldRow != null && newRow != null;
    }
}
