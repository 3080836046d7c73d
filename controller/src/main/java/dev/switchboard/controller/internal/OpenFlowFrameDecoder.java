package dev.switchboard.controller.internal;

import io.netty.buffer.ByteBuf;
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
 */
final class OpenFlowFrameDecoder extends ByteToMessageDecoder {
    static final int HEADER_LENGTH = 8;
    static final int HIGHEST_KNOWN_WIRE_VERSION = 6;
    private static final int HELLO = 0;

    private final int maxMessageBytes;
    private final OpenFlowMessageParser parser;
    private boolean discarding;

    OpenFlowFrameDecoder(int maxMessageBytes, OpenFlowMessageParser parser) {
        this.maxMessageBytes = maxMessageBytes;
        this.parser = parser;
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
            parseInPlace(ctx, in, start + length, out);
        }
    }

    private void parseInPlace(ChannelHandlerContext ctx, ByteBuf in, int end, List<Object> out) {
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
