package dev.switchboard.controller.internal;

import dev.switchboard.controller.ReplyTooLargeException;
import dev.switchboard.controller.SwitchDisconnectedException;
import dev.switchboard.controller.SwitchError;
import dev.switchboard.controller.SwitchErrorException;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests of one connection waiting for their reply, by xid. Registered from any thread,
 * answered on the connection's event loop; every entry leaves the map exactly once: by its
 * reply, an ERROR, its timeout, or the connection closing.
 *
 * <p>A multipart reply is capped at {@code maxReplyBytes} (as sent) and {@link #MAX_REPLY_PARTS}
 * parts: past either, the request fails at once and the parts are dropped, but the entry stays,
 * empty, to swallow the rest of that reply until its last part or the request's timeout (so
 * the leftover parts neither pile up nor reach listeners as unsolicited messages).
 *
 * <p>Threads: the packet path reads only {@code isEmpty()}. A future is completed after its
 * entry left the map, never inside a map operation, so what an app chained to it runs with no
 * lock held (on the event loop, for replies and timeouts). The map's own per-bin writes (one
 * insert by the requesting thread, one removal by the loop) are the only place two threads may
 * meet; no foreign code runs there.
 */
final class PendingRequests {
    private static final Logger log = LoggerFactory.getLogger(PendingRequests.class);

    private final class Pending {
        final long xid;
        final String what;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        final List<OFStatsReply> parts;
        /** Bytes of {@link #parts} as the switch sent them; event loop only. */
        long bytes;
        /** Over a cap: the future failed, the rest of the reply is discarded. Event loop only. */
        boolean discarding;
        volatile ScheduledFuture<?> timeout;

        Pending(long xid, String what, boolean multipart) {
            this.xid = xid;
            this.what = what;
            this.parts = multipart ? new ArrayList<>() : null;
        }

        void complete(Object value) {
            cancelTimeout();
            future.complete(value);
        }

        void fail(Throwable cause) {
            cancelTimeout();
            future.completeExceptionally(cause);
        }

        void cancelTimeout() {
            ScheduledFuture<?> scheduled = timeout;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    /** 16384 parts of up to 64 KiB each: a gigabyte of replies is more than any table holds. */
    static final int MAX_REPLY_PARTS = 16_384;

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final SwitchConnection sw;
    private final long maxReplyBytes;
    private final Counters counters;

    PendingRequests(SwitchConnection sw, long maxReplyBytes, Counters counters) {
        this.sw = sw;
        this.maxReplyBytes = maxReplyBytes;
        this.counters = counters;
    }

    /** Registers a request before it is written, so that no reply can overtake it. */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> register(OFMessage request, boolean multipart, Duration timeout, EventLoop loop) {
        String what = request instanceof OFStatsRequest<?> stats ? stats.getStatsType() + " stats request"
                : request.getType().name();
        Pending entry = new Pending(request.getXid(), what, multipart);
        if (pending.putIfAbsent(entry.xid, entry) != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "xid " + entry.xid + " is already waiting for a reply from " + sw.id()));
        }
        try {
            entry.timeout = loop.schedule(() -> {
                if (pending.remove(entry.xid, entry)) {
                    entry.future.completeExceptionally(new TimeoutException(String.format(
                            "switch %s did not answer %s xid %d within %s", sw.id(), entry.what, entry.xid, timeout)));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            forget(entry.xid, new SwitchDisconnectedException("the controller is shutting down"));
        }
        return (CompletableFuture<T>) (CompletableFuture<?>) entry.future;
    }

    void forget(long xid, Throwable cause) {
        Pending entry = pending.remove(xid);
        if (entry != null) {
            entry.fail(cause);
        }
    }

    /**
     * Offers a message from the switch.
     *
     * @param wireBytes the message's length as sent (its OpenFlow header's length field)
     * @return whether it answered a pending request
     */
    boolean offer(OFMessage message, int wireBytes) {
        if (pending.isEmpty() || !canAnswer(message.getType())) {
            return false;
        }
        long xid = message.getXid();
        Pending entry = pending.get(xid);
        if (entry == null) {
            return false;
        }
        if (entry.discarding) {
            boolean last = !(message instanceof OFStatsReply part) || !part.getFlags().contains(OFStatsReplyFlags.REPLY_MORE);
            if (last) {
                pending.remove(xid, entry);
                entry.cancelTimeout();
            }
            return true;
        }
        if (message instanceof OFErrorMsg error) {
            pending.remove(xid);
            entry.fail(new SwitchErrorException(sw, SwitchError.of(error)));
        } else if (entry.parts != null && message instanceof OFStatsReply part) {
            entry.parts.add(part);
            entry.bytes += wireBytes;
            boolean more = part.getFlags().contains(OFStatsReplyFlags.REPLY_MORE);
            if (entry.bytes > maxReplyBytes || entry.parts.size() > MAX_REPLY_PARTS) {
                tooLarge(entry, more);
            } else if (!more) {
                pending.remove(xid);
                entry.complete(List.copyOf(entry.parts));
            }
        } else {
            pending.remove(xid);
            entry.complete(message);
        }
        return true;
    }

    /**
     * Fails the request and drops its parts; unless that was the last part, the entry stays to
     * discard the rest (its timeout, still armed, removes it if the rest never comes).
     */
    private void tooLarge(Pending entry, boolean more) {
        String why = String.format("switch %s sent more than %s for %s xid %d (%d parts, %d bytes so far); "
                + "the reply was dropped", sw.id(), entry.bytes > maxReplyBytes ? maxReplyBytes + " bytes (maxReplyBytes)"
                : MAX_REPLY_PARTS + " parts", entry.what, entry.xid, entry.parts.size(), entry.bytes);
        entry.parts.clear();
        counters.repliesTooLarge.increment();
        log.warn("{}", why);
        if (more) {
            entry.discarding = true;
            entry.future.completeExceptionally(new ReplyTooLargeException(why));
        } else {
            pending.remove(entry.xid, entry);
            entry.fail(new ReplyTooLargeException(why));
        }
    }

    /** Messages a switch sends on its own never answer a request, whatever their xid. */
    private static boolean canAnswer(OFType type) {
        return switch (type) {
            case PACKET_IN, PORT_STATUS, FLOW_REMOVED, HELLO, ECHO_REQUEST, ROLE_STATUS, TABLE_STATUS,
                    REQUESTFORWARD, CONTROLLER_STATUS -> false;
            default -> true;
        };
    }

    void failAll(String reason) {
        for (Long xid : List.copyOf(pending.keySet())) {
            forget(xid, new SwitchDisconnectedException(
                    "switch " + sw.id() + " disconnected before answering xid " + xid + ": " + reason));
        }
    }
}
