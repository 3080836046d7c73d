package dev.switchboard.hosts;

import dev.switchboard.topology.Topology;
import java.time.Instant;

/**
 * One host in a {@link HostTable}: its published description, never changed (a move or a new
 * address makes a new entry), and its liveness, which the packet path updates in place with
 * single volatile writes so that a packet of a known host changes no table.
 */
final class HostEntry {
    final HostKey key;
    final Host host;
    /** The attachment as primitives, compared on the packet path without allocating. */
    final long dpid;
    final int port;
    /** Oldest first, at most {@link HostTable#MAX_ADDRESSES_PER_FAMILY}. */
    final int[] ipv4s;
    /** Two longs per address (high, low), oldest first, at most {@link HostTable#MAX_ADDRESSES_PER_FAMILY}. */
    final long[] ipv6s;

    volatile long lastSeenNanos;
    /** When a packet of the host last came in at its own attachment (not passing a link). */
    volatile long seenAtLocationNanos;
    /**
     * The topology snapshot in which the attachment was last found to be an edge port, so
     * the packet path checks it once per snapshot rather than once per packet.
     */
    volatile Topology edgeCheckedIn;

    HostEntry(HostKey key, Host host, int[] ipv4s, long[] ipv6s, long nowNanos) {
        this.key = key;
        this.host = host;
        this.dpid = host.location().dpid().getLong();
        this.port = host.location().port().getPortNumber();
        this.ipv4s = ipv4s;
        this.ipv6s = ipv6s;
        this.lastSeenNanos = nowNanos;
        this.seenAtLocationNanos = nowNanos;
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
