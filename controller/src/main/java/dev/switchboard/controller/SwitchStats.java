package dev.switchboard.controller;

import org.projectfloodlight.openflow.types.DatapathId;

/**
 * What one ready switch connection has done since its handshake, read live. A reconnected switch
 * is a new connection with new stats (from zero), as a Prometheus counter reset expects.
 *
 * <p>Reads are cheap and take no lock, from any thread: most counts are written by the
 * connection's own event loop only and read as they are at that moment, so a reader may be a few
 * packets behind. Nothing here costs the packet path more than a field increment.
 */
public interface SwitchStats {

    DatapathId id();

    /** PACKET_INs received. */
    long packetIns();

    /** FLOW_MODs sent by apps and the API (the handshake's table-miss flow is not counted). */
    long flowMods();

    /** PACKET_OUTs sent by apps and the API. */
    long packetOuts();

    /** ECHO_REPLYs received to the controller's own echo requests (sent after {@code echoInterval} of silence). */
    long echoReplies();

    /** The round trips of those echoes, added up, in nanoseconds. */
    long echoRoundTripNanos();

    /** The latest echo round trip in nanoseconds; 0 before the first. */
    long lastEchoRoundTripNanos();

    /** Times the connection became unwritable: more than the high water mark waited for the switch. */
    long writeStalls();
}
