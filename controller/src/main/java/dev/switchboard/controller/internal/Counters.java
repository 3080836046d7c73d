package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerCounters;
import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shared by all connections; LongAdder keeps event loops from contending. The open
 * connections are kept too, so that a snapshot can say how much waits to be sent.
 */
public final class Counters {
    final LongAdder unknownMessagesSkipped = new LongAdder();
    final LongAdder unhandledMessages = new LongAdder();
    final LongAdder connectionsClosedForBadInput = new LongAdder();
    final LongAdder processorFailures = new LongAdder();
    final LongAdder connectionsRefused = new LongAdder();
    final LongAdder connectionsClosedUnwritable = new LongAdder();
    final LongAdder readPauses = new LongAdder();
    final LongAdder writesRefused = new LongAdder();
    final LongAdder repliesTooLarge = new LongAdder();
    /** Connections accepted and not refused, until they close. */
    final Set<Channel> open = ConcurrentHashMap.newKeySet();
    /** Of those, the ones whose handshake is not complete. */
    final AtomicInteger pending = new AtomicInteger();

    public ControllerCounters snapshot() {
        long total = 0;
        long largest = 0;
        for (Channel channel : open) {
            long bytes = OutboundBudget.waiting(channel);
            total += bytes;
            largest = Math.max(largest, bytes);
        }
        return new ControllerCounters(unknownMessagesSkipped.sum(), unhandledMessages.sum(),
                connectionsClosedForBadInput.sum(), processorFailures.sum(), connectionsRefused.sum(),
                connectionsClosedUnwritable.sum(), readPauses.sum(), writesRefused.sum(), open.size(), pending.get(),
                total, largest, repliesTooLarge.sum());
    }
}
