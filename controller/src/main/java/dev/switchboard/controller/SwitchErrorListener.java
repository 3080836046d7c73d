package dev.switchboard.controller;

/** Told of every OpenFlow ERROR a ready switch sends. Called on the switch's event-loop thread. */
@FunctionalInterface
public interface SwitchErrorListener {
    void switchError(OFSwitch sw, SwitchError error);
}
