package dev.switchboard.apps.routing;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * IPv4 to MAC, learned from the ARP packets the router sees. Written from every switch's
 * event loop and read on the packet path, so a concurrent map; bounded both in size and in
 * age, because any host can make it learn.
 */
final class ArpCache {
    static final int MAX_ENTRIES = 65_536;
    static final Duration LIFETIME = Duration.ofMinutes(5);

    private record Entry(MacAddress mac, long learnedNanos) {
    }

    private final Map<IPv4Address, Entry> entries = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    ArpCache(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** @return true when this is news: the address was unknown or had another MAC */
    boolean learn(IPv4Address ip, MacAddress mac) {
        if (entries.size() >= MAX_ENTRIES && !entries.containsKey(ip)) {
            return false;
        }
        Entry before = entries.put(ip, new Entry(mac, nanoClock.getAsLong()));
        return before == null || !before.mac().equals(mac) || isStale(before);
    }

    Optional<MacAddress> get(IPv4Address ip) {
        Entry e = entries.get(ip);
        return e == null || isStale(e) ? Optional.empty() : Optional.of(e.mac());
    }

    /** Forgets every address of a host that went away, so the next packet asks again. */
    void forget(MacAddress mac) {
        entries.values().removeIf(e -> e.mac().equals(mac));
    }

    /** Drops entries past their lifetime; run now and then from the timer. */
    void expire() {
        entries.values().removeIf(this::isStale);
    }

    int size() {
        return entries.size();
    }

    private boolean isStale(Entry e) {
        return nanoClock.getAsLong() - e.learnedNanos() > LIFETIME.toNanos();
    }
}
