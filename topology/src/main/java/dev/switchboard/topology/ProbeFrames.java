package dev.switchboard.topology;

import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.controller.packet.LldpFrames;

/**
 * Builds and reads the discovery probes, by hand (openflowj has no packet classes).
 *
 * <p>Both kinds carry the same LLDP payload (IEEE 802.1AB TLVs, each a 7-bit type and a 9-bit
 * length): chassis id (subtype 4, MAC: the low 48 bits of the datapath id), port id
 * (subtype 7, locally assigned: the 32-bit OpenFlow port number, since 1.1+ ports do not fit
 * the 16 bits Floodlight used), TTL, one organisation-specific TLV of ours, end. The
 * chassis id cannot hold a whole 64-bit datapath id, so the organisation TLV carries it,
 * followed by a {@link ProbeAuthenticator} over (datapath id, port number) under this run's
 * secret key: a probe whose authenticator does not verify (forged by a host, another
 * controller's, an old run's) never makes a link.
 *
 * <ul>
 *   <li>LLDP goes to 01:80:c2:00:00:0e with EtherType 0x88cc; bridges do not forward that
 *       address, so an LLDP link means a direct cable.</li>
 *   <li>BDDP (Floodlight's idea) goes to the broadcast address with EtherType 0x8942, which
 *       ordinary switches flood: it finds ports joined through a segment we do not control.</li>
 * </ul>
 */
final class ProbeFrames {
    static final long LLDP_DESTINATION = LldpFrames.NEAREST_BRIDGE;
    static final int TTL_SECONDS = 120;

    private static final int TLV_END = LldpFrames.TLV_END;
    private static final int TLV_CHASSIS_ID = LldpFrames.TLV_CHASSIS_ID;
    private static final int TLV_PORT_ID = LldpFrames.TLV_PORT_ID;
    private static final int TLV_TTL = LldpFrames.TLV_TTL;
    private static final int TLV_ORGANISATION = LldpFrames.TLV_ORGANISATION;
    private static final int CHASSIS_SUBTYPE_MAC = 4;
    private static final int PORT_SUBTYPE_LOCAL = 7;
    /** Floodlight's OUI for OpenFlow datapath ids in LLDP; our subtype tells our TLV from theirs. */
    private static final int OUI = 0x0026e1;
    private static final int ORG_SUBTYPE_SWITCHBOARD = 0x53;
    /** OUI (3) + subtype (1) + datapath id (8) + authenticator. */
    static final int ORG_LENGTH = 12 + ProbeAuthenticator.LENGTH;
    /** Ethernet's minimum frame without FCS; switches would pad shorter ones anyway. */
    private static final int MIN_FRAME = 60;

    private ProbeFrames() {
    }

    /** A probe as sent out of {@code port}: LLDP or, when {@code bddp}, BDDP. */
    static byte[] build(boolean bddp, long sourceMac, long dpid, int port, ProbeAuthenticator authenticator) {
        // Header 14, chassis 9, port 7, TTL 4, organisation 2 + ORG_LENGTH, end 2.
        byte[] frame = new byte[Math.max(MIN_FRAME, 14 + 9 + 7 + 4 + 2 + ORG_LENGTH + 2)];
        EthernetFrames.putMac(frame, 0, bddp ? EthernetFrames.BROADCAST : LLDP_DESTINATION);
        EthernetFrames.putMac(frame, 6, sourceMac);
        int at = putU16(frame, 12, bddp ? EthernetFrames.TYPE_BDDP : EthernetFrames.TYPE_LLDP);

        at = putTlvHeader(frame, at, TLV_CHASSIS_ID, 7);
        frame[at++] = CHASSIS_SUBTYPE_MAC;
        EthernetFrames.putMac(frame, at, dpid);
        at += 6;

        at = putTlvHeader(frame, at, TLV_PORT_ID, 5);
        frame[at++] = PORT_SUBTYPE_LOCAL;
        at = putU32(frame, at, port);

        at = putTlvHeader(frame, at, TLV_TTL, 2);
        at = putU16(frame, at, TTL_SECONDS);

        at = putTlvHeader(frame, at, TLV_ORGANISATION, ORG_LENGTH);
        frame[at++] = (byte) (OUI >>> 16);
        frame[at++] = (byte) (OUI >>> 8);
        frame[at++] = (byte) OUI;
        frame[at++] = ORG_SUBTYPE_SWITCHBOARD;
        at = putU64(frame, at, dpid);
        authenticator.sign(dpid, port, frame, at);
        at += ProbeAuthenticator.LENGTH;

        putTlvHeader(frame, at, TLV_END, 0);
        return frame; // the rest stays zero: padding
    }

    /** Where a probe of ours came from. */
    record Origin(long dpid, int port) {
    }

    /**
     * The origin of one of our probes, or null when the frame is not one (forged, another
     * controller's, an old run's, or malformed). Expects an LLDP or BDDP frame.
     */
    static Origin parse(byte[] frame, ProbeAuthenticator authenticator) {
        int at = EthernetFrames.payloadOffset(frame);
        boolean havePort = false;
        boolean haveOrigin = false;
        int port = 0;
        long dpid = 0;
        int authenticatorAt = -1;
        for (; LldpFrames.hasTlv(frame, at); at = LldpFrames.next(frame, at)) {
            int type = LldpFrames.type(frame, at);
            int length = LldpFrames.length(frame, at);
            int value = LldpFrames.valueOffset(at);
            if (type == TLV_PORT_ID && length == 5 && frame[value] == PORT_SUBTYPE_LOCAL) {
                port = EthernetFrames.u32(frame, value + 1);
                havePort = true;
            } else if (type == TLV_ORGANISATION && length == ORG_LENGTH && isOurs(frame, value)) {
                dpid = u64(frame, value + 4);
                authenticatorAt = value + 12;
                haveOrigin = true;
            }
        }
        if (!havePort || !haveOrigin || !authenticator.verify(dpid, port, frame, authenticatorAt)) {
            return null;
        }
        return new Origin(dpid, port);
    }

    private static boolean isOurs(byte[] frame, int at) {
        int oui = ((frame[at] & 0xFF) << 16) | ((frame[at + 1] & 0xFF) << 8) | (frame[at + 2] & 0xFF);
        return oui == OUI && frame[at + 3] == ORG_SUBTYPE_SWITCHBOARD;
    }

    private static int putTlvHeader(byte[] frame, int at, int type, int length) {
        return putU16(frame, at, (type << 9) | length);
    }

    private static int putU16(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
        return at + 2;
    }

    private static int putU32(byte[] bytes, int at, int value) {
        putU16(bytes, at, value >>> 16);
        return putU16(bytes, at + 2, value);
    }

    private static int putU64(byte[] bytes, int at, long value) {
        putU32(bytes, at, (int) (value >>> 32));
        return putU32(bytes, at + 4, (int) value);
    }

    private static long u64(byte[] bytes, int at) {
        return ((long) EthernetFrames.u32(bytes, at) << 32) | (EthernetFrames.u32(bytes, at + 4) & 0xFFFF_FFFFL);
    }
}
