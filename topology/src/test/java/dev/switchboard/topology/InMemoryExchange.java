package dev.switchboard.topology;

import dev.switchboard.controller.Listeners;
import dev.switchboard.controller.Registration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A cluster's exchange without ZooKeeper, for tests: one {@link Hub} holds every member's parts,
 * and each member hears the others' on the hub's own thread, as members hear ZooKeeper's cache.
 */
public final class InMemoryExchange implements ClusterExchange {
    private final Hub hub;
    private final String member;

    private InMemoryExchange(Hub hub, String member) {
        this.hub = hub;
        this.member = member;
    }

    /** The cluster: its parts, its secret and the thread that tells the members. */
    public static final class Hub implements AutoCloseable {
        private final Map<String, Map<String, byte[]>> partsByKind = new ConcurrentHashMap<>();
        private final Map<String, Listeners<Consumer<Map<String, byte[]>>>> watchers = new ConcurrentHashMap<>();
        private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "exchange-hub"));
        private final byte[] secret = new byte[32];

        public InMemoryExchange member(String id) {
            return new InMemoryExchange(this, id);
        }

        /** A member leaves (its session ends): its parts go. */
        public void leave(String member) {
            thread.execute(() -> {
                partsByKind.values().forEach(parts -> parts.remove(member));
                partsByKind.keySet().forEach(this::tellAll);
            });
        }

        private void tellAll(String kind) {
            watchers.forEach((key, listeners) -> {
                if (key.startsWith(kind + "/")) {
                    String watcher = key.substring(kind.length() + 1);
                    Map<String, byte[]> others = othersParts(kind, watcher);
                    listeners.fire("parts", l -> l.accept(others));
                }
            });
        }

        private Map<String, byte[]> othersParts(String kind, String member) {
            Map<String, byte[]> others = new HashMap<>(partsByKind.getOrDefault(kind, Map.of()));
            others.remove(member);
            return Map.copyOf(others);
        }

        @Override
        public void close() {
            thread.shutdownNow();
        }
    }

    @Override
    public String memberId() {
        return member;
    }

    @Override
    public void publish(String kind, byte[] part) {
        byte[] copy = part.clone();
        hub.thread.execute(() -> {
            hub.partsByKind.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).put(member, copy);
            hub.tellAll(kind);
        });
    }

    @Override
    public Registration watch(String kind, Consumer<Map<String, byte[]>> listener) {
        Registration registration = hub.watchers.computeIfAbsent(kind + "/" + member, k -> new Listeners<>()).add(listener);
        hub.thread.execute(() -> listener.accept(hub.othersParts(kind, member)));
        return registration;
    }

    @Override
    public byte[] sharedSecret(String name) {
        return hub.secret.clone();
    }
}
