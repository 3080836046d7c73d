package dev.switchboard.ovsdb.vswitch;

/**
 * A refused bridge or port description, naming the field it is about ({@code tag},
 * {@code options.peer}, ...) so callers such as the REST API can point at it without reading the
 * message.
 */
public final class InvalidSpecException extends IllegalArgumentException {

    private final String field;

    public InvalidSpecException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The refused field, in the OVSDB column's terms ({@code options.remote_ip}, {@code ofport_request}). */
    public String field() {
        return field;
    }
}
