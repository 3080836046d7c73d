package dev.switchboard.controller;

import org.projectfloodlight.openflow.protocol.OFPacketIn;

/**
 * One stage of the packet-in pipeline. Called on the event-loop thread of the switch that
 * sent the packet: it must not block, and it should not allocate more than it needs.
 */
@FunctionalInterface
public interface PacketInProcessor {
    Disposition process(OFSwitch sw, OFPacketIn packetIn);
}
