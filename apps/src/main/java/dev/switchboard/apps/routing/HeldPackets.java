package dev.switchboard.apps.routing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Routed packets waiting for their next hop's ARP reply: a bounded queue per next hop
 * (oldest dropped when full), a bounded number of next hops, and a deadline on the timer
 * after which the queue is handed to {@code expired} (which sends host unreachable).
 *
 * <p>Queues are only touched inside the map's atomic {@code compute}, or after an atomic
 * {@code remove} took them out, so event loops and the timer need no other lock.
 */
final class HeldPackets {
    static final int MAX_PER_NEXT_HOP = 32;
    static final int MAX_NEXT_HOPS = 1024;

    /** A packet as it arrived, with where it arrived, so it can be routed or answered later. */
    record Held(DatapathId ingress, OFPort inPort, byte[] frame) {
    }

    enum Outcome {
        /** The first packet for this next hop: the caller asks for its MAC. */
        FIRST,
        /** Queued behind an ARP request already sent. */
        QUEUED,
        /** Too many next hops are unresolved; the packet is dropped. */
        REFUSED
    }

    private static final class Queue {
        final ArrayDeque<Held> packets = new ArrayDeque<>();
    }

    private final Map<IPv4Address, Queue> queues = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final BiConsumer<IPv4Address, List<Held>> expired;

    HeldPackets(ScheduledExecutorService timer, Duration timeout, BiConsumer<IPv4Address, List<Held>> expired) {
        this.timer = timer;
        this.timeout = timeout;
        this.expired = expired;
    }

    Outcome hold(IPv4Address nextHop, Held packet) {
        Outcome[] outcome = {Outcome.QUEUED};
        Queue[] created = {null};
        queues.compute(nextHop, (ip, queue) -> {
            if (queue == null) {
                if (queues.size() >= MAX_NEXT_HOPS) {
                    outcome[0] = Outcome.REFUSED;
                    return null;
                }
                queue = new Queue();
                created[0] = queue;
                outcome[0] = Outcome.FIRST;
            }
            if (queue.packets.size() == MAX_PER_NEXT_HOP) {
                queue.packets.pollFirst();
            }
            queue.packets.addLast(packet);
            return queue;
        });
        if (created[0] != null) {
            Queue queue = created[0];
            timer.schedule(() -> {
                if (queues.remove(nextHop, queue)) {
                    expired.accept(nextHop, List.copyOf(queue.packets));
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return outcome[0];
    }

    /** Takes the packets held for {@code nextHop}, in arrival order; empty when none. */
    List<Held> release(IPv4Address nextHop) {
        Queue queue = queues.remove(nextHop);
        return queue == null ? List.of() : List.copyOf(queue.packets);
    }

    boolean isWaitingFor(IPv4Address nextHop) {
        return queues.containsKey(nextHop);
    }

    void clear() {
        queues.clear();
    }
}
