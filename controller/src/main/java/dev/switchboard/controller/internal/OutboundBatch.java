package dev.switchboard.controller.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * The messages a switch's own event loop writes while it reads a burst of that switch's
 * messages, encoded back to back into one buffer that goes down the pipeline once.
 *
 * <p>Why: a learning switch answers every packet-in with a FLOW_MOD or PACKET_OUT. Sent one by
 * one, each answer costs a buffer from the allocator, a trip through the outbound handlers and
 * an entry in the channel's outbound buffer; at a million packet-ins a second that was about
 * half of the event loop's time (JFR, see docs/benchmarks.md). Encoded here, a burst of
 * answers costs one buffer and one write.
 *
 * <p>A message openflowj cannot encode leaves nothing behind: the buffer is reset to where
 * that message began and the exception goes to the caller.
 *
 * <p>Not thread-safe: used on the channel's event loop only.
 */
final class OutboundBatch {
    /** Hand the buffer on once it holds this much, so one burst never grows one huge buffer. */
    static final int HANDOFF_BYTES = 32 * 1024;
    private static final int INITIAL_BYTES = 4 * 1024;

    private final ByteBufAllocator allocator;
    private ByteBuf buffer;

    OutboundBatch(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /**
     * Encodes {@code message} after the ones before it.
     *
     * @return true when the batch reached {@link #HANDOFF_BYTES} and should be {@linkplain #take taken}
     */
    boolean add(OFMessage message) {
        if (buffer == null) {
            buffer = allocator.ioBuffer(INITIAL_BYTES);
        }
        int start = buffer.writerIndex();
        try {
            message.writeTo(buffer);
        } catch (RuntimeException e) {
            buffer.writerIndex(start);
            throw e;
        }
        return buffer.readableBytes() >= HANDOFF_BYTES;
    }

    /** Bytes encoded and not yet taken. */
    int size() {
        return buffer == null ? 0 : buffer.readableBytes();
    }

    boolean isEmpty() {
        return buffer == null || !buffer.isReadable();
    }

    /** The encoded messages, now the caller's to write or release; null when there are none. */
    ByteBuf take() {
        ByteBuf taken = buffer;
        buffer = null;
        if (taken != null && !taken.isReadable()) {
            taken.release();
            return null;
        }
        return taken;
    }

    /** Drops what was not taken (the channel closed). */
    void discard() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
