package dev.switchboard.controller.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one frame from {@link OpenFlowFrameDecoder} into an openflowj message.
 *
 * <p>A frame that openflowj does not know (an experimenter or Nicira extension, a message
 * type newer than openflowj) is counted, logged at debug and skipped: switches send such
 * messages after upgrades, and dropping the switch for them is the Floodlight bug this
 * avoids. A frame of a known kind that does not parse raises {@link OpenFlowProtocolException}.
 */
final class OpenFlowMessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    private static final Logger log = LoggerFactory.getLogger(OpenFlowMessageDecoder.class);
    private static final OFMessageReader<OFMessage> READER = OFFactories.getGenericReader();
    /**
     * openflowj raises OFParseError for every failure and tells an unknown discriminator
     * (message type, experimenter id, subtype) apart only in the text.
     */
    private static final String UNKNOWN_DISCRIMINATOR = "Unknown value for discriminator";

    private final Counters counters;

    OpenFlowMessageDecoder(Counters counters) {
        super(ByteBuf.class);
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        int version = frame.getUnsignedByte(frame.readerIndex());
        int type = frame.getUnsignedByte(frame.readerIndex() + 1);
        if (version > OpenFlowFrameDecoder.HIGHEST_KNOWN_WIRE_VERSION) {
            frame = helloAsHighestKnownVersion(frame);
        }
        try {
            out.add(READER.readFrom(frame));
        } catch (OFParseError e) {
            String what = e.getMessage() == null ? e.toString() : e.getMessage();
            if (what.startsWith(UNKNOWN_DISCRIMINATOR)) {
                counters.unknownMessagesSkipped.increment();
                log.debug("{}: skipped a message openflowj does not know (version {}, type {}): {}",
                        ctx.channel().remoteAddress(), version, type, what);
            } else {
                throw new OpenFlowProtocolException(
                        "cannot parse a message of version " + version + ", type " + type + ": " + what);
            }
        } catch (RuntimeException e) {
            // openflowj fails on some malformed nested lengths with NPEs or index errors
            throw new OpenFlowProtocolException(
                    "cannot parse a message of version " + version + ", type " + type + ": " + e);
        }
    }

    /**
     * A switch newer than us opens with a HELLO of its own version. The HELLO body has kept
     * its form since 1.3.1 (a list of elements, among them the version bitmap), so reading
     * it as our highest version keeps the bitmap for negotiation.
     */
    private static ByteBuf helloAsHighestKnownVersion(ByteBuf frame) {
        frame.setByte(frame.readerIndex(), OpenFlowFrameDecoder.HIGHEST_KNOWN_WIRE_VERSION);
        return frame;
    }
}
