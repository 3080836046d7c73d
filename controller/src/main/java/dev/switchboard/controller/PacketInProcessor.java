package dev.switchboard.controller;

import org.projectfloodlight.openflow.protocol.OFPacketIn;

/**
 * One stage of the packet-in pipeline: the hot path.
 *
 * <p>Threading contract: called on the event-loop thread of the switch that sent the packet,
 * with no lock held, one packet at a time per switch; processors run for packets of different
 * switches at the same time on different threads. What it writes to the switch leaves in the
 * event loop's batch at the end of the read. It must not block and must not take a lock
 * another thread may hold (read shared state from immutable snapshots), and it should not
 * allocate more than it needs. One that throws is logged (rate-limited) and skipped for that
 * packet.
 */
@FunctionalInterface
public interface PacketInProcessor {
    Disposition process(OFSwitch sw, OFPacketIn packetIn);
}
