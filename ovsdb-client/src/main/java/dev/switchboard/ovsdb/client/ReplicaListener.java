package dev.switchboard.ovsdb.client;

import dev.switchboard.ovsdb.data.Row;

/**
 * Told of changes to a {@link Replica}, one committed transaction at a time: the row
 * callbacks for every row it changed, then {@link #updated} with the snapshot that holds
 * them all. Called on the connection's event loop: do not block.
 */
public interface ReplicaListener {

    default void rowInserted(String table, Row row) {
    }

    default void rowModified(String table, Row before, Row after) {
    }

    default void rowDeleted(String table, Row row) {
    }

    /** The replica now equals this snapshot. */
    default void updated(Replica.Snapshot snapshot) {
    }

    /**
     * The replica was filled anew after a (re)connection; the row callbacks before this one
     * told what differed from the copy held before.
     */
    default void resynchronised(Replica.Snapshot snapshot) {
    }
}
