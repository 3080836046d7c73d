package dev.switchboard.hosts;

import dev.switchboard.topology.Topology;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;

/**
 * One host in a {@link HostTable}: its published description, never changed (a move or a new
 * address makes a new entry), and its liveness, which the packet path moves forward in place
 * (a compare-and-set, no lock, no allocation) so that a packet of a known host changes no
 * table. A write may land on an entry that a change has just replaced: {@link HostTracker#markSeen}
 * and {@link HostTracker#learn} between them carry it over to the current one.
 */
final class HostEntry {
    private static final VarHandle LAST_SEEN;
    private static final VarHandle SEEN_AT_LOCATION;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LAST_SEEN = lookup.findVarHandle(HostEntry.class, "lastSeenNanos", long.class);
            SEEN_AT_LOCATION = lookup.findVarHandle(HostEntry.class, "seenAtLocationNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final HostKey key;
    final Host host;
    /** The attachment as primitives, compared on the packet path without allocating. */
    final long dpid;
    final int port;
    /** Oldest first, at most {@link HostTable#MAX_ADDRESSES_PER_FAMILY}. */
    final int[] ipv4s;
    /** Two longs per address (high, low), oldest first, at most {@link HostTable#MAX_ADDRESSES_PER_FAMILY}. */
    final long[] ipv6s;

    /** Only moves forward ({@link #seen}): loops that saw the host store their times in any order. */
    volatile long lastSeenNanos;
    /**
     * When a packet of the host last came in at its own attachment (not passing a link); only
     * moves forward ({@link #seenAtLocation}).
     */
    volatile long seenAtLocationNanos;
    /**
     * The topology snapshot in which the attachment was last found to be an edge port, so
     * the packet path checks it once per snapshot rather than once per packet.
     */
    volatile Topology edgeCheckedIn;

    HostEntry(HostKey key, Host host, int[] ipv4s, long[] ipv6s, long nowNanos) {
        this(key, host, ipv4s, ipv6s, nowNanos, nowNanos);
    }

    HostEntry(HostKey key, Host host, int[] ipv4s, long[] ipv6s, long lastSeenNanos, long seenAtLocationNanos) {
        this.key = key;
        this.host = host;
        this.dpid = host.location().dpid().getLong();
        this.port = host.location().port().getPortNumber();
        this.ipv4s = ipv4s;
        this.ipv6s = ipv6s;
        this.lastSeenNanos = lastSeenNanos;
        this.seenAtLocationNanos = seenAtLocationNanos;
    }

    /** The host was seen at {@code nanos}: moves {@link #lastSeenNanos} forward to it (lock-free, no allocation). */
    void seen(long nanos) {
        advance(LAST_SEEN, nanos);
    }

    /** A packet of the host came in at its attachment at {@code nanos}: moves {@link #seenAtLocationNanos} forward. */
    void seenAtLocation(long nanos) {
        advance(SEEN_AT_LOCATION, nanos);
    }

    private void advance(VarHandle field, long nanos) {
        long current = (long) field.getVolatile(this);
        // nanoTime values are compared by their difference, which survives the counter wrapping
        while (nanos - current > 0 && !field.compareAndSet(this, current, nanos)) {
            current = (long) field.getVolatile(this);
        }
    }

    boolean isAt(long atDpid, int atPort) {
        return dpid == atDpid && port == atPort;
    }

    boolean knowsIpv4(int address) {
        for (int known : ipv4s) {
            if (known == address) {
                return true;
            }
        }
        return false;
    }

    boolean knowsIpv6(long high, long low) {
        long[] known = ipv6s;
        for (int i = 0; i < known.length; i += 2) {
            if (known[i] == high && known[i + 1] == low) {
                return true;
            }
        }
        return false;
    }

    /** The host with its latest last-seen time; {@code lastSeen} is the wall-clock time of {@link #lastSeenNanos}. */
    Host view(Instant lastSeen) {
        if (host.lastSeen().equals(lastSeen)) {
            return host;
        }
        return new Host(host.mac(), host.vlan(), host.location(), host.ipv4(), host.ipv6(), host.firstSeen(),
                lastSeen);
    }
}
