package dev.switchboard.controller;

import org.projectfloodlight.openflow.protocol.OFPortDesc;

/**
 * Switch and port life cycle. Callbacks for a switch run on that switch's event-loop
 * thread and must not block. When a datapath reconnects, listeners see
 * {@code switchRemoved(old)} then {@code switchAdded(new)}, both on the new connection's
 * thread; there are never two switches with one datapath id.
 */
public interface SwitchListener {

    /** The switch finished the handshake and is ready for messages. */
    default void switchAdded(OFSwitch sw) {
    }

    /** The switch disconnected or was replaced by a new connection with the same datapath id. */
    default void switchRemoved(OFSwitch sw) {
    }

    default void portAdded(OFSwitch sw, OFPortDesc port) {
    }

    /** A port's configuration or state changed; {@code before} is the description it replaces. */
    default void portChanged(OFSwitch sw, OFPortDesc before, OFPortDesc after) {
    }

    default void portRemoved(OFSwitch sw, OFPortDesc port) {
    }
}
