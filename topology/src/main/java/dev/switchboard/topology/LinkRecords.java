package dev.switchboard.topology;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The links discovery has seen, with when each kind of probe last confirmed them.
 *
 * <p>Threads: {@link #confirm} runs on the switches' event loops, without a lock; everything
 * else only on discovery's writer. A record is retired (its times set to "never") before it
 * is removed, so a probe still holding it cannot bring it back by the lock-free path.
 */
final class LinkRecords {
    /** A last-seen time meaning "not (or no longer) seen". */
    private static final long NEVER = Long.MIN_VALUE;

    private final Map<Ends, Record> records = new ConcurrentHashMap<>();

    record Ends(SwitchPort src, SwitchPort dst) {
        boolean touches(SwitchPort port) {
            return src.equals(port) || dst.equals(port);
        }
    }

    /** When each kind of probe last confirmed a link, or {@link #NEVER}. */
    private static final class Record {
        final AtomicLong lldpSeen = new AtomicLong(NEVER);
        final AtomicLong bddpSeen = new AtomicLong(NEVER);

        AtomicLong seen(boolean bddp) {
            return bddp ? bddpSeen : lldpSeen;
        }

        boolean retired() {
            return lldpSeen.get() == NEVER && bddpSeen.get() == NEVER;
        }

        void retire() {
            lldpSeen.set(NEVER);
            bddpSeen.set(NEVER);
        }
    }

    /**
     * On the packet path: moves the last-seen time of a link this kind of probe already
     * confirms. False when it does not (a new link, or one retired meanwhile): then the writer
     * must {@link #see} it.
     */
    boolean confirm(Ends ends, boolean bddp, long now) {
        Record known = records.get(ends);
        if (known == null) {
            return false;
        }
        AtomicLong seen = known.seen(bddp);
        long last = seen.get();
        return last != NEVER && seen.compareAndSet(last, now);
    }

    /** On the writer: records that this kind of probe saw the link now. */
    void see(Ends ends, boolean bddp, long now) {
        records.computeIfAbsent(ends, e -> new Record()).seen(bddp).set(now);
    }

    /** On the writer: retires and removes the links {@code which} accepts. */
    void retire(Predicate<Ends> which) {
        for (Iterator<Map.Entry<Ends, Record>> it = records.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Ends, Record> entry = it.next();
            if (which.test(entry.getKey())) {
                entry.getValue().retire();
                it.remove();
            }
        }
    }

    boolean hasLinkAt(SwitchPort port) {
        for (Ends ends : records.keySet()) {
            if (ends.touches(port)) {
                return true;
            }
        }
        return false;
    }

    /** What {@link #expire} did: whether any link changed, and the links now gone altogether. */
    record Expired(boolean changed, List<Ends> gone) {
    }

    /** On the writer: forgets each kind of confirmation older than {@code timeout}. */
    Expired expire(long now, long timeout) {
        boolean changed = false;
        List<Ends> gone = new ArrayList<>();
        for (Iterator<Map.Entry<Ends, Record>> it = records.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Ends, Record> entry = it.next();
            Record record = entry.getValue();
            changed |= expire(record.lldpSeen, now, timeout);
            changed |= expire(record.bddpSeen, now, timeout);
            if (record.retired()) {
                it.remove();
                gone.add(entry.getKey());
            }
        }
        return new Expired(changed, gone);
    }

    private static boolean expire(AtomicLong seen, long now, long timeout) {
        long last = seen.get();
        // The compare-and-set fails only when a probe confirmed the link just now.
        return last != NEVER && now - last > timeout && seen.compareAndSet(last, NEVER);
    }

    /**
     * A link is DIRECT while LLDP confirms it, BROADCAST_DOMAIN while only BDDP does; a
     * broadcast-domain link is left out when either of its ports has a direct link, since
     * BDDP floods out of every port of the segment and would otherwise duplicate it.
     */
    Set<Link> effectiveLinks() {
        Set<Link> direct = new HashSet<>();
        Set<SwitchPort> directPorts = new HashSet<>();
        List<Ends> broadcastOnly = new ArrayList<>();
        records.forEach((ends, record) -> {
            if (record.lldpSeen.get() != NEVER) {
                direct.add(new Link(ends.src(), ends.dst(), Link.Kind.DIRECT));
                directPorts.add(ends.src());
                directPorts.add(ends.dst());
            } else if (record.bddpSeen.get() != NEVER) {
                broadcastOnly.add(ends);
            }
        });
        Set<Link> links = new HashSet<>(direct);
        for (Ends ends : broadcastOnly) {
            if (!directPorts.contains(ends.src()) && !directPorts.contains(ends.dst())) {
                links.add(new Link(ends.src(), ends.dst(), Link.Kind.BROADCAST_DOMAIN));
            }
        }
        return links;
    }
}
