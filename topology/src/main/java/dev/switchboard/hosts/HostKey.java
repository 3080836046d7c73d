package dev.switchboard.hosts;

/**
 * MAC (low 48 bits) and VLAN (the 12 bits above) in one long. Keys stored in a table are never
 * changed; only a per-thread lookup key is, and only by its thread, so a lookup does not box
 * a long.
 */
final class HostKey {
    long value;

    HostKey(long value) {
        this.value = value;
    }

    static long of(long mac, int vlan) {
        return ((long) vlan << 48) | mac;
    }

    long mac() {
        return value & 0xFFFF_FFFF_FFFFL;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostKey key && key.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }
}
