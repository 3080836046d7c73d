package dev.switchboard.apps.l2;

/**
 * One switch's learned MACs: (MAC, VLAN) packed into a {@code long} -> port number, in an
 * open-addressing table with linear probing over two primitive arrays.
 *
 * <p>Why written here: this lookup runs for every packet-in of the controller, and a
 * {@code HashMap<Long, Integer>} would box a key per packet and chase pointers per entry. Our
 * dependency set has no primitive-collection library (fastutil, Eclipse Collections, HPPC), and
 * the table needs only get, put and two rare bulk removals, so a small one is cheaper than a new
 * dependency.
 *
 * <p>Bounded: at most {@code maxEntries} MACs. When full, new MACs are not learned (existing
 * ones still move and refresh); their packets are then flooded, which is correct, only slower.
 * Evicting instead would let a host flooding random source MACs push out the real hosts.
 * Entries do not age: the switch's flows do (idle timeout), and a MAC that moves is relearned
 * from its next packet.
 *
 * <p>Not thread-safe: a table belongs to one switch and is used on its event loop only.
 */
final class MacTable {
    /** Returned by {@link #get} for an unknown MAC: OFPP_ANY, which is never an in-port. */
    static final int NO_PORT = -1;
    private static final int VLAN_SHIFT = 48;
    /** Set in every key, so that 0 can mark an empty slot without filling the arrays. */
    private static final long PRESENT = 1L << 62;
    private static final int MIN_CAPACITY = 64;

    private final int maxEntries;
    private long[] keys;
    private int[] ports;
    private int size;
    /** Grow when size reaches this: a load factor of 1/2 keeps probe chains short. */
    private int growAt;

    MacTable(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        allocate(MIN_CAPACITY);
    }

    /**
     * @param mac  the low 48 bits
     * @param vlan the 12-bit VLAN id, or {@link dev.switchboard.controller.packet.EthernetFrames#UNTAGGED}
     */
    static long key(long mac, int vlan) {
        return PRESENT | ((long) (vlan + 1) << VLAN_SHIFT) | (mac & 0xFFFF_FFFF_FFFFL);
    }

    int size() {
        return size;
    }

    int maxEntries() {
        return maxEntries;
    }

    /** The port {@code key} was learned on, or {@link #NO_PORT}. */
    int get(long key) {
        long[] k = keys;
        int mask = k.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long here = k[i];
            if (here == key) {
                return ports[i];
            }
            if (here == 0) {
                return NO_PORT;
            }
        }
    }

    /**
     * Learns or moves {@code key} to {@code port}.
     *
     * @return false when the key is new and the table is full, so nothing was learned
     */
    boolean put(long key, int port) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        for (; ; i = (i + 1) & mask) {
            long here = keys[i];
            if (here == key) {
                ports[i] = port;
                return true;
            }
            if (here == 0) {
                break;
            }
        }
        if (size >= maxEntries) {
            return false;
        }
        keys[i] = key;
        ports[i] = port;
        if (++size >= growAt) {
            rehash(keys.length * 2);
        }
        return true;
    }

    /** Forgets one key; back-shifts the entries after it so that lookups need no tombstones. */
    boolean remove(long key) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != key) {
            if (keys[i] == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
        int gap = i;
        for (int j = (gap + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            // Move j into the gap unless its home lies cyclically in (gap, j]: then it is still reachable.
            boolean reachable = gap <= j ? (gap < home && home <= j) : (gap < home || home <= j);
            if (!reachable) {
                keys[gap] = keys[j];
                ports[gap] = ports[j];
                gap = j;
            }
        }
        keys[gap] = 0;
        ports[gap] = 0;
        size--;
        return true;
    }

    /** Forgets every MAC learned on {@code port} (the port went down or away); rare, so it rebuilds. */
    int removePort(int port) {
        long[] oldKeys = keys;
        int[] oldPorts = ports;
        int before = size;
        allocate(oldKeys.length);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0 && oldPorts[i] != port) {
                insertFresh(oldKeys[i], oldPorts[i]);
            }
        }
        return before - size;
    }

    void clear() {
        allocate(MIN_CAPACITY);
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldPorts = ports;
        allocate(capacity);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                insertFresh(oldKeys[i], oldPorts[i]);
            }
        }
    }

    private void insertFresh(long key, int port) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        ports[i] = port;
        size++;
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        ports = new int[capacity];
        size = 0;
        // At the largest size (2^30 slots) growAt stays above any int maxEntries can reach usefully.
        growAt = capacity >= (1 << 30) ? Integer.MAX_VALUE : capacity / 2;
    }

    /** MACs of one vendor share their high bytes: mix all bits (the murmur3 finaliser) before masking. */
    private static int slot(long key, int mask) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
