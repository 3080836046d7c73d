package dev.switchboard.ovsdb.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One table (RFC 7047 {@code <table-schema>}).
 *
 * @param name    the table's name
 * @param columns its declared columns by name, in schema order; without the implicit
 *                {@code _uuid} and {@code _version}, which {@link #column} knows nonetheless
 * @param isRoot  whether rows survive without references to them (otherwise the server
 *                deletes unreferenced rows when a transaction commits)
 * @param maxRows most rows allowed, {@link Long#MAX_VALUE} if unlimited
 * @param indexes sets of columns whose values must be unique together
 */
public record TableSchema(String name, Map<String, ColumnSchema> columns, boolean isRoot, long maxRows,
                          List<List<String>> indexes) {

    /** The row's identity, assigned by the server. */
    public static final ColumnSchema UUID_COLUMN =
            new ColumnSchema("_uuid", ColumnType.scalar(AtomicType.UUID), false, false);
    /** Changes whenever the row does; assigned by the server. */
    public static final ColumnSchema VERSION_COLUMN =
            new ColumnSchema("_version", ColumnType.scalar(AtomicType.UUID), false, false);

    public TableSchema {
        Objects.requireNonNull(name, "name");
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        indexes = indexes == null ? List.of() : indexes.stream().map(List::copyOf).toList();
        if (maxRows < 1) {
            throw new OvsdbSchemaException("table " + name + ": maxRows must be positive, not " + maxRows);
        }
    }

    /**
     * The column named {@code column}, including the implicit {@code _uuid} and {@code _version}.
     *
     * @throws OvsdbSchemaException naming table and column if there is no such column
     */
    public ColumnSchema column(String column) {
        ColumnSchema found = find(column);
        if (found == null) {
            String suggestion = closest(column);
            throw new OvsdbSchemaException(name + "." + column + ": no such column in table " + name
                    + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
        }
        return found;
    }

    /** Whether {@link #column} knows {@code column}. */
    public boolean hasColumn(String column) {
        return find(column) != null;
    }

    private ColumnSchema find(String column) {
        if (UUID_COLUMN.name().equals(column)) {
            return UUID_COLUMN;
        }
        if (VERSION_COLUMN.name().equals(column)) {
            return VERSION_COLUMN;
        }
        return columns.get(column);
    }

    /** A declared column within two edits of {@code misspelt}, so a typo's message names the fix. */
    private String closest(String misspelt) {
        return Spelling.closest(misspelt, columns.keySet(), 2).orElse(null);
    }

    /**
     * Parses a {@code <table-schema>}. {@code isRoot} here is the table's own flag; see
     * {@link DatabaseSchema#parse} for the rule that makes every table a root in old schemas.
     */
    public static TableSchema parse(String name, JsonNode json) {
        if (json == null || !json.isObject() || !json.path("columns").isObject()) {
            throw new OvsdbSchemaException("table " + name + ": a table schema is an object with \"columns\"");
        }
        Map<String, ColumnSchema> columns = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : json.get("columns").properties()) {
            try {
                columns.put(entry.getKey(), ColumnSchema.parse(entry.getKey(), entry.getValue()));
            } catch (OvsdbSchemaException e) {
                throw e.at(name + "." + entry.getKey());
            }
        }
        long maxRows = Long.MAX_VALUE;
        if (json.has("maxRows")) {
            JsonNode node = json.get("maxRows");
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw new OvsdbSchemaException("table " + name + ": maxRows must be an integer, not " + node);
            }
            maxRows = node.asLong();
        }
        List<List<String>> indexes = new ArrayList<>();
        for (JsonNode index : json.path("indexes")) {
            List<String> columnNames = new ArrayList<>();
            for (JsonNode column : index) {
                String columnName = column.asText();
                if (!columns.containsKey(columnName)) {
                    throw new OvsdbSchemaException("table " + name + ": index on unknown column " + columnName);
                }
                columnNames.add(columnName);
            }
            indexes.add(columnNames);
        }
        boolean isRoot;
        try {
            isRoot = ColumnSchema.flag(json, "isRoot", false);
        } catch (OvsdbSchemaException e) {
            throw e.at("table " + name);
        }
        return new TableSchema(name, columns, isRoot, maxRows, indexes);
    }
}
