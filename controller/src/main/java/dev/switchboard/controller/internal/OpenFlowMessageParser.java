package dev.switchboard.controller.internal;

import dev.switchboard.controller.PeerText;
import io.netty.buffer.ByteBuf;
import java.net.SocketAddress;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one frame cut by {@link OpenFlowFrameDecoder} into an openflowj message.
 *
 * <p>A frame that openflowj does not know (an experimenter or Nicira extension, a message
 * type newer than openflowj) is counted, logged at debug and skipped: switches send such
 * messages after upgrades, and dropping the switch for them is the Floodlight bug this
 * avoids. A 1.2 PACKET_IN whose match holds Nicira fields is read without them
 * ({@link Of12PacketInRepair}). A frame of a known kind that does not parse raises
 * {@link OpenFlowProtocolException}.
 *
 * <p>Not a pipeline stage of its own: the frame decoder calls it on the bytes where they lie,
 * which saves a buffer slice and a pipeline hop per message.
 */
final class OpenFlowMessageParser {
    private static final Logger log = LoggerFactory.getLogger(OpenFlowMessageParser.class);
    private static final OFMessageReader<OFMessage> READER = OFFactories.getGenericReader();
    /**
     * openflowj raises OFParseError for every failure and tells an unknown discriminator
     * (message type, experimenter id, subtype) apart only in the text.
     */
    private static final String UNKNOWN_DISCRIMINATOR = "Unknown value for discriminator";
    private static final int HELLO_TYPE = 0;
    private static final int HEADER_BYTES = 8;

    private final Counters counters;

    OpenFlowMessageParser(Counters counters) {
        this.counters = counters;
    }

    /**
     * Reads the one message that fills {@code frame}'s readable bytes.
     *
     * @param peer named in the debug line of a skipped message
     * @return the message, or null when openflowj does not know its kind (counted and skipped)
     */
    OFMessage parse(ByteBuf frame, SocketAddress peer) {
        int version = frame.getUnsignedByte(frame.readerIndex());
        int type = frame.getUnsignedByte(frame.readerIndex() + 1);
        if (version > OpenFlowFrameDecoder.HIGHEST_KNOWN_WIRE_VERSION) {
            helloAsHighestKnownVersion(frame);
        }
        if (type == HELLO_TYPE && (version == 2 || version == 3) && frame.readableBytes() > HEADER_BYTES) {
            return helloWithoutBody(frame, version);
        }
        OFMessage message;
        int start = frame.readerIndex();
        try {
            message = READER.readFrom(frame);
        } catch (OFParseError e) {
            // openflowj may quote what it read: escaped before it reaches a log line
            String what = PeerText.escape(e.getMessage() == null ? e.toString() : e.getMessage());
            if (what.startsWith(UNKNOWN_DISCRIMINATOR)) {
                frame.readerIndex(start);
                OFMessage repaired = withBasicMatchFields(frame);
                if (repaired != null) {
                    return repaired;
                }
                counters.unknownMessagesSkipped.increment();
                log.debug("{}: skipped a message openflowj does not know (version {}, type {}): {}",
                        peer, version, type, what);
                return null;
            }
            throw new OpenFlowProtocolException(
                    "cannot parse a message of version " + version + ", type " + type + ": " + what);
        } catch (RuntimeException e) {
            // openflowj fails on some malformed nested lengths with NPEs or index errors
            throw new OpenFlowProtocolException(
                    "cannot parse a message of version " + version + ", type " + type + ": " + PeerText.escape(e.toString()));
        }
        if (message == null) {
            // openflowj answers null when the frame is shorter than the message says it is
            throw new OpenFlowProtocolException(
                    "cannot parse a message of version " + version + ", type " + type + ": truncated body");
        }
        return message;
    }

    /** A 1.2 PACKET_IN read again without its Nicira match fields; null if that does not help. */
    private static OFMessage withBasicMatchFields(ByteBuf frame) {
        ByteBuf repaired = Of12PacketInRepair.withBasicFieldsOnly(frame);
        if (repaired == null) {
            return null;
        }
        try {
            return READER.readFrom(repaired);
        } catch (OFParseError | RuntimeException e) {
            return null;
        } finally {
            repaired.release();
        }
    }

    /**
     * OpenFlow 1.1 and 1.2 define no HELLO body but tell receivers to ignore one, and OVS sends
     * its version bitmap in it; openflowj's 1.1/1.2 readers refuse any body, so the header is
     * all that is read.
     */
    private static OFMessage helloWithoutBody(ByteBuf frame, int version) {
        long xid = frame.getUnsignedInt(frame.readerIndex() + 4);
        frame.skipBytes(frame.readableBytes());
        return OFFactories.getFactory(version == 2 ? OFVersion.OF_11 : OFVersion.OF_12).buildHello().setXid(xid).build();
    }

    /**
     * A switch newer than us opens with a HELLO of its own version. The HELLO body has kept
     * its form since 1.3.1 (a list of elements, among them the version bitmap), so reading
     * it as our highest version keeps the bitmap for negotiation.
     */
    private static void helloAsHighestKnownVersion(ByteBuf frame) {
        frame.setByte(frame.readerIndex(), OpenFlowFrameDecoder.HIGHEST_KNOWN_WIRE_VERSION);
    }
}
