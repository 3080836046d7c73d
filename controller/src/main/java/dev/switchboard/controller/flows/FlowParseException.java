package dev.switchboard.controller.flows;

/**
 * A flow that does not parse: says where ({@code line 12} of a text file, {@code flow 3} of a
 * JSON document) and which token is wrong.
 */
public final class FlowParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String where;
    private final String token;

    public FlowParseException(String where, String token, String problem) {
        super(where + ": '" + token + "': " + problem);
        this.where = where;
        this.token = token;
    }

    /** {@code line N} or {@code flow N} (both 1-based). */
    public String where() {
        return where;
    }

    /** The wrong token as written. */
    public String token() {
        return token;
    }
}
