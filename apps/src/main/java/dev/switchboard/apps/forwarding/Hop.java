package dev.switchboard.apps.forwarding;

import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/** One switch of a route: frames come in at {@code inPort} and go out of {@code outPort}. */
record Hop(DatapathId dpid, OFPort inPort, OFPort outPort) {
}
