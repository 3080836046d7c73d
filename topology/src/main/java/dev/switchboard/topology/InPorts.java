package dev.switchboard.topology;

import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;

/** Where a packet-in came in: a field up to OpenFlow 1.1, a match entry from 1.2 on. */
public final class InPorts {
    private InPorts() {
    }

    /** The packet's in-port, or null when a 1.2+ switch left it out of the match. */
    public static OFPort of(OFPacketIn packetIn) {
        return packetIn.getVersion().compareTo(OFVersion.OF_12) < 0
                ? packetIn.getInPort()
                : packetIn.getMatch().get(MatchField.IN_PORT);
    }
}
