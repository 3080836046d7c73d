package dev.switchboard.ovsdb.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A database schema (RFC 7047 {@code <database-schema>}), as {@code get_schema} returns it or as
 * an {@code .ovsschema} file holds it.
 *
 * @param name    the database's name, e.g. {@code Open_vSwitch}
 * @param version the schema version, e.g. {@code 8.3.1}
 * @param tables  the tables by name, in schema order
 */
public record DatabaseSchema(String name, String version, Map<String, TableSchema> tables) {

    public DatabaseSchema {
        Objects.requireNonNull(name, "name");
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /**
     * The table named {@code table}.
     *
     * @throws OvsdbSchemaException if there is none
     */
    public TableSchema table(String table) {
        TableSchema found = tables.get(table);
        if (found == null) {
            throw new OvsdbSchemaException("unknown table '" + table + "' in database " + name);
        }
        return found;
    }

    /**
     * Parses a {@code <database-schema>}: {@code "name"}, {@code "version"} (optional in old
     * schemas; null then), {@code "tables"}. As in ovsdb-server, a schema in which no table is
     * a root makes every table one: {@code isRoot} came after garbage collection's absence was
     * relied on.
     *
     * @throws OvsdbSchemaException if it is malformed
     */
    public static DatabaseSchema parse(JsonNode schemaJson) {
        if (schemaJson == null || !schemaJson.isObject() || !schemaJson.path("name").isTextual()
                || !schemaJson.path("tables").isObject()) {
            throw new OvsdbSchemaException("malformed schema: expected an object with \"name\" and \"tables\"");
        }
        String name = schemaJson.get("name").asText();
        String version = schemaJson.path("version").isTextual() ? schemaJson.get("version").asText() : null;
        Map<String, TableSchema> tables = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> entry : schemaJson.get("tables").properties()) {
                tables.put(entry.getKey(), TableSchema.parse(entry.getKey(), entry.getValue()));
            }
        } catch (OvsdbSchemaException e) {
            throw e.at("malformed schema " + name);
        }
        if (tables.values().stream().noneMatch(TableSchema::isRoot)) {
            tables.replaceAll((tableName, t) -> new TableSchema(t.name(), t.columns(), true, t.maxRows(), t.indexes()));
        }
        for (TableSchema table : tables.values()) {
            for (ColumnSchema column : table.columns().values()) {
                checkRef(name, tables, table, column, column.type().key());
                if (column.type().value() != null) {
                    checkRef(name, tables, table, column, column.type().value());
                }
            }
        }
        return new DatabaseSchema(name, version, tables);
    }

    private static void checkRef(String database, Map<String, TableSchema> tables, TableSchema table,
                                 ColumnSchema column, BaseType base) {
        if (base.refTable() != null && !tables.containsKey(base.refTable())) {
            throw new OvsdbSchemaException("malformed schema " + database + ": " + table.name() + "."
                    + column.name() + " refers to unknown table " + base.refTable());
        }
    }
}
