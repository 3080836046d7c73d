package dev.switchboard.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Meters for things that come and go (switch connections, OVSDB servers), kept in step with
 * what exists at each scrape: a thing that went has its meters removed, a new one gets its own.
 * Removals go first, so a reconnected switch (a new connection, with the same tags) gets meters
 * that read the new connection rather than finding the old ones registered.
 *
 * <p>Runs on the scraping thread (the REST API's), never on an event loop.
 *
 * @param <K> what the meters read; kept here strongly, since Micrometer holds it only weakly
 */
final class MeterSet<K> {
    private final MeterRegistry registry;
    private final Function<K, List<Meter>> register;
    private final Map<K, List<Meter>> meters = new HashMap<>();

    MeterSet(MeterRegistry registry, Function<K, List<Meter>> register) {
        this.registry = registry;
        this.register = register;
    }

    synchronized void sync(Collection<K> current) {
        Set<K> now = new HashSet<>(current);
        List<K> gone = new ArrayList<>();
        for (K known : meters.keySet()) {
            if (!now.contains(known)) {
                gone.add(known);
            }
        }
        for (K key : gone) {
            meters.remove(key).forEach(registry::remove);
        }
        for (K key : now) {
            if (!meters.containsKey(key)) {
                meters.put(key, register.apply(key));
            }
        }
    }

    synchronized int size() {
        return meters.size();
    }

    synchronized void clear() {
        meters.values().forEach(list -> list.forEach(registry::remove));
        meters.clear();
    }
}
