package dev.switchboard.controller;

/**
 * Told of every OpenFlow ERROR a ready switch sends, before the request it answers (if any)
 * fails with a {@link SwitchErrorException}.
 *
 * <p>Threading contract: called on the event-loop thread of the switch that sent the error,
 * with no lock held; listeners for different switches run at the same time on different
 * threads. It must not block (no waiting on a future, no I/O, no lock another thread may hold).
 * One that throws is logged; the others are still told.
 */
@FunctionalInterface
public interface SwitchErrorListener {
    void switchError(OFSwitch sw, SwitchError error);
}
