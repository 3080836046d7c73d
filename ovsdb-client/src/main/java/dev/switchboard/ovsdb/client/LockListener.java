package dev.switchboard.ovsdb.client;

/** Told when a lock this session waited for is granted, or when another client stole it. */
public interface LockListener {
    void locked(String lock);

    void stolen(String lock);
}
