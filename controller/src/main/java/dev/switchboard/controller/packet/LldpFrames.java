package dev.switchboard.controller.packet;

import static dev.switchboard.controller.packet.EthernetFrames.u16;

/**
 * Walks the TLVs of an LLDP payload (IEEE 802.1AB) straight from a frame's bytes, without
 * allocating. Each TLV is a 2-byte header (7-bit type, 9-bit length) and its value:
 *
 * <pre>{@code
 * for (int at = EthernetFrames.payloadOffset(frame); LldpFrames.hasTlv(frame, at); at = LldpFrames.next(frame, at)) {
 *     if (LldpFrames.type(frame, at) == LldpFrames.TLV_PORT_ID) { ... LldpFrames.valueOffset(at) ... }
 * }
 * }</pre>
 */
public final class LldpFrames {
    /** The nearest-bridge group address: bridges do not forward it, so a probe to it crosses one cable. */
    public static final long NEAREST_BRIDGE = 0x0180_c200_000eL;
    public static final int TLV_END = 0;
    public static final int TLV_CHASSIS_ID = 1;
    public static final int TLV_PORT_ID = 2;
    public static final int TLV_TTL = 3;
    public static final int TLV_ORGANISATION = 127;
    public static final int HEADER = 2;

    private LldpFrames() {
    }

    /** A TLV other than END starts at {@code at} and its value is whole in the frame. */
    public static boolean hasTlv(byte[] frame, int at) {
        return at + HEADER <= frame.length && type(frame, at) != TLV_END
                && valueOffset(at) + length(frame, at) <= frame.length;
    }

    public static int type(byte[] frame, int at) {
        return u16(frame, at) >>> 9;
    }

    /** The value's length in bytes. */
    public static int length(byte[] frame, int at) {
        return u16(frame, at) & 0x1FF;
    }

    public static int valueOffset(int at) {
        return at + HEADER;
    }

    /** Where the TLV after the one at {@code at} starts. */
    public static int next(byte[] frame, int at) {
        return valueOffset(at) + length(frame, at);
    }
}
