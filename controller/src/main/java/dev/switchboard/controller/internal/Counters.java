package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerCounters;
import dev.switchboard.controller.HandshakeFailure;
import io.netty.channel.Channel;
import java.util.EnumMap;
import java.util.Map;
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
    final LongAdder writeStalls = new LongAdder();
    /** Filled once for every reason, then only read: no lookup can miss. */
    private final Map<HandshakeFailure, LongAdder> handshakeFailures = new EnumMap<>(HandshakeFailure.class);
    /** Processor failures by the processor's registered name; a failure is rare, so the lookup may allocate. */
    final Map<String, LongAdder> processorFailuresByName = new ConcurrentHashMap<>();
    /** Connections accepted and not refused, until they close. */
    final Set<Channel> open = ConcurrentHashMap.newKeySet();
    /** Of those, the ones whose handshake is not complete. */
    final AtomicInteger pending = new AtomicInteger();

    public Counters() {
        for (HandshakeFailure reason : HandshakeFailure.values()) {
            handshakeFailures.put(reason, new LongAdder());
        }
    }

    void handshakeFailed(HandshakeFailure reason) {
        handshakeFailures.get(reason).increment();
    }

    long handshakeFailures(HandshakeFailure reason) {
        return handshakeFailures.get(reason).sum();
    }

    void processorFailed(String name) {
        processorFailuresByName.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    /** Bytes waiting to be sent, all connections together, and the most for any one. */
    long[] pendingWriteBytes() {
        long total = 0;
        long largest = 0;
        for (Channel channel : open) {
            long bytes = OutboundBudget.waiting(channel);
            total += bytes;
            largest = Math.max(largest, bytes);
        }
        return new long[] {total, largest};
    }

    public ControllerCounters snapshot() {
        long[] waiting = pendingWriteBytes();
        long total = waiting[0];
        long largest = waiting[1];
        return new ControllerCounters(unknownMessagesSkipped.sum(), unhandledMessages.sum(),
                connectionsClosedForBadInput.sum(), processorFailures.sum(), connectionsRefused.sum(),
                connectionsClosedUnwritable.sum(), readPauses.sum(), writesRefused.sum(), open.size(), pending.get(),
                total, largest, repliesTooLarge.sum());
    }
}
