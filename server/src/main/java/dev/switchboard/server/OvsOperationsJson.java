package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ovsdb.data.DatumCodec;
import dev.switchboard.ovsdb.ops.Abort;
import dev.switchboard.ovsdb.ops.Assert;
import dev.switchboard.ovsdb.ops.Comment;
import dev.switchboard.ovsdb.ops.Commit;
import dev.switchboard.ovsdb.ops.Condition;
import dev.switchboard.ovsdb.ops.Delete;
import dev.switchboard.ovsdb.ops.Function;
import dev.switchboard.ovsdb.ops.Insert;
import dev.switchboard.ovsdb.ops.Mutate;
import dev.switchboard.ovsdb.ops.Mutation;
import dev.switchboard.ovsdb.ops.Mutator;
import dev.switchboard.ovsdb.ops.Operation;
import dev.switchboard.ovsdb.ops.Select;
import dev.switchboard.ovsdb.ops.Update;
import dev.switchboard.ovsdb.ops.Wait;
import dev.switchboard.ovsdb.schema.ColumnSchema;
import dev.switchboard.ovsdb.schema.ColumnType;
import dev.switchboard.ovsdb.schema.DatabaseSchema;
import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import dev.switchboard.ovsdb.schema.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads RFC 7047 operations as they go on the wire (section 5.2, the elements of a
 * {@code transact} after the database name) into the typed {@code dev.switchboard.ovsdb.ops}
 * records, so that {@code TransactionCodec} checks them against the schema before anything is
 * sent. Values are read with the column's type ({@link DatumCodec#decode}); a condition's or
 * mutation's value with the relaxed type RFC 7047 gives it. As in ovsdb-server, a missing
 * member, a member the operation does not have, or an unknown operation is an error.
 *
 * <p>Every error is a {@link UserFacingException} that says where: {@code "operation 1
 * (update Bridge): Bridge.fail_mod: no such column in table Bridge (did you mean
 * fail_mode?)"}. Stateless.
 */
final class OvsOperationsJson {

    private OvsOperationsJson() {
    }

    /**
     * The operations of {@code json}, a JSON array of operation objects.
     *
     * @throws UserFacingException if it is no such array, or an operation is malformed or does
     *                             not fit {@code schema}
     */
    static List<Operation> parse(DatabaseSchema schema, JsonNode json) {
        if (json == null || json.isMissingNode()) {
            throw new UserFacingException("expected a JSON array of OVSDB operations, found nothing");
        }
        if (!json.isArray()) {
            throw new UserFacingException("expected a JSON array of OVSDB operations, such as "
                    + "[{\"op\": \"insert\", \"table\": \"Bridge\", \"row\": {\"name\": \"br0\"}}], not "
                    + abbreviate(json));
        }
        List<Operation> operations = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            JsonNode element = json.get(i);
            try {
                operations.add(operation(schema, element));
            } catch (OvsdbSchemaException | IllegalArgumentException e) {
                throw new UserFacingException("operation " + i + " (" + describe(element) + "): " + e.getMessage(), e);
            }
        }
        return List.copyOf(operations);
    }

    private static Operation operation(DatabaseSchema schema, JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("an operation is a JSON object, not " + abbreviate(json));
        }
        String op = text(json, "op");
        switch (op) {
            case "insert" -> {
                members(json, "table", "row", "uuid-name");
                TableSchema table = table(schema, json);
                JsonNode uuidName = json.get("uuid-name");
                return new Insert(table.name(), row(table, required(json, "row")),
                        uuidName == null ? null : text(json, "uuid-name"));
            }
            case "select" -> {
                members(json, "table", "where", "columns");
                TableSchema table = table(schema, json);
                return new Select(table.name(), where(table, json),
                        json.has("columns") ? columns(table, json.get("columns")) : null);
            }
            case "update" -> {
                members(json, "table", "where", "row");
                TableSchema table = table(schema, json);
                return new Update(table.name(), where(table, json), row(table, required(json, "row")));
            }
            case "mutate" -> {
                members(json, "table", "where", "mutations");
                TableSchema table = table(schema, json);
                return new Mutate(table.name(), where(table, json), mutations(table, required(json, "mutations")));
            }
            case "delete" -> {
                members(json, "table", "where");
                TableSchema table = table(schema, json);
                return new Delete(table.name(), where(table, json));
            }
            case "wait" -> {
                members(json, "table", "where", "columns", "until", "rows", "timeout");
                return waitFor(schema, json);
            }
            case "commit" -> {
                members(json, "durable");
                JsonNode durable = required(json, "durable");
                if (!durable.isBoolean()) {
                    throw new IllegalArgumentException("\"durable\" is true or false, not " + abbreviate(durable));
                }
                return new Commit(durable.booleanValue());
            }
            case "abort" -> {
                members(json);
                return new Abort();
            }
            case "comment" -> {
                members(json, "comment");
                return new Comment(text(json, "comment"));
            }
            case "assert" -> {
                members(json, "lock");
                return new Assert(text(json, "lock"));
            }
            default -> throw new IllegalArgumentException("unknown operation \"" + op
                    + "\" (RFC 7047 has insert, select, update, mutate, delete, wait, commit, abort, comment, assert)");
        }
    }

    private static Wait waitFor(DatabaseSchema schema, JsonNode json) {
        TableSchema table = table(schema, json);
        List<String> columns = columns(table, required(json, "columns"));
        String until = text(json, "until");
        if (!until.equals("==") && !until.equals("!=")) {
            throw new IllegalArgumentException("\"until\" is \"==\" or \"!=\", not \"" + until + "\"");
        }
        JsonNode rowsJson = required(json, "rows");
        if (!rowsJson.isArray()) {
            throw new IllegalArgumentException("\"rows\" is an array of rows, not " + abbreviate(rowsJson));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode rowJson : rowsJson) {
            rows.add(row(table, rowJson));
        }
        Long timeout = null;
        JsonNode timeoutJson = json.get("timeout");
        if (timeoutJson != null) {
            if (!timeoutJson.isIntegralNumber() || !timeoutJson.canConvertToLong()) {
                throw new IllegalArgumentException("\"timeout\" is an integer of milliseconds, not " + abbreviate(timeoutJson));
            }
            timeout = timeoutJson.longValue();
        }
        return new Wait(table.name(), where(table, json), columns, until.equals("=="), rows, timeout);
    }

    private static TableSchema table(DatabaseSchema schema, JsonNode json) {
        return schema.table(text(json, "table"));
    }

    /** A {@code <row>}: an object of column values. */
    private static Map<String, Object> row(TableSchema table, JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("a row is an object of column values, not " + abbreviate(json));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : json.properties()) {
            ColumnSchema column = table.column(entry.getKey());
            row.put(column.name(), value(table, column, column.type(), entry.getValue()));
        }
        return row;
    }

    /** The {@code "where"} member: an array of {@code [column, function, value]}. */
    private static List<Condition> where(TableSchema table, JsonNode json) {
        JsonNode where = required(json, "where");
        if (!where.isArray()) {
            throw new IllegalArgumentException("\"where\" is an array of conditions, not " + abbreviate(where));
        }
        List<Condition> conditions = new ArrayList<>();
        for (JsonNode condition : where) {
            if (!condition.isArray() || condition.size() != 3 || !condition.get(0).isTextual() || !condition.get(1).isTextual()) {
                throw new IllegalArgumentException("a condition is [column, function, value], not " + abbreviate(condition));
            }
            ColumnSchema column = table.column(condition.get(0).textValue());
            Function function = function(condition.get(1).textValue());
            ColumnType type = column.type();
            if (!type.isScalar() && (function == Function.INCLUDES || function == Function.EXCLUDES)) {
                type = type.withCount(0, ColumnType.UNLIMITED);
            }
            conditions.add(new Condition(column.name(), function, value(table, column, type, condition.get(2))));
        }
        return conditions;
    }

    /** The {@code "mutations"} member: an array of {@code [column, mutator, value]}. */
    private static List<Mutation> mutations(TableSchema table, JsonNode json) {
        if (!json.isArray()) {
            throw new IllegalArgumentException("\"mutations\" is an array of mutations, not " + abbreviate(json));
        }
        List<Mutation> mutations = new ArrayList<>();
        for (JsonNode mutation : json) {
            if (!mutation.isArray() || mutation.size() != 3 || !mutation.get(0).isTextual() || !mutation.get(1).isTextual()) {
                throw new IllegalArgumentException("a mutation is [column, mutator, value], not " + abbreviate(mutation));
            }
            ColumnSchema column = table.column(mutation.get(0).textValue());
            Mutator mutator = mutator(mutation.get(1).textValue());
            JsonNode value = mutation.get(2);
            ColumnType type = column.type();
            ColumnType operand;
            if (mutator.isArithmetic()) {
                // One atom; TransactionCodec tells a map or non-number column apart.
                operand = type.isMap() ? type : ColumnType.scalar(type.key().withoutConstraints());
            } else if (type.isScalar()) {
                operand = type; // TransactionCodec refuses insert and delete on a scalar with the reason
            } else if (type.isMap() && mutator == Mutator.DELETE && !isTagged(value, "map")) {
                operand = new ColumnType(type.key(), null, 0, ColumnType.UNLIMITED); // deleting keys
            } else {
                operand = type.withCount(0, ColumnType.UNLIMITED);
            }
            mutations.add(new Mutation(column.name(), mutator, value(table, column, operand, value)));
        }
        return mutations;
    }

    private static List<String> columns(TableSchema table, JsonNode json) {
        if (!json.isArray()) {
            throw new IllegalArgumentException("\"columns\" is an array of column names, not " + abbreviate(json));
        }
        List<String> columns = new ArrayList<>();
        for (JsonNode name : json) {
            if (!name.isTextual()) {
                throw new IllegalArgumentException("a column name is a string, not " + abbreviate(name));
            }
            columns.add(table.column(name.textValue()).name());
        }
        return columns;
    }

    private static Object value(TableSchema table, ColumnSchema column, ColumnType type, JsonNode json) {
        try {
            return DatumCodec.decode(type, json);
        } catch (OvsdbSchemaException e) {
            throw e.at(table.name() + "." + column.name());
        }
    }

    private static Function function(String name) {
        return Arrays.stream(Function.values()).filter(f -> f.json().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown function \"" + name + "\" (use one of "
                        + String.join(" ", Arrays.stream(Function.values()).map(Function::json).toList()) + ")"));
    }

    private static Mutator mutator(String name) {
        return Arrays.stream(Mutator.values()).filter(m -> m.json().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown mutator \"" + name + "\" (use one of "
                        + String.join(" ", Arrays.stream(Mutator.values()).map(Mutator::json).toList()) + ")"));
    }

    /** Refuses members other than {@code "op"} and {@code allowed}. */
    private static void members(JsonNode json, String... allowed) {
        Set<String> known = Set.of(allowed);
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("op") && !known.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown member" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + (allowed.length == 0 ? " (it has none but \"op\")" : " (it has " + String.join(", ", allowed) + ")"));
        }
    }

    private static JsonNode required(JsonNode json, String member) {
        JsonNode value = json.get(member);
        if (value == null) {
            throw new IllegalArgumentException("no \"" + member + "\"");
        }
        return value;
    }

    private static String text(JsonNode json, String member) {
        JsonNode value = required(json, member);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("\"" + member + "\" is a string, not " + abbreviate(value));
        }
        return value.textValue();
    }

    /** The operation in a few words, as far as its JSON tells: {@code insert Bridge}. */
    private static String describe(JsonNode json) {
        if (json == null || !json.isObject() || !json.path("op").isTextual()) {
            return "no op";
        }
        String op = json.get("op").textValue();
        return json.path("table").isTextual() ? op + " " + json.get("table").textValue() : op;
    }

    private static boolean isTagged(JsonNode json, String tag) {
        return json.isArray() && json.size() == 2 && json.get(0).isTextual() && tag.equals(json.get(0).textValue());
    }

    private static String abbreviate(JsonNode json) {
        String text = json.toString();
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
