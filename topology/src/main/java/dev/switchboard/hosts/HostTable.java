package dev.switchboard.hosts;

import java.util.function.Consumer;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;

/**
 * One immutable snapshot of the host table: the hosts by MAC and VLAN and the address
 * indexes, always in step. A change makes a new table ({@link #replacing}, {@link #without})
 * with a version one higher; the tracker publishes it with a compare-and-set.
 *
 * <p>Only the entries' liveness (when each host was last seen) changes in place; see
 * {@link HostEntry}.
 */
final class HostTable {
    /** Addresses kept per host and family; the oldest is dropped for a new one beyond this. */
    static final int MAX_ADDRESSES_PER_FAMILY = 8;

    static final HostTable EMPTY = new HostTable(0, ShardedMap.empty(), ShardedMap.empty(), ShardedMap.empty());

    final long version;
    private final ShardedMap<HostKey, HostEntry> hosts;
    private final ShardedMap<IPv4Address, HostEntry> byIpv4;
    private final ShardedMap<IPv6Address, HostEntry> byIpv6;

    private HostTable(long version, ShardedMap<HostKey, HostEntry> hosts, ShardedMap<IPv4Address, HostEntry> byIpv4,
            ShardedMap<IPv6Address, HostEntry> byIpv6) {
        this.version = version;
        this.hosts = hosts;
        this.byIpv4 = byIpv4;
        this.byIpv6 = byIpv6;
    }

    HostEntry get(HostKey key) {
        return hosts.get(key);
    }

    HostEntry withIpv4(IPv4Address address) {
        return byIpv4.get(address);
    }

    HostEntry withIpv6(IPv6Address address) {
        return byIpv6.get(address);
    }

    int size() {
        return hosts.size();
    }

    void forEach(Consumer<HostEntry> action) {
        hosts.forEachValue(action);
    }

    /**
     * This table with {@code after} in place of {@code before} (null for a new host). Every
     * address of {@code after} now names it (the newest claim wins); addresses {@code before}
     * had and {@code after} dropped leave the indexes unless another host claimed them since.
     */
    HostTable replacing(HostEntry before, HostEntry after) {
        ShardedMap<IPv4Address, HostEntry> v4 = byIpv4;
        ShardedMap<IPv6Address, HostEntry> v6 = byIpv6;
        if (before != null) {
            for (int address : before.ipv4s) {
                if (!after.knowsIpv4(address)) {
                    v4 = v4.without(IPv4Address.of(address), before);
                }
            }
            for (int i = 0; i < before.ipv6s.length; i += 2) {
                if (!after.knowsIpv6(before.ipv6s[i], before.ipv6s[i + 1])) {
                    v6 = v6.without(IPv6Address.of(before.ipv6s[i], before.ipv6s[i + 1]), before);
                }
            }
        }
        for (int address : after.ipv4s) {
            v4 = v4.with(IPv4Address.of(address), after);
        }
        for (int i = 0; i < after.ipv6s.length; i += 2) {
            v6 = v6.with(IPv6Address.of(after.ipv6s[i], after.ipv6s[i + 1]), after);
        }
        return new HostTable(version + 1, hosts.with(after.key, after), v4, v6);
    }

    /** This table without {@code entry} (if it is still the entry for its key) and its addresses. */
    HostTable without(HostEntry entry) {
        ShardedMap<HostKey, HostEntry> rest = hosts.without(entry.key, entry);
        if (rest == hosts) {
            return this;
        }
        // Conditional removes: an address another host claimed since stays that host's.
        ShardedMap<IPv4Address, HostEntry> v4 = byIpv4;
        for (int address : entry.ipv4s) {
            v4 = v4.without(IPv4Address.of(address), entry);
        }
        ShardedMap<IPv6Address, HostEntry> v6 = byIpv6;
        for (int i = 0; i < entry.ipv6s.length; i += 2) {
            v6 = v6.without(IPv6Address.of(entry.ipv6s[i], entry.ipv6s[i + 1]), entry);
        }
        return new HostTable(version + 1, rest, v4, v6);
    }

    /** The same content one version on: several changes published as one. */
    HostTable withVersion(long newVersion) {
        return new HostTable(newVersion, hosts, byIpv4, byIpv6);
    }
}
