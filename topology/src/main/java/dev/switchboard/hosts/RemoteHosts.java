package dev.switchboard.hosts;

import dev.switchboard.controller.PeerText;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosts the other cluster members learned, as their last parts said: immutable, indexed like
 * the local table (by MAC and VLAN, by address), read by the host service after its own table.
 *
 * <p>Deterministic: a host two members report (it moved between their switches and the old
 * member has not dropped it yet) is the one seen last, ties going to the lower member id; an
 * address two hosts claim goes the same way. So every member shows the same remote hosts.
 */
final class RemoteHosts {
    private static final Logger log = LoggerFactory.getLogger(RemoteHosts.class);
    static final RemoteHosts EMPTY = new RemoteHosts(Map.of());

    /** Seen last first; ties to the lower member id. */
    private static final Comparator<Reported> NEWEST_FIRST = Comparator.comparing((Reported r) -> r.host().lastSeen())
            .reversed().thenComparing(Reported::member);

    private record Reported(String member, Host host) {
    }

    private final Map<Long, Host> byKey;
    private final Map<IPv4Address, Host> byIpv4 = new HashMap<>();
    private final Map<IPv6Address, Host> byIpv6 = new HashMap<>();

    private RemoteHosts(Map<Long, Host> byKey) {
        this.byKey = Map.copyOf(byKey);
        List<Host> newestLast = this.byKey.values().stream()
                .sorted(Comparator.comparing(Host::lastSeen).thenComparing(h -> h.mac().getLong())).toList();
        for (Host host : newestLast) {
            host.ipv4().forEach(ip -> byIpv4.put(ip, host));
            host.ipv6().forEach(ip -> byIpv6.put(ip, host));
        }
    }

    /** The hosts of the other members' parts (member id to encoded part); a damaged part is skipped. */
    static RemoteHosts of(Map<String, byte[]> parts) {
        Map<Long, Reported> chosen = new HashMap<>();
        parts.forEach((member, bytes) -> {
            List<Host> hosts;
            try {
                hosts = HostsPart.decode(bytes);
            } catch (IllegalArgumentException e) {
                log.warn("hosts: member {}'s part ignored: {}", PeerText.escape(member),
                        e.getMessage());
                return;
            }
            for (Host host : hosts) {
                Reported reported = new Reported(member, host);
                chosen.merge(keyOf(host), reported, (a, b) -> NEWEST_FIRST.compare(a, b) <= 0 ? a : b);
            }
        });
        Map<Long, Host> byKey = new HashMap<>();
        chosen.forEach((key, reported) -> byKey.put(key, reported.host()));
        return new RemoteHosts(byKey);
    }

    static long keyOf(Host host) {
        return HostKey.of(host.mac().getLong(), host.vlan().getVlan());
    }

    Host get(long key) {
        return byKey.get(key);
    }

    Host withIpv4(IPv4Address ip) {
        return byIpv4.get(ip);
    }

    Host withIpv6(IPv6Address ip) {
        return byIpv6.get(ip);
    }

    Collection<Host> hosts() {
        return byKey.values();
    }

    Map<Long, Host> byKey() {
        return byKey;
    }
}
