package dev.switchboard.controller.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Rewrites an OpenFlow 1.2 PACKET_IN whose match openflowj cannot read into one it can, by
 * leaving out the match fields that are not OpenFlow-basic.
 *
 * <p>Why: OVS marks a 1.2 packet-in from a tunnel port with Nicira fields ({@code NXM_NX_TUN_ID}
 * and the tunnel's endpoints: the standard tunnel field came only in 1.3), and openflowj's 1.2
 * match reader refuses every field class but OpenFlow-basic, so without this every packet-in from
 * a tunnel (LLDP probes, the first frames of tenant hosts) would be skipped on 1.2. The apps read
 * only OpenFlow-basic fields (the in-port above all), so nothing they use is lost. Runs only after
 * a parse failed, never on the usual path.
 *
 * <p>Layout (OpenFlow 1.2, 7.4.1): header (8), buffer_id (4), total_len (2), reason (1), table_id
 * (1), then {@code ofp_match} (type, length without padding, OXM TLVs, zero padding to 8), two
 * pad bytes, and the frame.
 */
final class Of12PacketInRepair {
    static final int WIRE_VERSION = 3;
    static final int PACKET_IN_TYPE = 10;
    private static final int MATCH_OFFSET = 16;
    private static final int MATCH_HEADER = 4;
    private static final int OXM_HEADER = 4;
    private static final int OPENFLOW_BASIC = 0x8000;
    private static final int PAD_AFTER_MATCH = 2;

    private Of12PacketInRepair() {
    }

    /**
     * The message at {@code frame}'s reader index (its readable bytes) with only its match's
     * OpenFlow-basic fields; null when it is not a 1.2 PACKET_IN, its lengths do not add up, or
     * no field would be left out (then repairing cannot help). The caller releases the result.
     */
    static ByteBuf withBasicFieldsOnly(ByteBuf frame) {
        int start = frame.readerIndex();
        int length = frame.readableBytes();
        if (length < MATCH_OFFSET + MATCH_HEADER + PAD_AFTER_MATCH
                || frame.getUnsignedByte(start) != WIRE_VERSION
                || frame.getUnsignedByte(start + 1) != PACKET_IN_TYPE) {
            return null;
        }
        int matchStart = start + MATCH_OFFSET;
        int matchLength = frame.getUnsignedShort(matchStart + 2);
        int paddedMatch = padded(matchLength);
        int dataStart = matchStart + paddedMatch + PAD_AFTER_MATCH;
        if (matchLength < MATCH_HEADER || dataStart > start + length) {
            return null;
        }
        ByteBuf kept = Unpooled.buffer(matchLength);
        boolean leftOut = false;
        int at = matchStart + MATCH_HEADER;
        int matchEnd = matchStart + matchLength;
        while (at < matchEnd) {
            if (at + OXM_HEADER > matchEnd) {
                return null;
            }
            int header = frame.getInt(at);
            int fieldLength = OXM_HEADER + (header & 0xff);
            if (at + fieldLength > matchEnd) {
                return null;
            }
            if (header >>> 16 == OPENFLOW_BASIC) {
                kept.writeBytes(frame, at, fieldLength);
            } else {
                leftOut = true;
            }
            at += fieldLength;
        }
        if (!leftOut) {
            return null;
        }
        int newMatchLength = MATCH_HEADER + kept.readableBytes();
        int dataLength = start + length - dataStart;
        int newLength = MATCH_OFFSET + padded(newMatchLength) + PAD_AFTER_MATCH + dataLength;
        ByteBuf repaired = Unpooled.buffer(newLength);
        repaired.writeBytes(frame, start, MATCH_OFFSET);
        repaired.setShort(2, newLength);
        repaired.writeShort(frame.getUnsignedShort(matchStart)); // the match type (OXM)
        repaired.writeShort(newMatchLength);
        repaired.writeBytes(kept);
        repaired.writeZero(padded(newMatchLength) - newMatchLength + PAD_AFTER_MATCH);
        repaired.writeBytes(frame, dataStart, dataLength);
        return repaired;
    }

    private static int padded(int matchLength) {
        return (matchLength + 7) & ~7;
    }
}
