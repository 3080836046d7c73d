package dev.switchboard.ovsdb.client;

import dev.switchboard.ovsdb.data.RowUpdate;
import java.util.List;

/**
 * Receives a monitor's updates. Each call carries everything one committed transaction
 * changed in the monitored tables, so a reader never sees half of a transaction. Called on
 * the connection's event loop: do not block.
 */
@FunctionalInterface
public interface UpdateListener {
    void update(List<RowUpdate> updates);
}
