package dev.switchboard.controller;

/** Fails the pending requests of a switch whose connection closed before they were answered. */
public final class SwitchDisconnectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SwitchDisconnectedException(String message) {
        super(message);
    }
}
