package dev.switchboard.ovsdb.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The type of the keys or of the values of a column (RFC 7047 {@code <base-type>}): an atomic
 * type and its optional constraints. A constraint that does not apply is null (the range
 * constraints of a string, say).
 *
 * @param type       the atomic type
 * @param enumValues the allowed values, in schema order, as {@code Long}, {@code Double},
 *                   {@code Boolean}, {@code String} or {@code java.util.UUID}; empty for no
 *                   enumeration
 * @param minInteger least integer allowed, or null
 * @param maxInteger greatest integer allowed, or null
 * @param minReal    least real allowed, or null
 * @param maxReal    greatest real allowed, or null
 * @param minLength  fewest characters (Unicode code points, as ovsdb-server counts) a string
 *                   may have, or null
 * @param maxLength  most characters a string may have, or null
 * @param refTable   the table a uuid refers to, or null if it is not a reference
 * @param refType    strong or weak; {@link RefType#STRONG} when not a reference (the RFC's
 *                   default)
 */
public record BaseType(AtomicType type, Set<Object> enumValues, Long minInteger, Long maxInteger,
                       Double minReal, Double maxReal, Integer minLength, Integer maxLength,
                       String refTable, RefType refType) {

    public BaseType {
        Objects.requireNonNull(type, "type");
        enumValues = enumValues == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(
                enumValues.stream().map(v -> v instanceof Integer i ? Long.valueOf(i) : v).toList()));
        refType = refType == null ? RefType.STRONG : refType;
        if (refTable != null && type != AtomicType.UUID) {
            throw new OvsdbSchemaException("refTable " + refTable + " on a " + type.jsonName()
                    + "; only uuids refer to rows");
        }
    }

    /** An unconstrained base type. */
    public static BaseType of(AtomicType type) {
        return new BaseType(type, Set.of(), null, null, null, null, null, null, null, RefType.STRONG);
    }

    /** A uuid referring to rows of {@code table}. */
    public static BaseType ref(String table, RefType refType) {
        return new BaseType(AtomicType.UUID, Set.of(), null, null, null, null, null, null,
                Objects.requireNonNull(table, "table"), refType);
    }

    /** A string restricted to {@code values}. */
    public static BaseType enumOf(String... values) {
        return new BaseType(AtomicType.STRING, new LinkedHashSet<>(List.of(values)),
                null, null, null, null, null, null, null, RefType.STRONG);
    }

    /** An integer in {@code [min, max]}; either bound may be null. */
    public static BaseType integer(Long min, Long max) {
        return new BaseType(AtomicType.INTEGER, Set.of(), min, max, null, null, null, null, null, RefType.STRONG);
    }

    /**
     * This type without enumeration, range and length constraints (it keeps any reference).
     * Arithmetic mutations take such an operand: {@code ofport_request -= 1} is legal although
     * {@code -1} is not an allowed {@code ofport_request}.
     */
    public BaseType withoutConstraints() {
        return new BaseType(type, Set.of(), null, null, null, null, null, null, refTable, refType);
    }

    /** Whether this is a reference to rows of {@link #refTable}. */
    public boolean isRef() {
        return refTable != null;
    }

    /** Short English, for messages: {@code "integer in [1, 65279]"}, {@code "uuid (strong reference to Port)"}. */
    public String describe() {
        return describe(type.jsonName());
    }

    /** {@link #describe()} with the type's name in the plural, for sets: {@code "strings (one of ...)"}. */
    public String describePlural() {
        return describe(type.jsonName() + "s");
    }

    private String describe(String typeName) {
        StringBuilder s = new StringBuilder(typeName);
        if (!enumValues.isEmpty()) {
            s.append(" (one of ").append(listValues(enumValues)).append(')');
        }
        s.append(range(minInteger, maxInteger)).append(range(minReal, maxReal));
        if (minLength != null || maxLength != null) {
            s.append(" of length ").append(minLength == null ? 0 : minLength).append("..")
                    .append(maxLength == null ? "" : maxLength);
        }
        if (refTable != null) {
            s.append(" (").append(refType.name().toLowerCase()).append(" reference to ")
                    .append(refTable).append(')');
        }
        return s.toString();
    }

    private static String range(Object min, Object max) {
        if (min != null && max != null) {
            return " in [" + min + ", " + max + "]";
        }
        if (min != null) {
            return " >= " + min;
        }
        return max != null ? " <= " + max : "";
    }

    /** Values for a message, at most ten of them: a long enumeration helps nobody read an error. */
    public static String listValues(Set<Object> values) {
        String shown = values.stream().limit(10)
                .map(v -> v instanceof String str ? '"' + str + '"' : String.valueOf(v))
                .collect(Collectors.joining(", "));
        return values.size() > 10 ? shown + ", ... (" + values.size() + " in all)" : shown;
    }

    /**
     * Parses an RFC 7047 {@code <base-type>}: either an atomic type's name or an object with
     * {@code "type"} and optional constraints. Members this code does not know are ignored, as
     * ovsdb-server's own parser does for forward compatibility.
     *
     * @throws OvsdbSchemaException if it is malformed
     */
    public static BaseType parse(JsonNode json) {
        if (json != null && json.isTextual()) {
            return of(AtomicType.of(json.asText()));
        }
        if (json == null || !json.isObject() || !json.path("type").isTextual()) {
            throw new OvsdbSchemaException("a base type is a type name or an object with \"type\", not " + json);
        }
        AtomicType type = AtomicType.of(json.get("type").asText());
        Set<Object> enumValues = json.has("enum") ? parseEnum(type, json.get("enum")) : Set.of();
        String refTable = null;
        RefType refType = RefType.STRONG;
        if (json.has("refTable")) {
            refTable = text(json, "refTable");
            if (json.has("refType")) {
                String name = text(json, "refType");
                refType = switch (name) {
                    case "strong" -> RefType.STRONG;
                    case "weak" -> RefType.WEAK;
                    default -> throw new OvsdbSchemaException("refType must be strong or weak, not " + name);
                };
            }
        }
        return new BaseType(type, enumValues,
                integerOrNull(json, "minInteger"), integerOrNull(json, "maxInteger"),
                realOrNull(json, "minReal"), realOrNull(json, "maxReal"),
                lengthOrNull(json, "minLength"), lengthOrNull(json, "maxLength"),
                refTable, refType);
    }

    /** An enumeration is an OVSDB {@code <value>}: a bare atom or {@code ["set", [atoms]]}. */
    private static Set<Object> parseEnum(AtomicType type, JsonNode json) {
        List<JsonNode> atoms = new ArrayList<>();
        if (json.isArray() && json.size() == 2 && "set".equals(json.get(0).asText(null)) && json.get(1).isArray()) {
            json.get(1).forEach(atoms::add);
        } else {
            atoms.add(json);
        }
        Set<Object> values = new LinkedHashSet<>();
        for (JsonNode atom : atoms) {
            values.add(parseEnumAtom(type, atom));
        }
        return values;
    }

    // The schema package parses the few atoms an enumeration holds itself rather than depend on
    // the data package, which depends on this one.
    private static Object parseEnumAtom(AtomicType type, JsonNode atom) {
        switch (type) {
            case INTEGER:
                if (atom.isIntegralNumber() && atom.canConvertToLong()) {
                    return atom.asLong();
                }
                break;
            case REAL:
                if (atom.isNumber()) {
                    return atom.asDouble();
                }
                break;
            case BOOLEAN:
                if (atom.isBoolean()) {
                    return atom.asBoolean();
                }
                break;
            case STRING:
                if (atom.isTextual()) {
                    return atom.asText();
                }
                break;
            case UUID:
                if (atom.isArray() && atom.size() == 2 && "uuid".equals(atom.get(0).asText(null))) {
                    try {
                        return java.util.UUID.fromString(atom.get(1).asText());
                    } catch (IllegalArgumentException e) {
                        break;
                    }
                }
                break;
            default:
                break;
        }
        throw new OvsdbSchemaException("enum value " + atom + " is not a " + type.jsonName());
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (!node.isTextual()) {
            throw new OvsdbSchemaException(field + " must be a string, not " + node);
        }
        return node.asText();
    }

    private static Long integerOrNull(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new OvsdbSchemaException(field + " must be an integer, not " + node);
        }
        return node.asLong();
    }

    private static Double realOrNull(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isNumber()) {
            throw new OvsdbSchemaException(field + " must be a number, not " + node);
        }
        return node.asDouble();
    }

    private static Integer lengthOrNull(JsonNode json, String field) {
        Long value = integerOrNull(json, field);
        if (value == null) {
            return null;
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new OvsdbSchemaException(field + " out of range: " + value);
        }
        return value.intValue();
    }
}
