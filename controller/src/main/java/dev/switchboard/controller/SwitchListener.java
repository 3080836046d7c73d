package dev.switchboard.controller;

import org.projectfloodlight.openflow.protocol.OFPortDesc;

/**
 * Switch and port life cycle.
 *
 * <p>Threading contract:
 * <ul>
 *   <li><b>Which thread:</b> every callback about a switch runs on that switch's event-loop
 *       thread (the one that reads its socket), after the change is published: in
 *       {@code switchAdded} the switch is already in {@link SwitchService#switches()}, in
 *       {@code switchRemoved} no longer. No lock is held while a listener runs. Callbacks for
 *       different switches may run at the same time on different threads, so state a listener
 *       shares between switches must be thread-safe (an immutable snapshot swapped atomically,
 *       not a lock the event loops wait on).
 *   <li><b>Order:</b> per connection, {@code switchAdded} comes first, port events after it, and
 *       {@code switchRemoved} last; nothing follows it. When a datapath reconnects, listeners see
 *       {@code switchRemoved(old)} (on the old connection's thread) before {@code switchAdded(new)}
 *       (on the new one's); there are never two announced switches with one datapath id. Port
 *       changes that come before {@code switchAdded} are in the ports it sees, not told apart.
 *   <li><b>What it may do:</b> read the switch, write to it ({@link OFSwitch#write}: written in
 *       the event loop's current batch), send requests and react to their futures, add or remove
 *       listeners. It must not block: no waiting on a future ({@code join}, {@code get}), no I/O,
 *       no lock another thread may hold for long; hand such work to an executor of its own. A
 *       listener that throws is logged and the others are still told.
 * </ul>
 */
public interface SwitchListener {

    /** The switch finished the handshake and is ready for messages. */
    default void switchAdded(OFSwitch sw) {
    }

    /** The switch disconnected or was replaced by a new connection with the same datapath id. */
    default void switchRemoved(OFSwitch sw) {
    }

    /**
     * In a cluster: this instance became the switch's master ({@link ControllerRole#MASTER}: the
     * switch accepted its MASTER request) or stopped being it ({@link ControllerRole#SLAVE}: the
     * cluster moved the switch, or this instance lost ZooKeeper). Never called alone. Comes after
     * {@code switchAdded} and before {@code switchRemoved}, on the switch's event loop. The write
     * gate does not wait for it: a demotion refuses writes before listeners hear of it.
     */
    default void switchRoleChanged(OFSwitch sw, ControllerRole role) {
    }

    default void portAdded(OFSwitch sw, OFPortDesc port) {
    }

    /** A port's configuration or state changed; {@code before} is the description it replaces. */
    default void portChanged(OFSwitch sw, OFPortDesc before, OFPortDesc after) {
    }

    default void portRemoved(OFSwitch sw, OFPortDesc port) {
    }
}
