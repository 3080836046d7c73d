package dev.switchboard.apps.l2;

/**
 * One switch's learned MACs: (MAC, VLAN) packed into a {@code long} -> port number, in an
 * open-addressing table with linear probing over one primitive array.
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
    /**
     * Slot i is {@code slots[2i]} (the key, 0 when empty) and {@code slots[2i+1]} (its port):
     * key and port side by side, so a lookup touches one cache line where two arrays took two.
     * With many switches the tables do not fit the cache, and that miss was the lookup's cost.
     */
    private long[] slots;
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
        long[] s = slots;
        int mask = s.length - 2; // slot indexes are even
        for (int i = index(key, mask); ; i = (i + 2) & mask) {
            long here = s[i];
            if (here == key) {
                return (int) s[i + 1];
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
        long[] s = slots;
        int mask = s.length - 2;
        int i = index(key, mask);
        for (; ; i = (i + 2) & mask) {
            long here = s[i];
            if (here == key) {
                s[i + 1] = port;
                return true;
            }
            if (here == 0) {
                break;
            }
        }
        if (size >= maxEntries) {
            return false;
        }
        s[i] = key;
        s[i + 1] = port;
        if (++size >= growAt) {
            rehash(capacity() * 2);
        }
        return true;
    }

    /** Forgets one key; back-shifts the entries after it so that lookups need no tombstones. */
    boolean remove(long key) {
        long[] s = slots;
        int mask = s.length - 2;
        int i = index(key, mask);
        while (s[i] != key) {
            if (s[i] == 0) {
                return false;
            }
            i = (i + 2) & mask;
        }
        int gap = i;
        for (int j = (gap + 2) & mask; s[j] != 0; j = (j + 2) & mask) {
            int home = index(s[j], mask);
            // Move j into the gap unless its home lies cyclically in (gap, j]: then it is still reachable.
            boolean reachable = gap <= j ? (gap < home && home <= j) : (gap < home || home <= j);
            if (!reachable) {
                s[gap] = s[j];
                s[gap + 1] = s[j + 1];
                gap = j;
            }
        }
        s[gap] = 0;
        s[gap + 1] = 0;
        size--;
        return true;
    }

    /** Forgets every MAC learned on {@code port} (the port went down or away); rare, so it rebuilds. */
    int removePort(int port) {
        long[] old = slots;
        int before = size;
        allocate(capacity());
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0 && (int) old[i + 1] != port) {
                insertFresh(old[i], (int) old[i + 1]);
            }
        }
        return before - size;
    }

    void clear() {
        allocate(MIN_CAPACITY);
    }

    private int capacity() {
        return slots.length / 2;
    }

    private void rehash(int capacity) {
        long[] old = slots;
        allocate(capacity);
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0) {
                insertFresh(old[i], (int) old[i + 1]);
            }
        }
    }

    private void insertFresh(long key, int port) {
        long[] s = slots;
        int mask = s.length - 2;
        int i = index(key, mask);
        while (s[i] != 0) {
            i = (i + 2) & mask;
        }
        s[i] = key;
        s[i + 1] = port;
        size++;
    }

    private void allocate(int capacity) {
        slots = new long[2 * capacity];
        size = 0;
        // At the largest size (2^29 slots) growAt stays above any int maxEntries can reach usefully.
        growAt = capacity >= (1 << 29) ? Integer.MAX_VALUE : capacity / 2;
    }

    /** The even array index of {@code key}'s home slot. */
    private static int index(long key, int mask) {
        return slot(key) & mask;
    }

    /** MACs of one vendor share their high bytes: mix all bits (the murmur3 finaliser) before masking. */
    private static int slot(long key) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
