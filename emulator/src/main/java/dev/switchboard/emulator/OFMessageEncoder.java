package dev.switchboard.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * Writes an {@link OFMessage} in its own version. Other outbound objects (raw {@code ByteBuf}s
 * from {@code sendRaw}) pass through untouched. Stateless, hence sharable.
 */
@Sharable
final class OFMessageEncoder extends MessageToByteEncoder<OFMessage> {
    static final OFMessageEncoder INSTANCE = new OFMessageEncoder();

    private OFMessageEncoder() {
        super(OFMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OFMessage msg, ByteBuf out) {
        msg.writeTo(out);
    }
}
