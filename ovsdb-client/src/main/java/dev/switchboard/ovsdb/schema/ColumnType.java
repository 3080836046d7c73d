package dev.switchboard.ovsdb.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A column's type (RFC 7047 {@code <type>}): the type of its keys, of its values if it is a
 * map, and how many elements it holds.
 *
 * <p>Three shapes matter to callers, and decide the Java representation of a column's value
 * (see {@code dev.switchboard.ovsdb.data.DatumCodec}): a <em>scalar</em> holds exactly one atom;
 * a <em>set</em> is any other key-only column, including an <em>optional</em> one (0 or 1
 * atom); a <em>map</em> has a value type.
 *
 * @param key   the type of the atoms, or of the map keys
 * @param value the type of the map values, or null if this is not a map
 * @param min   fewest elements (0 or 1 in a schema; 0 in the relaxed types of conditions and
 *              mutations)
 * @param max   most elements, {@link #UNLIMITED} for {@code "unlimited"}
 */
public record ColumnType(BaseType key, BaseType value, long min, long max) {

    /** {@link #max} of a column declared {@code "max": "unlimited"}. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    public ColumnType {
        Objects.requireNonNull(key, "key");
        if (min < 0 || max < 1 || min > max) {
            throw new OvsdbSchemaException("bad element count min " + min + ", max "
                    + (max == UNLIMITED ? "unlimited" : String.valueOf(max)));
        }
    }

    /** A column holding exactly one atom of {@code key}. */
    public static ColumnType scalar(BaseType key) {
        return new ColumnType(key, null, 1, 1);
    }

    /** A column holding exactly one unconstrained atom of {@code type}. */
    public static ColumnType scalar(AtomicType type) {
        return scalar(BaseType.of(type));
    }

    /** A column holding zero or one atom of {@code key}. */
    public static ColumnType optional(BaseType key) {
        return new ColumnType(key, null, 0, 1);
    }

    /** A column holding any number of distinct atoms of {@code key}. */
    public static ColumnType set(BaseType key) {
        return new ColumnType(key, null, 0, UNLIMITED);
    }

    /** A map with any number of pairs. */
    public static ColumnType map(BaseType key, BaseType value) {
        return new ColumnType(key, Objects.requireNonNull(value, "value"), 0, UNLIMITED);
    }

    public boolean isMap() {
        return value != null;
    }

    /** Exactly one atom: the Java value is the atom itself. */
    public boolean isScalar() {
        return value == null && min == 1 && max == 1;
    }

    /** Key-only and not scalar, including optional columns: the Java value is a {@code Set}. */
    public boolean isSet() {
        return value == null && !isScalar();
    }

    /** Zero or one atom (a set, as far as the representation goes). */
    public boolean isOptional() {
        return value == null && min == 0 && max == 1;
    }

    /** This type with a different element count: conditions and mutations relax the column's. */
    public ColumnType withCount(long newMin, long newMax) {
        return new ColumnType(key, value, newMin, newMax);
    }

    /** Short English, for messages: {@code "optional string (one of ...)"}, {@code "map of string to string"}. */
    public String describe() {
        String count = max == UNLIMITED ? min + " or more" : min == max ? String.valueOf(min) : min + " to " + max;
        if (isMap()) {
            return "map of " + key.describe() + " to " + value.describe() + " with " + count + " pairs";
        }
        if (isScalar()) {
            return key.describe();
        }
        if (isOptional()) {
            return "optional " + key.describe();
        }
        return "set of " + count + " " + key.describePlural();
    }

    /**
     * Parses an RFC 7047 {@code <type>}: an atomic type's name, or an object with {@code "key"},
     * optional {@code "value"}, {@code "min"} (default 1) and {@code "max"} (default 1, or
     * {@code "unlimited"}).
     *
     * @throws OvsdbSchemaException if it is malformed
     */
    public static ColumnType parse(JsonNode json) {
        if (json != null && json.isTextual()) {
            return scalar(AtomicType.of(json.asText()));
        }
        if (json == null || !json.isObject() || !json.has("key")) {
            throw new OvsdbSchemaException("a column type is a type name or an object with \"key\", not " + json);
        }
        BaseType key = BaseType.parse(json.get("key"));
        BaseType value = json.has("value") ? BaseType.parse(json.get("value")) : null;
        long min = 1;
        if (json.has("min")) {
            JsonNode node = json.get("min");
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw new OvsdbSchemaException("min must be an integer, not " + node);
            }
            min = node.asLong();
        }
        long max = 1;
        if (json.has("max")) {
            JsonNode node = json.get("max");
            if (node.isTextual() && "unlimited".equals(node.asText())) {
                max = UNLIMITED;
            } else if (node.isIntegralNumber() && node.canConvertToLong()) {
                max = node.asLong();
            } else {
                throw new OvsdbSchemaException("max must be an integer or \"unlimited\", not " + node);
            }
        }
        return new ColumnType(key, value, min, max);
    }
}
