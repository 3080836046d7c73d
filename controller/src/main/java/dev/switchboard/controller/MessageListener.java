package dev.switchboard.controller;

import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * Receives asynchronous messages of one type from ready switches (FLOW_REMOVED, for example)
 * that are not replies to a pending request. Called on the switch's event-loop thread.
 */
@FunctionalInterface
public interface MessageListener {
    void receive(OFSwitch sw, OFMessage message);
}
