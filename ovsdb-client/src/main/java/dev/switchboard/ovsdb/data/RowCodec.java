package dev.switchboard.ovsdb.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ovsdb.schema.ColumnSchema;
import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import dev.switchboard.ovsdb.schema.TableSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Converts rows between Java and RFC 7047 {@code <row>} JSON objects. Stateless. */
public final class RowCodec {

    private RowCodec() {
    }

    /**
     * The row {@code rowJson} holds. Columns the schema does not know are skipped, so a client
     * holding an older schema than the server's still reads a {@code select} of all columns.
     *
     * @param uuid the row's uuid if known; otherwise its {@code _uuid} column, if present
     * @throws OvsdbSchemaException if a value does not have its column's type
     */
    public static Row decode(TableSchema table, JsonNode rowJson, UUID uuid) {
        if (rowJson == null || !rowJson.isObject()) {
            throw new OvsdbSchemaException(table.name() + ": a row is a JSON object, not " + rowJson);
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : rowJson.properties()) {
            String name = entry.getKey();
            if (!table.hasColumn(name)) {
                continue;
            }
            try {
                columns.put(name, DatumCodec.decode(table.column(name).type(), entry.getValue()));
            } catch (OvsdbSchemaException e) {
                throw e.at(table.name() + "." + name);
            }
        }
        UUID rowUuid = uuid != null ? uuid : (UUID) columns.get("_uuid");
        return new Row(rowUuid, columns);
    }

    /**
     * The {@code <row>} object for {@code columns} (values in any form {@link DatumCodec#encode}
     * accepts), in the map's order.
     *
     * @throws OvsdbSchemaException naming table and column, for an unknown column, for
     *                              {@code _uuid} or {@code _version} (the server sets them), or
     *                              for a value that does not fit its column
     */
    public static ObjectNode encode(TableSchema table, Map<String, Object> columns) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        columns.forEach((name, value) -> {
            ColumnSchema column = table.column(name);
            if (column.isImplicit()) {
                throw new OvsdbSchemaException(table.name() + "." + name + ": set by the server; a row may not give it");
            }
            try {
                row.set(name, DatumCodec.encode(column.type(), value));
            } catch (OvsdbSchemaException e) {
                throw e.at(table.name() + "." + name);
            }
        });
        return row;
    }
}
