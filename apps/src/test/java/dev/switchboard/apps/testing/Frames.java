package dev.switchboard.apps.testing;

import dev.switchboard.controller.openflow.OpenFlowMessages;
import dev.switchboard.controller.packet.EthernetFrames;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/** Ethernet frames and packet-ins for tests. */
public final class Frames {
    public static final long BROADCAST = EthernetFrames.BROADCAST;

    private Frames() {
    }

    /** A 60-byte IPv4 frame; {@code vlan} {@link EthernetFrames#UNTAGGED} or a VLAN id for an 802.1Q tag. */
    public static byte[] frame(long dst, long src, int vlan) {
        byte[] frame = new byte[60];
        EthernetFrames.putMac(frame, 0, dst);
        EthernetFrames.putMac(frame, 6, src);
        int offset = 12;
        if (vlan != EthernetFrames.UNTAGGED) {
            frame[12] = (byte) 0x81;
            frame[13] = 0x00;
            frame[14] = (byte) (vlan >> 8);
            frame[15] = (byte) vlan;
            offset = 16;
        }
        frame[offset] = 0x08;
        frame[offset + 1] = 0x00;
        return frame;
    }

    public static byte[] frame(long dst, long src) {
        return frame(dst, src, EthernetFrames.UNTAGGED);
    }

    public static OFPacketIn packetIn(OFFactory f, int inPort, byte[] frame, OFBufferId buffer) {
        OFPacketIn.Builder b = f.buildPacketIn()
                .setBufferId(buffer)
                .setTotalLen(frame.length)
                .setReason(f.getVersion() == OFVersion.OF_10 ? OFPacketInReason.NO_MATCH : OFPacketInReason.NO_MATCH)
                .setData(frame);
        if (f.getVersion() == OFVersion.OF_10) {
            b.setInPort(OFPort.of(inPort));
        } else {
            b.setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(inPort)).build());
        }
        return b.build();
    }

    public static OFPacketIn packetIn(OFFactory f, int inPort, byte[] frame) {
        return packetIn(f, inPort, frame, OFBufferId.NO_BUFFER);
    }

    /** The port numbers of a message's output actions, in order. */
    public static List<Integer> outputs(List<OFAction> actions) {
        return actions.stream().map(a -> ((OFActionOutput) a).getPort().getPortNumber()).toList();
    }

    public static OFPort inPortOf(OFPacketIn packetIn) {
        return OpenFlowMessages.inPort(packetIn);
    }
}
