package dev.switchboard.controller.internal;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * The controller's inbound decode step without a channel, the public hook for the in-process
 * JMH benchmark (bench module): what {@link OpenFlowFrameDecoder} does with each complete frame
 * (parse it in place with {@link OpenFlowMessageParser}, the writer index bounding it). It lives
 * here so that the benchmark needs no class in this package and the parser stays package-private.
 *
 * <p>Not thread-safe; one per benchmark thread, as one parser serves one event loop's channels.
 */
public final class BenchmarkDecodePath {
    private static final SocketAddress NO_PEER = InetSocketAddress.createUnresolved("benchmark", 0);

    private final OpenFlowMessageParser parser = new OpenFlowMessageParser(new Counters());
    private final ConnectionStats stats = new ConnectionStats();

    /** Counts a packet-in as the switch stage does for each one it dispatches. */
    public void countPacketIn() {
        stats.packetIn();
    }

    /** Counts {@code message} as the switch stage does for each answer it adds to a read burst's batch. */
    public void countSent(OFMessage message) {
        stats.sentOnLoop(message);
    }

    /** What was counted, so the benchmark can check the counting happened. */
    public long packetInsCounted() {
        return stats.packetIns();
    }

    /** Reads the message of {@code length} bytes at {@code in}'s reader index and moves past it. */
    public OFMessage read(ByteBuf in, int length) {
        int end = in.readerIndex() + length;
        int writerIndex = in.writerIndex();
        in.writerIndex(end);
        try {
            return parser.parse(in, NO_PEER);
        } finally {
            in.writerIndex(writerIndex);
            in.readerIndex(end);
        }
    }
}
