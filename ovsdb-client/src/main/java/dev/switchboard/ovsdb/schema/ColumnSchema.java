package dev.switchboard.ovsdb.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One column of a table (RFC 7047 {@code <column-schema>}).
 *
 * @param name      the column's name
 * @param type      its type
 * @param ephemeral whether the server keeps it only in memory (not on disk)
 * @param mutable   whether "update" and "mutate" may change it after "insert" set it
 */
public record ColumnSchema(String name, ColumnType type, boolean ephemeral, boolean mutable) {

    public ColumnSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** Whether this is {@code _uuid} or {@code _version}, which the server maintains. */
    public boolean isImplicit() {
        return name.startsWith("_");
    }

    /**
     * Parses a {@code <column-schema>} ({@code "type"}, optional {@code "ephemeral"} default
     * false, optional {@code "mutable"} default true).
     */
    public static ColumnSchema parse(String name, JsonNode json) {
        if (json == null || !json.isObject() || !json.has("type")) {
            throw new OvsdbSchemaException("a column schema is an object with \"type\", not " + json);
        }
        return new ColumnSchema(name, ColumnType.parse(json.get("type")),
                flag(json, "ephemeral", false), flag(json, "mutable", true));
    }

    static boolean flag(JsonNode json, String field, boolean otherwise) {
        JsonNode node = json.get(field);
        if (node == null) {
            return otherwise;
        }
        if (!node.isBoolean()) {
            throw new OvsdbSchemaException(field + " must be true or false, not " + node);
        }
        return node.asBoolean();
    }
}
