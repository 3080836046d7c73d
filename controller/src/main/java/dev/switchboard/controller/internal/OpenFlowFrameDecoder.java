package dev.switchboard.controller.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * Cuts the byte stream into OpenFlow messages and reads each with {@link OpenFlowMessageParser}.
 *
 * <p>Wire format: every message starts with the 8-byte OpenFlow header {@code version:u8,
 * type:u8, length:u16, xid:u32}; {@code length} counts the whole message, header included.
 * A complete frame is parsed where it lies in the cumulation buffer, with the writer index
 * moved to the frame's end for the time of the parse so that openflowj cannot read past it;
 * this costs no slice and no reference count per message (openflowj copies what it keeps).
 *
 * <p>Checked before any body is buffered: the version is one openflowj reads (1.0 to 1.5;
 * a HELLO of a newer version is let through, as version negotiation allows), the length is
 * at least the header and at most the configured maximum. On the first violation the
 * decoder discards everything that follows and raises one {@link OpenFlowProtocolException};
 * the channel handler closes the connection. A frame whose body does not parse does the same.
 *
 * <p>Flow control: one frame is parsed per {@code decode} call, so each message has been
 * handled (and its answers written) before the next one is parsed. Before each frame the
 * decoder checks that the channel is still writable, i.e. that less than the high water mark
 * waits to be sent; if not, it stops, leaves the rest in the cumulation buffer and turns
 * {@code autoRead} off, so the peer is not read while it does not read us. When the channel
 * is writable again it parses what was left and reads again. A read burst also ends after
 * {@link #MAX_MESSAGES_PER_BURST} messages, resuming in a task of its own, so one peer cannot
 * keep its event loop from the others. What the decoder holds is thus at most one socket read
 * (at most {@link #MAX_READ_BYTES}) plus one incomplete frame.
 */
final class OpenFlowFrameDecoder extends ByteToMessageDecoder {
    static final int HEADER_LENGTH = 8;
    static final int HIGHEST_KNOWN_WIRE_VERSION = 6;
    private static final int HELLO = 0;
    /** Messages one read burst may hand on before the decoder lets other channels have the loop. */
    static final int MAX_MESSAGES_PER_BURST = 1024;
    /** The largest buffer one socket read fills (the receive allocator's maximum). */
    static final int MAX_READ_BYTES = 64 * 1024;

    private final int maxMessageBytes;
    private final OpenFlowMessageParser parser;
    private final Counters counters;
    private boolean discarding;
    /** Reading stopped (autoRead off) until the channel is writable again or the resume task ran. */
    private boolean paused;
    private int messagesThisBurst;
    /** The length of the frame parsed last, which is the message being handed on. */
    private int lastFrameBytes;

    OpenFlowFrameDecoder(int maxMessageBytes, OpenFlowMessageParser parser, Counters counters) {
        this.maxMessageBytes = maxMessageBytes;
        this.parser = parser;
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= HEADER_LENGTH) {
            int start = in.readerIndex();
            int length = in.getUnsignedShort(start + 2);
            String problem = problemWith(in.getUnsignedByte(start), in.getUnsignedByte(start + 1), length);
            if (problem != null) {
                discarding = true;
                in.skipBytes(in.readableBytes());
                throw new OpenFlowProtocolException(problem);
            }
            if (in.readableBytes() < length) {
                return;
            }
            if (mustPause(ctx)) {
                return;
            }
            messagesThisBurst++;
            parseInPlace(ctx, in, start + length, out);
            if (!out.isEmpty()) {
                return; // handled before the next frame is parsed
            }
        }
    }

    private boolean mustPause(ChannelHandlerContext ctx) {
        if (paused) {
            return true;
        }
        if (!ctx.channel().isWritable()) {
            paused = true;
            counters.readPauses.increment();
            ctx.channel().config().setAutoRead(false);
            return true; // channelWritabilityChanged resumes
        }
        if (messagesThisBurst >= MAX_MESSAGES_PER_BURST) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
            ctx.executor().execute(() -> resume(ctx));
            return true;
        }
        return false;
    }

    /** Parses what was left when reading paused, then reads again unless it paused once more. */
    private void resume(ChannelHandlerContext ctx) {
        if (!paused || !ctx.channel().isActive() || ctx.isRemoved()) {
            return;
        }
        paused = false;
        messagesThisBurst = 0;
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
        channelReadComplete(ctx);
        if (!paused && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        ctx.fireChannelWritabilityChanged();
        if (paused && ctx.channel().isWritable()) {
            resume(ctx);
        }
    }

    /**
     * Ends a burst without what {@link ByteToMessageDecoder} would do with autoRead off: it
     * asks for another read when a burst produced no message, which would read a peer we
     * paused and let the cumulation grow.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        messagesThisBurst = 0;
        discardSomeReadBytes();
        ctx.fireChannelReadComplete();
    }

    /** Frames left when the connection closed are not handed on: nothing could answer them. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        in.skipBytes(in.readableBytes());
    }

    /**
     * The wire length of the message the next stage is handling: one frame is parsed per call
     * and handed on before the next one, so while a message is being handled this is its length.
     */
    int lastFrameBytes() {
        return lastFrameBytes;
    }

    private void parseInPlace(ChannelHandlerContext ctx, ByteBuf in, int end, List<Object> out) {
        lastFrameBytes = end - in.readerIndex();
        int writerIndex = in.writerIndex();
        in.writerIndex(end);
        try {
            OFMessage message = parser.parse(in, ctx.channel().remoteAddress());
            if (message != null) {
                out.add(message);
            }
        } catch (OpenFlowProtocolException e) {
            discarding = true;
            in.writerIndex(writerIndex);
            in.skipBytes(in.readableBytes());
            throw e;
        } finally {
            if (!discarding) {
                in.writerIndex(writerIndex);
                in.readerIndex(end);
            }
        }
    }

    private String problemWith(int version, int type, int length) {
        if (version == 0 || (version > HIGHEST_KNOWN_WIRE_VERSION && type != HELLO)) {
            return String.format("unsupported OpenFlow version 0x%02x (not an OpenFlow peer?)", version);
        }
        if (length < HEADER_LENGTH) {
            return "length field " + length + " is smaller than the 8-byte OpenFlow header";
        }
        if (length > maxMessageBytes) {
            return "message of " + length + " bytes exceeds the maximum of " + maxMessageBytes;
        }
        return null;
    }
}
