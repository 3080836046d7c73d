package dev.switchboard.ovsdb.ops;

import java.util.Objects;
import java.util.UUID;

/**
 * One clause of a "where" (RFC 7047 {@code <condition>}): {@code [column, function, value]}.
 * The value is in any form {@code DatumCodec} accepts for the column (a bare atom for a set
 * column too); {@link TransactionCodec} checks it against the schema.
 */
public record Condition(String column, Function function, Object value) {

    public Condition {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(function, "function");
    }

    public static Condition eq(String column, Object value) {
        return new Condition(column, Function.EQ, value);
    }

    public static Condition ne(String column, Object value) {
        return new Condition(column, Function.NE, value);
    }

    public static Condition lt(String column, Object value) {
        return new Condition(column, Function.LT, value);
    }

    public static Condition le(String column, Object value) {
        return new Condition(column, Function.LE, value);
    }

    public static Condition gt(String column, Object value) {
        return new Condition(column, Function.GT, value);
    }

    public static Condition ge(String column, Object value) {
        return new Condition(column, Function.GE, value);
    }

    /** The column's value includes all of {@code value} (a set's elements, a map's pairs). */
    public static Condition includes(String column, Object value) {
        return new Condition(column, Function.INCLUDES, value);
    }

    /** The column's value includes none of {@code value}. */
    public static Condition excludes(String column, Object value) {
        return new Condition(column, Function.EXCLUDES, value);
    }

    /** The row whose {@code _uuid} is {@code uuid}. */
    public static Condition uuidIs(UUID uuid) {
        return new Condition("_uuid", Function.EQ, Objects.requireNonNull(uuid, "uuid"));
    }
}
