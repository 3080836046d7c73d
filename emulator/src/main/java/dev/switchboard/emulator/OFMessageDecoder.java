package dev.switchboard.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one OpenFlow frame (as cut by a length-field decoder on the header's 16-bit length at
 * offset 2) into an {@link OFMessage} of whatever version its header names.
 *
 * <p>A frame openflowj cannot parse (unknown version, type or enum value) is logged and dropped:
 * the emulator stays up so that a test can still observe what the controller does next. Stateless,
 * hence sharable.
 */
@Sharable
final class OFMessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    static final OFMessageDecoder INSTANCE = new OFMessageDecoder();
    private static final Logger log = LoggerFactory.getLogger(OFMessageDecoder.class);

    private OFMessageDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        int length = frame.readableBytes();
        try {
            OFMessage m = OFFactories.getGenericReader().readFrom(frame);
            if (m != null) {
                out.add(m);
            }
        } catch (OFParseError | RuntimeException e) {
            // openflowj reports bad input with OFParseError or IllegalArgumentException alike.
            log.warn("{}: dropping unparseable {}-byte frame: {}", ctx.channel(), length, e.toString());
        }
    }
}
