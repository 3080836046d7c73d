package dev.switchboard.controller;

/** Completes a request's future when the switch answered it with an OpenFlow ERROR. */
public final class SwitchErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient SwitchError error;

    public SwitchErrorException(OFSwitch sw, SwitchError error) {
        super("switch " + sw.id() + " answered xid " + error.xid() + " with " + error);
        this.error = error;
    }

    public SwitchError error() {
        return error;
    }
}
