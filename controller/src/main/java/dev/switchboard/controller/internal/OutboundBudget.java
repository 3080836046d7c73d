package dev.switchboard.controller.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.AttributeKey;
import io.netty.util.internal.SystemPropertyUtil;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What waits to be sent to one peer, and the door that refuses more than {@code
 * peerBufferBytes} of it. Everything counts as Netty counts its outbound buffer: the bytes plus
 * the buffer's per-entry overhead. A write from another thread is counted from the moment it is
 * admitted (as {@link #handedOver}) until the event loop has put it into the outbound buffer, so
 * the limit holds exactly for one writer, and for several up to one message each. (While the loop
 * moves a message, {@link #waiting()} may count it twice.)
 */
final class OutboundBudget {
    private static final Logger log = LoggerFactory.getLogger(OutboundBudget.class);
    static final AttributeKey<OutboundBudget> KEY = AttributeKey.valueOf(OutboundBudget.class, "budget");
    /** What Netty's outbound buffer adds to each message it holds (its default, read the same way). */
    static final int ENTRY_OVERHEAD = SystemPropertyUtil.getInt("io.netty.transport.outboundBufferEntrySizeOverhead", 96);

    private final Channel channel;
    private final long limit;
    private final Counters counters;
    /** Admitted from other threads and not yet in the outbound buffer. */
    private final AtomicLong handedOver = new AtomicLong();

    OutboundBudget(Channel channel, long limit, Counters counters) {
        this.channel = channel;
        this.limit = limit;
        this.counters = counters;
        channel.attr(KEY).set(this);
    }

    /** Bytes waiting to be sent to {@code channel}, any thread. */
    static long waiting(Channel channel) {
        OutboundBudget budget = channel.attr(KEY).get();
        return budget == null ? inOutboundBuffer(channel) : budget.waiting();
    }

    long waiting() {
        return inOutboundBuffer(channel) + handedOver.get();
    }

    static long inOutboundBuffer(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /**
     * Whether a message of {@code bytes} more may wait. A refusal is counted and logged at debug
     * only: a switch in that state is closed after {@code maxUnwritable}, with one WARN.
     */
    boolean admit(long bytes) {
        long waiting = waiting();
        if (waiting + bytes + ENTRY_OVERHEAD <= limit) {
            return true;
        }
        counters.writesRefused.increment();
        log.debug("{}: refused a write: {} bytes wait to be sent already", channel.remoteAddress(), waiting);
        return false;
    }

    /**
     * Writes and flushes {@code encoded} from any thread, if admitted; otherwise releases it.
     *
     * @param written told when the write is done, or null
     * @return false when refused
     */
    boolean send(ByteBuf encoded, ChannelFutureListener written) {
        int bytes = encoded.readableBytes();
        if (!admit(bytes)) {
            encoded.release();
            return false;
        }
        if (channel.eventLoop().inEventLoop()) {
            write(encoded, written);
            return true;
        }
        long cost = bytes + ENTRY_OVERHEAD;
        handedOver.addAndGet(cost);
        try {
            channel.eventLoop().execute(() -> {
                // in the outbound buffer first, then no longer handed over: for a moment it counts
                // twice, never not at all, so no other writer is admitted past the limit meanwhile
                write(encoded, written);
                handedOver.addAndGet(-cost);
            });
        } catch (RejectedExecutionException e) { // the controller is shutting down
            handedOver.addAndGet(-cost);
            encoded.release();
            if (written != null) {
                channel.newFailedFuture(e).addListener(written);
            }
        }
        return true;
    }

    private void write(ByteBuf encoded, ChannelFutureListener written) {
        if (written == null) {
            channel.writeAndFlush(encoded, channel.voidPromise());
        } else {
            channel.writeAndFlush(encoded).addListener(written);
        }
    }
}
