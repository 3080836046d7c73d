package dev.switchboard.hosts;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An immutable map split into a fixed number of shards, changed by copying: a change copies
 * the shard array and the one shard it touches, so it costs about {@code size / SHARDS}
 * rather than {@code size}. That keeps copy-on-write affordable for a table of 100,000 hosts.
 * Reads are one array index and one hash lookup, without locks or allocation.
 */
final class ShardedMap<K, V> {
    private static final int SHARDS = 64;
    private static final ShardedMap<?, ?> EMPTY = new ShardedMap<>(emptyShards(), 0);

    /** Never changed once the map is made: a change makes new shards. */
    private final Map<K, V>[] shards;
    private final int size;

    private ShardedMap(Map<K, V>[] shards, int size) {
        this.shards = shards;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> ShardedMap<K, V> empty() {
        return (ShardedMap<K, V>) EMPTY;
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Map<K, V>[] emptyShards() {
        Map<K, V>[] shards = new Map[SHARDS];
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = Map.of();
        }
        return shards;
    }

    private static int shardOf(Object key) {
        int hash = key.hashCode();
        return (hash ^ (hash >>> 16)) & (SHARDS - 1);
    }

    V get(Object key) {
        return shards[shardOf(key)].get(key);
    }

    int size() {
        return size;
    }

    void forEachValue(Consumer<? super V> action) {
        for (Map<K, V> shard : shards) {
            shard.values().forEach(action);
        }
    }

    /** This map with {@code key} mapped to {@code value}. */
    ShardedMap<K, V> with(K key, V value) {
        int index = shardOf(key);
        Map<K, V> shard = new HashMap<>(shards[index]);
        boolean added = shard.put(key, value) == null;
        Map<K, V>[] copy = shards.clone();
        copy[index] = shard;
        return new ShardedMap<>(copy, added ? size + 1 : size);
    }

    /** This map without {@code key} if it maps to {@code expected} (the same object); else this map. */
    ShardedMap<K, V> without(K key, V expected) {
        int index = shardOf(key);
        if (shards[index].get(key) != expected) {
            return this;
        }
        Map<K, V> shard = new HashMap<>(shards[index]);
        shard.remove(key);
        Map<K, V>[] copy = shards.clone();
        copy[index] = shard;
        return new ShardedMap<>(copy, size - 1);
    }
}
