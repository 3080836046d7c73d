package dev.switchboard.ovsdb.data;

import java.util.UUID;

/**
 * The caller's current copy of a row (its replica), which {@link TableUpdates} needs because
 * updates carry only what changed.
 */
@FunctionalInterface
public interface RowLookup {

    /** No rows known: every modification is parsed from what the update alone says. */
    RowLookup NONE = (table, uuid) -> null;

    /** The current copy of row {@code uuid} of {@code table}, or null if unknown. */
    Row find(String table, UUID uuid);
}
