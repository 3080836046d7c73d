package dev.switchboard.ovsdb.schema;

/**
 * A table, column, type or value that does not fit the database schema.
 *
 * <p>Encoders throw it before anything goes on the wire, so a mistake is reported with the
 * table and column it concerns ({@code "Bridge.fail_mode: \"bogus\" is not one of ..."})
 * instead of as a server error about an anonymous transaction. Decoders throw it when the
 * server sends something the schema does not allow, and {@link DatabaseSchema#parse} when a
 * schema itself is malformed.
 */
public class OvsdbSchemaException extends RuntimeException {

    public OvsdbSchemaException(String message) {
        super(message);
    }

    public OvsdbSchemaException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * This problem, placed: {@code e.at("Bridge.fail_mode")} has the message
     * {@code "Bridge.fail_mode: " + e.getMessage()}. Codecs that know more context than the
     * code that found the problem use it, so messages read from the outside in.
     */
    public OvsdbSchemaException at(String where) {
        return new OvsdbSchemaException(where + ": " + getMessage(), this);
    }
}
