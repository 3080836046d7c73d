package dev.switchboard.ovsdb.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ovsdb.schema.ColumnSchema;
import dev.switchboard.ovsdb.schema.ColumnType;
import dev.switchboard.ovsdb.schema.DatabaseSchema;
import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import dev.switchboard.ovsdb.schema.TableSchema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Parses the table updates of monitor replies and notifications into {@link RowUpdate}s, in the
 * order the JSON lists them. Stateless: the caller keeps the replica and passes a
 * {@link RowLookup} into it (it is read, never changed).
 */
public final class TableUpdates {

    private TableUpdates() {
    }

    /**
     * Parses RFC 7047 {@code <table-updates>} (section 4.1.6), as in "monitor" replies and
     * "update" notifications: {@code {table: {uuid: {"old": row?, "new": row?}}}}.
     *
     * <p>An insert (or initial row) has only "new". A delete has only "old", holding every
     * monitored column. A modify has "new" with every monitored column and "old" with the old
     * values of the changed ones: the new row is the current copy with the "new" columns, the
     * old row the current copy with the "old" columns. Without a current copy, "new" stands for
     * the whole new row, and the old row is "new" overlaid with "old".
     *
     * @throws OvsdbSchemaException if the JSON does not fit the schema
     */
    public static List<RowUpdate> parseUpdate(DatabaseSchema schema, JsonNode tableUpdates, RowLookup current) {
        List<RowUpdate> updates = new ArrayList<>();
        forEachRow(schema, tableUpdates, (table, uuid, update) -> {
            JsonNode oldJson = member(update, "old");
            JsonNode newJson = member(update, "new");
            Row known = current == null ? null : current.find(table.name(), uuid);
            if (newJson == null && oldJson == null) {
                throw new OvsdbSchemaException(table.name() + " row " + uuid + ": an update has \"old\" or \"new\"");
            }
            if (newJson == null) {
                Row old = RowCodec.decode(table, oldJson, uuid);
                updates.add(new RowUpdate(table.name(), uuid, known == null ? old : known.withAll(old.columns()), null));
            } else if (oldJson == null) {
                updates.add(new RowUpdate(table.name(), uuid, null, RowCodec.decode(table, newJson, uuid)));
            } else {
                Row changedNew = RowCodec.decode(table, newJson, uuid);
                Row changedOld = RowCodec.decode(table, oldJson, uuid);
                Row base = known != null ? known : changedNew;
                updates.add(new RowUpdate(table.name(), uuid,
                        base.withAll(changedOld.columns()), base.withAll(changedNew.columns())));
            }
        });
        return List.copyOf(updates);
    }

    /**
     * Parses {@code <table-updates2>} (ovsdb-server(7), "Update2 notification"), as in
     * "monitor_cond" and "monitor_cond_since" replies and "update2"/"update3" notifications:
     * {@code {table: {uuid: {"initial"|"insert": row} | {"delete": null} | {"modify": diff}}}},
     * assuming every column of each table is monitored. See the overload for the details.
     */
    public static List<RowUpdate> parseUpdate2(DatabaseSchema schema, JsonNode tableUpdates, RowLookup current) {
        return parseUpdate2(schema, tableUpdates, current, Map.of());
    }

    /**
     * Parses {@code <table-updates2>}.
     *
     * <p>"initial" and "insert" rows leave out columns whose value is the default, so those
     * are filled in with {@link DatumCodec#defaultValue} for each monitored column.
     *
     * <p>A "modify" holds, for each changed column, a diff applied to the current copy: for a
     * column of at most one element (scalar or optional) the new value; for a set the symmetric
     * difference (an element present in the old value is removed, another added); for a map,
     * a key whose value equals the old one is removed, a key with another value replaced, a new
     * key added. Without a current copy, the new row holds only the columns a diff determines by
     * itself (those of at most one element), and the old row is empty.
     *
     * <p>A "delete"'s old row is the current copy (an empty row if unknown).
     *
     * @param monitoredColumns the columns monitored in each table; a table absent from the map
     *                         has all its columns monitored
     * @throws OvsdbSchemaException if the JSON does not fit the schema
     */
    public static List<RowUpdate> parseUpdate2(DatabaseSchema schema, JsonNode tableUpdates, RowLookup current,
                                               Map<String, ? extends Collection<String>> monitoredColumns) {
        List<RowUpdate> updates = new ArrayList<>();
        forEachRow(schema, tableUpdates, (table, uuid, update) -> {
            if (update.size() != 1) {
                throw new OvsdbSchemaException(table.name() + " row " + uuid
                        + ": an update2 has exactly one of initial, insert, delete, modify, not " + update);
            }
            String kind = update.fieldNames().next();
            JsonNode body = update.get(kind);
            Row known = current == null ? null : current.find(table.name(), uuid);
            switch (kind) {
                case "initial", "insert" -> {
                    Row row = RowCodec.decode(table, body, uuid);
                    Map<String, Object> filled = new LinkedHashMap<>(row.columns());
                    Collection<String> monitored = monitoredColumns.get(table.name());
                    for (String name : monitored != null ? monitored : table.columns().keySet()) {
                        ColumnSchema column = table.column(name);
                        if (!column.isImplicit() && !filled.containsKey(name)) {
                            filled.put(name, DatumCodec.defaultValue(column.type()));
                        }
                    }
                    updates.add(new RowUpdate(table.name(), uuid, null, new Row(uuid, filled)));
                }
                case "delete" -> updates.add(new RowUpdate(table.name(), uuid,
                        known != null ? known : new Row(uuid, Map.of()), null));
                case "modify" -> {
                    if (!body.isObject()) {
                        throw new OvsdbSchemaException(table.name() + " row " + uuid + ": a modify is an object, not " + body);
                    }
                    Row diff = RowCodec.decode(table, body, uuid);
                    Map<String, Object> changes = new LinkedHashMap<>();
                    diff.columns().forEach((name, diffValue) -> {
                        ColumnType type = table.column(name).type();
                        if (known != null) {
                            Object old = known.has(name) ? known.get(name) : DatumCodec.defaultValue(type);
                            changes.put(name, applyDiff(type, old, diffValue));
                        } else if (type.max() == 1 && !(type.isSet() && ((Set<?>) diffValue).size() > 1)) {
                            changes.put(name, diffValue);
                        }
                    });
                    Row old = known != null ? known : new Row(uuid, Map.of());
                    updates.add(new RowUpdate(table.name(), uuid, old,
                            known != null ? known.withAll(changes) : new Row(uuid, changes)));
                }
                default -> throw new OvsdbSchemaException(table.name() + " row " + uuid
                        + ": unknown update2 kind \"" + kind + "\"");
            }
        });
        return List.copyOf(updates);
    }

    /**
     * {@code old} changed by an update2 {@code diff}, both in {@link DatumCodec}'s representation
     * for {@code type}.
     */
    public static Object applyDiff(ColumnType type, Object old, Object diff) {
        if (type.isScalar()) {
            return diff;
        }
        if (type.isMap()) {
            // ovsdb-server sends the new value, not a diff, for a column of at most one element.
            if (type.max() == 1) {
                return diff;
            }
            Map<Object, Object> result = new LinkedHashMap<>((Map<?, ?>) old);
            ((Map<?, ?>) diff).forEach((key, value) -> {
                if (value.equals(result.get(key))) {
                    result.remove(key);
                } else {
                    result.put(key, value);
                }
            });
            return Collections.unmodifiableMap(result);
        }
        Set<Object> result = new LinkedHashSet<>((Set<?>) old);
        for (Object element : (Set<?>) diff) {
            if (!result.remove(element)) {
                result.add(element);
            }
        }
        if (type.max() == 1) {
            // ovsdb-server (3.x) sends an optional column's new value rather than the symmetric
            // difference; both readings agree unless the difference would not fit, or the new
            // value is empty (which no real symmetric difference is).
            Set<?> newValue = (Set<?>) diff;
            if (newValue.isEmpty() || result.size() > 1) {
                return newValue;
            }
        }
        return Collections.unmodifiableSet(result);
    }

    private interface RowVisitor {
        void visit(TableSchema table, UUID uuid, JsonNode update);
    }

    private static void forEachRow(DatabaseSchema schema, JsonNode tableUpdates, RowVisitor visitor) {
        if (tableUpdates == null || !tableUpdates.isObject()) {
            throw new OvsdbSchemaException("table updates are a JSON object, not " + tableUpdates);
        }
        for (Map.Entry<String, JsonNode> tableEntry : tableUpdates.properties()) {
            TableSchema table = schema.table(tableEntry.getKey());
            if (!tableEntry.getValue().isObject()) {
                throw new OvsdbSchemaException(table.name() + ": a table update is a JSON object, not "
                        + tableEntry.getValue());
            }
            for (Map.Entry<String, JsonNode> rowEntry : tableEntry.getValue().properties()) {
                UUID uuid;
                try {
                    uuid = UUID.fromString(rowEntry.getKey());
                } catch (IllegalArgumentException e) {
                    throw new OvsdbSchemaException(table.name() + ": row key " + rowEntry.getKey() + " is not a uuid");
                }
                if (!rowEntry.getValue().isObject()) {
                    throw new OvsdbSchemaException(table.name() + " row " + uuid + ": a row update is a JSON object, not "
                            + rowEntry.getValue());
                }
                visitor.visit(table, uuid, rowEntry.getValue());
            }
        }
    }

    /** A member that is present and not JSON null. */
    private static JsonNode member(JsonNode object, String name) {
        JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }
}
