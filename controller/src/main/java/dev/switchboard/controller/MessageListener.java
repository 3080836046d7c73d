package dev.switchboard.controller;

import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * Receives asynchronous messages of one type from ready switches (FLOW_REMOVED, for example)
 * that are not replies to a pending request.
 *
 * <p>Threading contract: called on the event-loop thread of the switch that sent the message,
 * in the order the switch sent them, with no lock held; listeners for different switches run
 * at the same time on different threads. It may read and write the switch and send requests;
 * it must not block (no waiting on a future, no I/O, no lock another thread may hold): slow work
 * goes to an executor of its own. One that throws is logged; the others are still told.
 */
@FunctionalInterface
public interface MessageListener {
    void receive(OFSwitch sw, OFMessage message);
}
