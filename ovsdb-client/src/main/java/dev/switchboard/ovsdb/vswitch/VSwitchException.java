package dev.switchboard.ovsdb.vswitch;

/** A change that cannot be made as asked (a bridge that exists, a port that does not…). */
public final class VSwitchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VSwitchException(String message) {
        super(message);
    }

    public VSwitchException(String message, Throwable cause) {
        super(message, cause);
    }
}
