package dev.switchboard.ovsdb.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ovsdb.data.DatumCodec;
import dev.switchboard.ovsdb.data.NamedUuid;
import dev.switchboard.ovsdb.data.Row;
import dev.switchboard.ovsdb.data.RowCodec;
import dev.switchboard.ovsdb.schema.AtomicType;
import dev.switchboard.ovsdb.schema.BaseType;
import dev.switchboard.ovsdb.schema.ColumnSchema;
import dev.switchboard.ovsdb.schema.ColumnType;
import dev.switchboard.ovsdb.schema.DatabaseSchema;
import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import dev.switchboard.ovsdb.schema.TableSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Encodes the params of a "transact" request and decodes its result (RFC 7047 section 4.1.3).
 *
 * <p>Encoding checks every operation against the schema first and throws
 * {@link OvsdbSchemaException} without encoding anything if one is wrong, with the operation's
 * index, kind and table, and the column. It applies ovsdb-server's rules: unknown tables and
 * columns; values that do not fit; {@code _uuid}, {@code _version} and immutable columns
 * only set by insert; a condition's function must suit the column (orderings only for an
 * integer or real holding at most one value; includes/excludes and equality for anything, the
 * former with a relaxed element count); a mutator must suit the column (arithmetic only on
 * integers and reals, scalar or set, {@code %=} only on integers, with an unconstrained atom as
 * operand; insert and delete only on sets and maps); and every {@link NamedUuid} must name a
 * row inserted in the same transaction, and no name may be given twice. Stateless.
 */
public final class TransactionCodec {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TransactionCodec() {
    }

    /**
     * The params of "transact": {@code [database, operation...]}.
     *
     * @throws OvsdbSchemaException if any operation does not fit the schema
     */
    public static ArrayNode encode(DatabaseSchema schema, List<Operation> ops) {
        Set<String> declared = new HashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Insert insert && insert.uuidName() != null && !declared.add(insert.uuidName())) {
                throw new OvsdbSchemaException("operation " + i + " (" + describe(insert) + "): uuid-name "
                        + insert.uuidName() + " is already used by an earlier insert");
            }
        }
        ArrayNode params = JSON.arrayNode().add(schema.name());
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            try {
                params.add(new OperationEncoder(schema, declared).encode(op));
            } catch (OvsdbSchemaException e) {
                throw e.at("operation " + i + " (" + describe(op) + ")");
            }
        }
        return params;
    }

    /**
     * A "where" array of {@code conditions} on {@code table}, checked as in {@link #encode}; for
     * the conditions of "monitor_cond", where a {@link NamedUuid} has nothing to name.
     *
     * @throws OvsdbSchemaException if a condition does not fit the table
     */
    public static ArrayNode encodeConditions(TableSchema table, List<Condition> conditions) {
        return new OperationEncoder(null, Set.of()).where(table, conditions);
    }

    /**
     * The per-operation results of a successful transaction.
     *
     * @param result the "result" member of the reply: one element per operation, or one more
     *               for a commit-time error
     * @throws OvsdbTransactionException if an operation or the commit failed (the first error
     *                                   is reported)
     * @throws OvsdbSchemaException      if a result does not fit the schema
     * @throws IllegalArgumentException  if {@code result} is not a transact result for {@code ops}
     */
    public static List<OperationResult> decode(DatabaseSchema schema, List<Operation> ops, JsonNode result) {
        if (result == null || !result.isArray()) {
            throw new IllegalArgumentException("a transact result is an array, not " + result);
        }
        for (int i = 0; i < result.size(); i++) {
            JsonNode element = result.get(i);
            JsonNode error = element.get("error");
            if (error != null && !error.isNull()) {
                JsonNode details = element.get("details");
                throw new OvsdbTransactionException(i, i < ops.size() ? ops.get(i) : null,
                        error.isTextual() ? error.textValue() : error.toString(),
                        details == null || details.isNull() ? null : details.isTextual() ? details.textValue() : details.toString());
            }
        }
        if (result.size() < ops.size()) {
            throw new IllegalArgumentException("a transact result of " + result.size() + " elements for "
                    + ops.size() + " operations, without an error");
        }
        List<OperationResult> results = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            JsonNode element = result.get(i);
            if (!element.isObject()) {
                throw new IllegalArgumentException("result " + i + " of a transact is an object, not " + element);
            }
            try {
                results.add(decodeOne(schema, op, element));
            } catch (OvsdbSchemaException e) {
                throw e.at("result of operation " + i + " (" + describe(op) + ")");
            }
        }
        return List.copyOf(results);
    }

    /** An operation in a few words, for messages: {@code "update Bridge"}, {@code "commit"}. */
    public static String describe(Operation op) {
        if (op instanceof Insert o) {
            return "insert " + o.table();
        } else if (op instanceof Select o) {
            return "select " + o.table();
        } else if (op instanceof Update o) {
            return "update " + o.table();
        } else if (op instanceof Mutate o) {
            return "mutate " + o.table();
        } else if (op instanceof Delete o) {
            return "delete " + o.table();
        } else if (op instanceof Wait o) {
            return "wait " + o.table();
        } else if (op instanceof Assert o) {
            return "assert " + o.lock();
        }
        return op.op();
    }

    private static OperationResult decodeOne(DatabaseSchema schema, Operation op, JsonNode element) {
        if (op instanceof Insert) {
            UUID uuid = (UUID) DatumCodec.decodeAtom(BaseType.of(AtomicType.UUID), required(element, "uuid"));
            return new OperationResult(op, uuid, null, null);
        }
        if (op instanceof Select select) {
            TableSchema table = schema.table(select.table());
            JsonNode rowsJson = required(element, "rows");
            if (!rowsJson.isArray()) {
                throw new OvsdbSchemaException("\"rows\" is an array, not " + rowsJson);
            }
            List<Row> rows = new ArrayList<>();
            for (JsonNode rowJson : rowsJson) {
                rows.add(RowCodec.decode(table, rowJson, null));
            }
            return new OperationResult(op, null, rows, null);
        }
        if (op instanceof Update || op instanceof Mutate || op instanceof Delete) {
            JsonNode count = required(element, "count");
            if (!count.canConvertToLong()) {
                throw new OvsdbSchemaException("\"count\" is an integer, not " + count);
            }
            return new OperationResult(op, null, null, count.asLong());
        }
        return new OperationResult(op, null, null, null);
    }

    private static JsonNode required(JsonNode element, String member) {
        JsonNode node = element.get(member);
        if (node == null) {
            throw new OvsdbSchemaException("no \"" + member + "\" in " + element);
        }
        return node;
    }

    /**
     * Encodes one operation; knows the names the transaction's inserts declare. ({@code schema}
     * is null when only conditions are encoded.)
     */
    private record OperationEncoder(DatabaseSchema schema, Set<String> declared) {

        ObjectNode encode(Operation op) {
            ObjectNode json = JSON.objectNode().put("op", op.op());
            if (op instanceof Insert insert) {
                TableSchema table = schema.table(insert.table());
                checkReferences(table, insert.row());
                json.put("table", table.name()).set("row", RowCodec.encode(table, insert.row()));
                if (insert.uuidName() != null) {
                    json.put("uuid-name", insert.uuidName());
                }
            } else if (op instanceof Select select) {
                TableSchema table = schema.table(select.table());
                json.put("table", table.name()).set("where", where(table, select.where()));
                if (select.columns() != null) {
                    json.set("columns", columns(table, select.columns()));
                }
            } else if (op instanceof Update update) {
                TableSchema table = schema.table(update.table());
                update.row().keySet().forEach(name -> checkChangeable(table, name, "updated"));
                checkReferences(table, update.row());
                json.put("table", table.name()).set("where", where(table, update.where()));
                json.set("row", RowCodec.encode(table, update.row()));
            } else if (op instanceof Mutate mutate) {
                TableSchema table = schema.table(mutate.table());
                json.put("table", table.name()).set("where", where(table, mutate.where()));
                ArrayNode mutations = json.putArray("mutations");
                mutate.mutations().forEach(m -> mutations.add(mutation(table, m)));
            } else if (op instanceof Delete delete) {
                TableSchema table = schema.table(delete.table());
                json.put("table", table.name()).set("where", where(table, delete.where()));
            } else if (op instanceof Wait wait) {
                encodeWait(wait, json);
            } else if (op instanceof Commit commit) {
                json.put("durable", commit.durable());
            } else if (op instanceof Comment comment) {
                json.put("comment", comment.comment());
            } else if (op instanceof Assert assertion) {
                json.put("lock", assertion.lock());
            }
            // Abort has no members beyond "op".
            return json;
        }

        private void encodeWait(Wait wait, ObjectNode json) {
            TableSchema table = schema.table(wait.table());
            // RFC 7047 5.2.6 lists "timeout" first.
            if (wait.timeoutMillis() != null) {
                json.put("timeout", wait.timeoutMillis());
            }
            json.put("table", table.name());
            json.set("where", where(table, wait.where()));
            json.set("columns", columns(table, wait.columns()));
            json.put("until", wait.untilEqual() ? "==" : "!=");
            ArrayNode rows = json.putArray("rows");
            for (Map<String, Object> row : wait.rows()) {
                ObjectNode rowJson = rows.addObject();
                row.forEach((name, value) -> {
                    if (!wait.columns().contains(name)) {
                        throw new OvsdbSchemaException(table.name() + "." + name
                                + ": a wait row may hold only the waited-for columns " + wait.columns());
                    }
                    rowJson.set(name, value(table, table.column(name), value));
                });
            }
        }

        private ArrayNode where(TableSchema table, List<Condition> conditions) {
            ArrayNode where = JSON.arrayNode();
            for (Condition condition : conditions) {
                ColumnSchema column = table.column(condition.column());
                ColumnType type = column.type();
                Function function = condition.function();
                if (function.isInequality()) {
                    if (!(type.isScalar() || type.isOptional())
                            || (type.key().type() != AtomicType.INTEGER && type.key().type() != AtomicType.REAL)) {
                        throw new OvsdbSchemaException(table.name() + "." + column.name() + ": condition \""
                                + function.json() + "\" applies only to an integer or real of at most one element, "
                                + "not to a column of type " + type.describe());
                    }
                } else if (function == Function.INCLUDES && !type.isScalar()) {
                    type = type.withCount(0, type.max());
                } else if (function == Function.EXCLUDES && !type.isScalar()) {
                    type = type.withCount(0, ColumnType.UNLIMITED);
                }
                where.add(JSON.arrayNode().add(column.name()).add(function.json())
                        .add(value(table, column, type, condition.value())));
            }
            return where;
        }

        private ArrayNode mutation(TableSchema table, Mutation mutation) {
            ColumnSchema column = checkChangeable(table, mutation.column(), "mutated");
            ColumnType type = column.type();
            Mutator mutator = mutation.mutator();
            ColumnType operand;
            if (mutator.isArithmetic()) {
                AtomicType atomic = type.key().type();
                if (type.isMap() || (atomic != AtomicType.INTEGER && atomic != AtomicType.REAL)
                        || (mutator == Mutator.MOD && atomic == AtomicType.REAL)) {
                    throw new OvsdbSchemaException(table.name() + "." + column.name() + ": mutator \"" + mutator.json()
                            + "\" applies only to " + (mutator == Mutator.MOD ? "integers" : "integers or reals")
                            + " (or sets of them), not to a column of type " + type.describe());
                }
                // The operand is one atom of the column's type without its constraints.
                operand = ColumnType.scalar(type.key().withoutConstraints());
                if ((mutator == Mutator.DIV || mutator == Mutator.MOD) && isZero(mutation.value())) {
                    throw new OvsdbSchemaException(table.name() + "." + column.name() + ": division by zero");
                }
            } else {
                if (type.isScalar()) {
                    throw new OvsdbSchemaException(table.name() + "." + column.name() + ": mutator \"" + mutator.json()
                            + "\" applies only to sets and maps, not to a column of type " + type.describe());
                }
                if (mutator == Mutator.INSERT) {
                    operand = type.withCount(0, type.max());
                } else if (type.isMap() && !(mutation.value() instanceof Map<?, ?>)) {
                    // Deleting from a map by keys: the operand is a set of keys.
                    operand = new ColumnType(type.key(), null, 0, ColumnType.UNLIMITED);
                } else {
                    operand = type.withCount(0, ColumnType.UNLIMITED);
                }
            }
            return JSON.arrayNode().add(column.name()).add(mutator.json())
                    .add(value(table, column, operand, mutation.value()));
        }

        private static boolean isZero(Object value) {
            return value instanceof Number n && n.doubleValue() == 0;
        }

        private ColumnSchema checkChangeable(TableSchema table, String name, String verb) {
            ColumnSchema column = table.column(name);
            if (column.isImplicit()) {
                throw new OvsdbSchemaException(table.name() + "." + name + ": set by the server; cannot be " + verb);
            }
            if (!column.mutable()) {
                throw new OvsdbSchemaException(table.name() + "." + name + ": immutable (\"mutable\": false); "
                        + "only an insert sets it, it cannot be " + verb);
            }
            return column;
        }

        private ArrayNode columns(TableSchema table, List<String> names) {
            ArrayNode columns = JSON.arrayNode();
            names.forEach(name -> columns.add(table.column(name).name()));
            return columns;
        }

        private JsonNode value(TableSchema table, ColumnSchema column, Object value) {
            return value(table, column, column.type(), value);
        }

        private JsonNode value(TableSchema table, ColumnSchema column, ColumnType type, Object value) {
            try {
                JsonNode json = DatumCodec.encode(type, value);
                checkReferences(value);
                return json;
            } catch (OvsdbSchemaException e) {
                throw e.at(table.name() + "." + column.name());
            }
        }

        private void checkReferences(TableSchema table, Map<String, Object> row) {
            row.forEach((name, value) -> {
                try {
                    checkReferences(value);
                } catch (OvsdbSchemaException e) {
                    throw e.at(table.name() + "." + name);
                }
            });
        }

        private void checkReferences(Object value) {
            for (NamedUuid named : NamedUuid.referencedBy(value)) {
                if (!declared.contains(named.name())) {
                    throw new OvsdbSchemaException("named-uuid " + named.name()
                            + " is not the uuid-name of any insert in this transaction");
                }
            }
        }
    }
}
