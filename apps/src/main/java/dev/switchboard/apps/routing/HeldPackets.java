package dev.switchboard.apps.routing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Routed packets waiting for their next hop's ARP reply: a bounded queue per next hop
 * (oldest dropped when full), a bounded number of next hops, a bound on the bytes held in
 * all ({@link #MAX_HELD_BYTES}; beyond it new packets are dropped), and a deadline on the
 * timer after which the queue is handed to {@code expired} (which sends host unreachable).
 * ARP requests for one next hop are asked for at most once per {@link #ARP_INTERVAL_NANOS},
 * so a sender cannot make the router broadcast at the rate it sends packets.
 *
 * <p>Queues are only touched inside the map's atomic {@code compute}, or after an atomic
 * {@code remove} took them out, so event loops and the timer need no other lock.
 */
final class HeldPackets {
    static final int MAX_PER_NEXT_HOP = 32;
    static final int MAX_NEXT_HOPS = 1024;
    /** All held frames together: 32 × 1024 full-size frames would be 48 MiB. */
    static final long MAX_HELD_BYTES = 4L * 1024 * 1024;
    static final long ARP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** A packet as it arrived, with where it arrived, so it can be routed or answered later. */
    record Held(DatapathId ingress, OFPort inPort, byte[] frame) {
    }

    enum Outcome {
        /** Held, and no ARP request for this next hop went out recently: the caller asks for its MAC. */
        ASK,
        /** Held behind an ARP request sent recently. */
        QUEUED,
        /** Too many next hops are unresolved, too many bytes are held, or the app stopped; the packet is dropped. */
        REFUSED
    }

    private static final class Queue {
        final ArrayDeque<Held> packets = new ArrayDeque<>();
    }

    private final Map<IPv4Address, Queue> queues = new ConcurrentHashMap<>();
    /** When an ARP request was last asked for, per next hop; outlives the queues so their turnover is limited too. */
    private final Map<IPv4Address, Long> lastAsked = new ConcurrentHashMap<>();
    private final AtomicLong heldBytes = new AtomicLong();
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final BiConsumer<IPv4Address, List<Held>> expired;
    private final LongSupplier clock;
    private volatile boolean stopped;

    HeldPackets(ScheduledExecutorService timer, Duration timeout, BiConsumer<IPv4Address, List<Held>> expired) {
        this(timer, timeout, expired, System::nanoTime);
    }

    HeldPackets(ScheduledExecutorService timer, Duration timeout, BiConsumer<IPv4Address, List<Held>> expired,
            LongSupplier clock) {
        this.timer = timer;
        this.timeout = timeout;
        this.expired = expired;
        this.clock = clock;
    }

    Outcome hold(IPv4Address nextHop, Held packet) {
        if (stopped) {
            return Outcome.REFUSED;
        }
        int size = packet.frame().length;
        Outcome[] outcome = {Outcome.QUEUED};
        Queue[] created = {null};
        queues.compute(nextHop, (ip, queue) -> {
            if (queue == null && queues.size() >= MAX_NEXT_HOPS) {
                outcome[0] = Outcome.REFUSED;
                return null;
            }
            Held dropped = queue != null && queue.packets.size() == MAX_PER_NEXT_HOP ? queue.packets.peekFirst() : null;
            long freed = dropped == null ? 0 : dropped.frame().length;
            if (heldBytes.get() - freed + size > MAX_HELD_BYTES) {
                outcome[0] = Outcome.REFUSED;
                return queue;
            }
            if (queue == null) {
                queue = new Queue();
                created[0] = queue;
            }
            if (dropped != null) {
                queue.packets.pollFirst();
            }
            queue.packets.addLast(packet);
            heldBytes.addAndGet(size - freed);
            return queue;
        });
        if (outcome[0] == Outcome.REFUSED) {
            return Outcome.REFUSED;
        }
        if (created[0] != null && !scheduleExpiry(nextHop, created[0])) {
            return Outcome.REFUSED;
        }
        return mayAsk(nextHop) ? Outcome.ASK : Outcome.QUEUED;
    }

    private boolean scheduleExpiry(IPv4Address nextHop, Queue queue) {
        try {
            timer.schedule(() -> {
                if (queues.remove(nextHop, queue)) {
                    expired.accept(nextHop, taken(queue));
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            // The app's timer shut down (the app is stopping): nothing would ever release or expire it.
            if (queues.remove(nextHop, queue)) {
                taken(queue);
            }
            return false;
        }
    }

    /** Whether an ARP request for {@code nextHop} may go out now; if so, the time is noted. */
    private boolean mayAsk(IPv4Address nextHop) {
        long now = clock.getAsLong();
        if (lastAsked.size() > MAX_NEXT_HOPS) {
            lastAsked.values().removeIf(at -> now - at >= ARP_INTERVAL_NANOS);
        }
        boolean[] ask = {false};
        lastAsked.compute(nextHop, (ip, at) -> {
            if (at == null || now - at >= ARP_INTERVAL_NANOS) {
                ask[0] = true;
                return now;
            }
            return at;
        });
        return ask[0];
    }

    /** A queue taken out of the map: its packets, no longer counted as held. */
    private List<Held> taken(Queue queue) {
        List<Held> packets = List.copyOf(queue.packets);
        long bytes = 0;
        for (Held packet : packets) {
            bytes += packet.frame().length;
        }
        heldBytes.addAndGet(-bytes);
        return packets;
    }

    /** Takes the packets held for {@code nextHop}, in arrival order; empty when none. */
    List<Held> release(IPv4Address nextHop) {
        Queue queue = queues.remove(nextHop);
        return queue == null ? List.of() : taken(queue);
    }

    boolean isWaitingFor(IPv4Address nextHop) {
        return queues.containsKey(nextHop);
    }

    long heldBytes() {
        return heldBytes.get();
    }

    /** Drops everything held and refuses what comes after: the app stopped. */
    void clear() {
        stopped = true;
        for (IPv4Address nextHop : List.copyOf(queues.keySet())) {
            release(nextHop);
        }
        lastAsked.clear();
    }
}
