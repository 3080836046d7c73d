package dev.switchboard.bench.openflow;

import io.netty.buffer.ByteBuf;

/**
 * Reads, without decoding the whole message, which of our packet-ins a controller's FLOW_MOD or
 * PACKET_OUT answers. Every packet-in the generator sends carries a unique buffer id, and the
 * same id in its frame ({@link PacketIns#TAG_OFFSET}): a reply naming that buffer id, or a
 * NO_BUFFER PACKET_OUT carrying the frame back, identifies it. A NO_BUFFER FLOW_MOD names none.
 *
 * <p>Offsets (OpenFlow 1.0 / 1.1 and later): FLOW_MOD's buffer_id at 64 (after the 40-byte
 * match, cookie, command, timeouts, priority) / 32; PACKET_OUT's buffer_id at 8 in both, its
 * actions length at 14 / 16 and its data after 16 / 24 bytes plus the actions. Stateless.
 */
final class ReplyIds {
    /** The message type numbers, the same in OpenFlow 1.0 to 1.5. */
    static final int PACKET_OUT = 13;
    static final int FLOW_MOD = 14;
    static final long NO_BUFFER = 0xffff_ffffL;
    /** What {@link #packetInId} returns when the message names no packet-in. */
    static final long NONE = -1;

    private static final int OF_10 = 1;

    private ReplyIds() {
    }

    /** The message type of the frame starting at the reader index. */
    static int type(ByteBuf frame) {
        return frame.getUnsignedByte(frame.readerIndex() + 1);
    }

    /**
     * The id of the packet-in that this FLOW_MOD or PACKET_OUT answers, or {@link #NONE}.
     *
     * @param switchNumber the number our frames carry for this switch; a frame from another
     *     switch's tag is not ours
     */
    static long packetInId(ByteBuf frame, int switchNumber) {
        int start = frame.readerIndex();
        int length = frame.readableBytes();
        int version = frame.getUnsignedByte(start);
        int type = frame.getUnsignedByte(start + 1);
        if (type == FLOW_MOD) {
            int at = version == OF_10 ? 64 : 32;
            if (length < at + 4) {
                return NONE;
            }
            long bufferId = frame.getUnsignedInt(start + at);
            return bufferId == NO_BUFFER ? NONE : bufferId;
        }
        if (type != PACKET_OUT || length < 16) {
            return NONE;
        }
        long bufferId = frame.getUnsignedInt(start + 8);
        if (bufferId != NO_BUFFER) {
            return bufferId;
        }
        int dataOffset = version == OF_10
                ? 16 + frame.getUnsignedShort(start + 14)
                : 24 + (length >= 18 ? frame.getUnsignedShort(start + 16) : 0);
        int tag = start + dataOffset + PacketIns.TAG_OFFSET;
        if (dataOffset + PacketIns.TAG_OFFSET + PacketIns.TAG_LENGTH > length
                || frame.getInt(tag) != PacketIns.TAG_MAGIC
                || frame.getInt(tag + 4) != switchNumber) {
            return NONE;
        }
        return frame.getUnsignedInt(tag + 8);
    }
}
