package dev.switchboard.ovsdb.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.ovsdb.schema.AtomicType;
import dev.switchboard.ovsdb.schema.BaseType;
import dev.switchboard.ovsdb.schema.ColumnType;
import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Converts column values between Java and RFC 7047 JSON ({@code <value>}, {@code <atom>}).
 *
 * <p>The Java representation depends only on the column's {@link ColumnType}, so callers can
 * rely on it:
 * <ul>
 *   <li>scalar column (exactly one atom): the atom itself;</li>
 *   <li>any other key-only column (optional 0..1, or a set): an immutable, insertion-ordered
 *       {@code Set<Object>};</li>
 *   <li>map column: an immutable, insertion-ordered {@code Map<Object, Object>}.</li>
 * </ul>
 * Atoms are {@code Long} (integer), {@code Double} (real), {@code Boolean}, {@code String},
 * {@link UUID} and, in values we send, {@link NamedUuid}.
 *
 * <p>Encoding is strict: it validates the value against the type (atomic types, enumerations,
 * integer and real ranges, string lengths, element counts, duplicates) and throws
 * {@link OvsdbSchemaException} naming the problem; callers that know the column prefix it with
 * {@link OvsdbSchemaException#at}. It is also forgiving in what it accepts for convenience:
 * {@code Integer}, {@code Short} and {@code Byte} for integers, any of those or {@code Float}
 * for reals, any {@code Collection} for a set, and a single atom where a set is expected.
 *
 * <p>Decoding checks atomic types but not constraints (the server's data is what it is, and a
 * schema of another version may differ in them), and accepts a bare atom for a set. Stateless.
 */
public final class DatumCodec {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Longest string quoted in full in a message. */
    private static final int SHOWN_STRING = 60;

    private DatumCodec() {
    }

    /**
     * The JSON for {@code value} in a column of {@code type}: an atom for a scalar; a set as
     * {@code ["set", [...]]}, except that a one-element set is its bare atom (as ovsdb-server
     * and its IDLs write it); a map as {@code ["map", [[k, v], ...]]}.
     *
     * @throws OvsdbSchemaException if the value does not fit the type
     */
    public static JsonNode encode(ColumnType type, Object value) {
        return toJson(type, normalize(type, value));
    }

    /**
     * {@code value} validated against {@code type} and converted to the canonical representation
     * (see the class comment): {@code Integer} becomes {@code Long}, a single atom for a set
     * becomes a one-element set, and so on.
     *
     * @throws OvsdbSchemaException if the value does not fit the type
     */
    public static Object normalize(ColumnType type, Object value) {
        if (value == null) {
            throw new OvsdbSchemaException("null is not a value; an empty set or optional is Set.of(), "
                    + "an empty map Map.of()");
        }
        if (type.isMap()) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new OvsdbSchemaException("expected a Map for a " + type.describe() + ", got " + describe(value));
            }
            Map<Object, Object> pairs = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key;
                try {
                    key = normalizeAtom(type.key(), entry.getKey());
                } catch (OvsdbSchemaException e) {
                    throw e.at("map key");
                }
                Object mapValue;
                try {
                    mapValue = normalizeAtom(type.value(), entry.getValue());
                } catch (OvsdbSchemaException e) {
                    throw e.at("value of key " + show(key));
                }
                if (pairs.containsKey(key)) {
                    throw new OvsdbSchemaException("map has key " + show(key) + " twice");
                }
                pairs.put(key, mapValue);
            }
            checkCount(type, pairs.size());
            return Collections.unmodifiableMap(pairs);
        }
        if (type.isScalar()) {
            if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
                throw new OvsdbSchemaException("expected a single " + type.key().describe() + ", got " + describe(value));
            }
            return normalizeAtom(type.key(), value);
        }
        if (value instanceof Map<?, ?>) {
            throw new OvsdbSchemaException("expected a Set (or a single atom) for a " + type.describe()
                    + ", got " + describe(value));
        }
        Collection<?> elements = value instanceof Collection<?> collection ? collection : List.of(value);
        Set<Object> set = new LinkedHashSet<>();
        for (Object element : elements) {
            Object atom = normalizeAtom(type.key(), element);
            if (!set.add(atom)) {
                throw new OvsdbSchemaException("set has " + show(atom) + " twice");
            }
        }
        checkCount(type, set.size());
        return Collections.unmodifiableSet(set);
    }

    /**
     * The JSON for one atom of {@code base}: a number, boolean or string, {@code ["uuid", "..."]}
     * or {@code ["named-uuid", "..."]}.
     *
     * @throws OvsdbSchemaException if the atom does not fit the type
     */
    public static JsonNode encodeAtom(BaseType base, Object atom) {
        return atomJson(normalizeAtom(base, atom));
    }

    /**
     * {@code atom} validated against {@code base} and converted to its canonical class.
     *
     * @throws OvsdbSchemaException if the atom does not fit the type
     */
    public static Object normalizeAtom(BaseType base, Object atom) {
        if (atom == null) {
            throw new OvsdbSchemaException("null is not " + article(base.type()));
        }
        Object normal = switch (base.type()) {
            case INTEGER -> atom instanceof Long || atom instanceof Integer || atom instanceof Short
                    || atom instanceof Byte ? (Object) ((Number) atom).longValue() : null;
            case REAL -> atom instanceof Double || atom instanceof Float || atom instanceof Long
                    || atom instanceof Integer || atom instanceof Short || atom instanceof Byte
                    ? (Object) ((Number) atom).doubleValue() : null;
            case BOOLEAN -> atom instanceof Boolean ? atom : null;
            case STRING -> atom instanceof String ? atom : null;
            case UUID -> atom instanceof UUID || atom instanceof NamedUuid ? atom : null;
        };
        if (normal == null) {
            throw new OvsdbSchemaException("expected " + article(base.type()) + ", got " + describe(atom));
        }
        checkConstraints(base, normal);
        return normal;
    }

    /**
     * The Java value of {@code json} in a column of {@code type} (see the class comment).
     *
     * @throws OvsdbSchemaException if the JSON is not a value of that type
     */
    public static Object decode(ColumnType type, JsonNode json) {
        if (json == null || json.isMissingNode()) {
            throw new OvsdbSchemaException("no value");
        }
        if (type.isMap()) {
            if (!isTagged(json, "map")) {
                throw new OvsdbSchemaException("expected [\"map\", [...]] for a " + type.describe() + ", got " + abbreviate(json));
            }
            Map<Object, Object> pairs = new LinkedHashMap<>();
            for (JsonNode pair : json.get(1)) {
                if (!pair.isArray() || pair.size() != 2) {
                    throw new OvsdbSchemaException("a map pair is [key, value], not " + abbreviate(pair));
                }
                pairs.put(decodeAtom(type.key(), pair.get(0)), decodeAtom(type.value(), pair.get(1)));
            }
            return Collections.unmodifiableMap(pairs);
        }
        if (type.isScalar()) {
            // A one-element set for a scalar is legal OVSDB, if unusual.
            if (isTagged(json, "set") && json.get(1).size() == 1) {
                return decodeAtom(type.key(), json.get(1).get(0));
            }
            return decodeAtom(type.key(), json);
        }
        Set<Object> set = new LinkedHashSet<>();
        if (isTagged(json, "set")) {
            for (JsonNode element : json.get(1)) {
                set.add(decodeAtom(type.key(), element));
            }
        } else {
            set.add(decodeAtom(type.key(), json));
        }
        return Collections.unmodifiableSet(set);
    }

    /**
     * The Java atom {@code json} holds ({@code ["named-uuid", n]} too, for symmetry with
     * {@link #encodeAtom}).
     *
     * @throws OvsdbSchemaException if the JSON is not an atom of that type
     */
    public static Object decodeAtom(BaseType base, JsonNode json) {
        switch (base.type()) {
            case INTEGER:
                if (json.isIntegralNumber() && json.canConvertToLong()) {
                    return json.asLong();
                }
                break;
            case REAL:
                // ovsdb-server writes a real with an integral value without a fraction: 1, not 1.0.
                if (json.isNumber()) {
                    return json.asDouble();
                }
                break;
            case BOOLEAN:
                if (json.isBoolean()) {
                    return json.asBoolean();
                }
                break;
            case STRING:
                if (json.isTextual()) {
                    return json.textValue();
                }
                break;
            case UUID:
                if (json.isArray() && json.size() == 2 && json.get(0).isTextual() && json.get(1).isTextual()) {
                    String tag = json.get(0).textValue();
                    String text = json.get(1).textValue();
                    if ("uuid".equals(tag)) {
                        try {
                            return UUID.fromString(text);
                        } catch (IllegalArgumentException e) {
                            throw new OvsdbSchemaException("malformed uuid " + abbreviate(json));
                        }
                    }
                    if ("named-uuid".equals(tag) && NamedUuid.isValidName(text)) {
                        return new NamedUuid(text);
                    }
                }
                break;
            default:
                break;
        }
        throw new OvsdbSchemaException("expected " + article(base.type()) + ", got " + abbreviate(json));
    }

    /**
     * The value a column of {@code type} has when nothing set it (what ovsdb-server gives a row
     * inserted without it, and leaves out of "update2" insertions): empty if {@code min} is 0,
     * otherwise 0, 0.0, false, "" or the all-zero uuid (in a one-element set or map if not scalar).
     */
    public static Object defaultValue(ColumnType type) {
        if (type.min() == 0) {
            return type.isMap() ? Map.of() : Set.of();
        }
        Object key = defaultAtom(type.key().type());
        if (type.isMap()) {
            return Map.of(key, defaultAtom(type.value().type()));
        }
        return type.isScalar() ? key : Set.of(key);
    }

    private static Object defaultAtom(AtomicType type) {
        return switch (type) {
            case INTEGER -> 0L;
            case REAL -> 0.0;
            case BOOLEAN -> false;
            case STRING -> "";
            case UUID -> new UUID(0, 0);
        };
    }

    /** JSON for a value already in canonical form. */
    private static JsonNode toJson(ColumnType type, Object canonical) {
        if (type.isMap()) {
            ArrayNode pairs = JSON.arrayNode();
            ((Map<?, ?>) canonical).forEach((k, v) -> pairs.add(JSON.arrayNode().add(atomJson(k)).add(atomJson(v))));
            return JSON.arrayNode().add("map").add(pairs);
        }
        if (type.isScalar()) {
            return atomJson(canonical);
        }
        Set<?> set = (Set<?>) canonical;
        if (set.size() == 1) {
            return atomJson(set.iterator().next());
        }
        ArrayNode elements = JSON.arrayNode();
        set.forEach(atom -> elements.add(atomJson(atom)));
        return JSON.arrayNode().add("set").add(elements);
    }

    private static JsonNode atomJson(Object atom) {
        if (atom instanceof Long l) {
            return JSON.numberNode(l);
        }
        if (atom instanceof Double d) {
            return JSON.numberNode(d);
        }
        if (atom instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (atom instanceof String s) {
            return JSON.textNode(s);
        }
        if (atom instanceof UUID uuid) {
            return JSON.arrayNode().add("uuid").add(uuid.toString());
        }
        if (atom instanceof NamedUuid named) {
            return JSON.arrayNode().add("named-uuid").add(named.name());
        }
        throw new IllegalStateException("not a canonical atom: " + describe(atom));
    }

    private static void checkConstraints(BaseType base, Object atom) {
        if (atom instanceof Long l) {
            if (base.minInteger() != null && l < base.minInteger()) {
                throw new OvsdbSchemaException(l + " is below the minimum " + base.minInteger());
            }
            if (base.maxInteger() != null && l > base.maxInteger()) {
                throw new OvsdbSchemaException(l + " is above the maximum " + base.maxInteger());
            }
        } else if (atom instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw new OvsdbSchemaException(d + " is not a finite real (JSON has no such number)");
            }
            if (base.minReal() != null && d < base.minReal()) {
                throw new OvsdbSchemaException(d + " is below the minimum " + base.minReal());
            }
            if (base.maxReal() != null && d > base.maxReal()) {
                throw new OvsdbSchemaException(d + " is above the maximum " + base.maxReal());
            }
        } else if (atom instanceof String s) {
            // ovsdb-server counts characters (code points), not bytes or UTF-16 units.
            int length = s.codePointCount(0, s.length());
            if (base.minLength() != null && length < base.minLength()) {
                throw new OvsdbSchemaException(show(s) + " is shorter than the minimum length " + base.minLength());
            }
            if (base.maxLength() != null && length > base.maxLength()) {
                throw new OvsdbSchemaException(show(s) + " (" + length + " characters) is longer than the maximum length "
                        + base.maxLength());
            }
        }
        if (!base.enumValues().isEmpty() && !base.enumValues().contains(atom)) {
            throw new OvsdbSchemaException(show(atom) + " is not one of " + BaseType.listValues(base.enumValues()));
        }
    }

    private static void checkCount(ColumnType type, int count) {
        if (count < type.min()) {
            throw new OvsdbSchemaException(count + " elements, but " + type.describe() + " needs at least " + type.min());
        }
        if (count > type.max()) {
            throw new OvsdbSchemaException(count + " elements, but " + type.describe() + " allows at most " + type.max());
        }
    }

    private static boolean isTagged(JsonNode json, String tag) {
        return json.isArray() && json.size() == 2 && json.get(0).isTextual()
                && tag.equals(json.get(0).textValue()) && json.get(1).isArray();
    }

    private static String article(AtomicType type) {
        return switch (type) {
            case INTEGER -> "an integer";
            case REAL -> "a real";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case UUID -> "a uuid (java.util.UUID or NamedUuid)";
        };
    }

    /** An atom as a message shows it: strings quoted (and cut short), the rest as printed. */
    static String show(Object atom) {
        if (atom instanceof String s) {
            return '"' + (s.length() > SHOWN_STRING ? s.substring(0, SHOWN_STRING) + "..." : s) + '"';
        }
        return String.valueOf(atom);
    }

    private static String describe(Object value) {
        if (value instanceof Collection<?> collection) {
            String kind = value instanceof Set<?> ? "Set" : value instanceof List<?> ? "List" : "Collection";
            return "a " + kind + " of " + collection.size() + " elements";
        }
        if (value instanceof Map<?, ?> map) {
            return "a Map of " + map.size() + " pairs";
        }
        return show(value) + " (" + value.getClass().getSimpleName() + ")";
    }

    private static String abbreviate(JsonNode json) {
        String text = json.toString();
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }
}
