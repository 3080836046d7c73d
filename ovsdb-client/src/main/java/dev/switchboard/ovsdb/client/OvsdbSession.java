package dev.switchboard.ovsdb.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ovsdb.data.NamedUuid;
import dev.switchboard.ovsdb.data.RowLookup;
import dev.switchboard.ovsdb.data.RowUpdate;
import dev.switchboard.ovsdb.data.TableUpdates;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcConnection;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcErrorException;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcHandler;
import dev.switchboard.ovsdb.jsonrpc.PeerText;
import dev.switchboard.ovsdb.ops.Operation;
import dev.switchboard.ovsdb.ops.OperationResult;
import dev.switchboard.ovsdb.ops.TransactionCodec;
import dev.switchboard.ovsdb.schema.DatabaseSchema;
import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import dev.switchboard.ovsdb.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 7047 methods on one connection to one {@code ovsdb-server}: {@code list_dbs},
 * {@code get_schema}, {@code transact}, {@code monitor} / {@code monitor_cond},
 * {@code monitor_cancel}, {@code lock} / {@code steal} / {@code unlock} and {@code echo};
 * and the server's {@code update}, {@code update2}, {@code locked} and {@code stolen}.
 *
 * <p>Everything is asynchronous; futures complete on the connection's event loop, and so do
 * listener calls: chain blocking work with the {@code …Async} variants.
 */
public final class OvsdbSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OvsdbSession.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** An open monitor: its id on the wire, its database and whom to tell. */
    public record Monitor(String id, String database, boolean conditional, Map<String, List<String>> columns,
            RowLookup current, UpdateListener listener) {
    }

    private final JsonRpcConnection connection;
    private final TransactionStats transactions;
    private final Map<String, CompletableFuture<DatabaseSchema>> schemas = new ConcurrentHashMap<>();
    private final Map<String, Monitor> monitors = new ConcurrentHashMap<>();
    private final AtomicLong monitorIds = new AtomicLong();
    private volatile LockListener lockListener = new LockListener() {
        @Override
        public void locked(String lock) {
        }

        @Override
        public void stolen(String lock) {
        }
    };

    OvsdbSession(JsonRpcConnection connection, TransactionStats transactions) {
        this.connection = connection;
        this.transactions = transactions;
    }

    /**
     * The handler to give the transport for connections that will become sessions; each
     * connection's notifications are routed to the session made for it with {@link #of}.
     */
    public static final class Router implements JsonRpcHandler {
        private final Map<JsonRpcConnection, OvsdbSession> sessions = new ConcurrentHashMap<>();
        private final TransactionStats transactions;

        public Router() {
            this(new TransactionStats());
        }

        /** A router whose sessions all count their transactions in {@code transactions}. */
        public Router(TransactionStats transactions) {
            this.transactions = transactions;
        }

        /** Makes the session of a connection this router handles. */
        public OvsdbSession of(JsonRpcConnection connection) {
            return sessions.computeIfAbsent(connection, c -> new OvsdbSession(c, transactions));
        }

        @Override
        public void onNotification(JsonRpcConnection connection, String method, JsonNode params) {
            OvsdbSession session = sessions.get(connection);
            if (session == null) {
                log.debug("{}: {} before the session was set up; ignored", connection.endpoint(),
                        PeerText.escape(method));
                return;
            }
            session.notification(method, params);
        }

        @Override
        public void onClose(JsonRpcConnection connection) {
            sessions.remove(connection);
        }
    }

    public JsonRpcConnection connection() {
        return connection;
    }

    public boolean isActive() {
        return connection.isActive();
    }

    /** The transactions of this session (and of the other sessions of its router, e.g. one client's). */
    public TransactionStats transactions() {
        return transactions;
    }

    public CompletableFuture<List<String>> listDbs() {
        return connection.call("list_dbs", JSON.arrayNode()).thenApply(result -> {
            List<String> names = new ArrayList<>();
            result.forEach(name -> names.add(name.asText()));
            return List.copyOf(names);
        });
    }

    /** The database's schema, fetched once per session. */
    public CompletableFuture<DatabaseSchema> schema(String database) {
        return schemas.computeIfAbsent(database, db -> {
            CompletableFuture<DatabaseSchema> schema = connection.call("get_schema", JSON.arrayNode().add(db))
                    .thenApply(DatabaseSchema::parse);
            schema.whenComplete((s, e) -> {
                if (e != null) {
                    schemas.remove(db);
                }
            });
            return schema;
        });
    }

    /**
     * Runs {@code operations} as one transaction. Every operation is checked against the
     * schema first: an unknown table or column or a value of the wrong type throws
     * {@link dev.switchboard.ovsdb.schema.OvsdbSchemaException} (at once when the schema is
     * already loaded, else through the future) and nothing is sent. A transaction OVSDB
     * refuses fails with {@link dev.switchboard.ovsdb.ops.OvsdbTransactionException}: none of
     * it was applied.
     */
    public CompletableFuture<List<OperationResult>> transact(String database, List<Operation> operations) {
        CompletableFuture<DatabaseSchema> schema = schema(database);
        if (schema.isDone() && !schema.isCompletedExceptionally()) {
            return send(schema.join(), operations);
        }
        return schema.thenCompose(s -> send(s, operations));
    }

    private CompletableFuture<List<OperationResult>> send(DatabaseSchema schema, List<Operation> operations) {
        return start(schema, operations).result();
    }

    private Transaction start(DatabaseSchema schema, List<Operation> operations) {
        ArrayNode params = TransactionCodec.encode(schema, operations);
        long sent = System.nanoTime();
        JsonRpcConnection.Call call = connection.start("transact", params);
        CompletableFuture<List<OperationResult>> result =
                call.result().thenApply(answer -> TransactionCodec.decode(schema, operations, answer));
        result.whenComplete((answer, failure) -> transactions.record(TransactionStats.outcomeOf(failure), System.nanoTime() - sent));
        return new Transaction(call, result);
    }

    /** A transaction under way, which can be cancelled while the server holds it (in a {@code wait}). */
    public final class Transaction {
        private final JsonRpcConnection.Call call;
        private final CompletableFuture<List<OperationResult>> result;

        private Transaction(JsonRpcConnection.Call call, CompletableFuture<List<OperationResult>> result) {
            this.call = call;
            this.result = result;
        }

        public CompletableFuture<List<OperationResult>> result() {
            return result;
        }

        /**
         * Sends RFC 7047's {@code cancel} for the transaction and stops waiting for it: the
         * result fails with a CancellationException at once. The RFC has the server answer
         * with the error "canceled" and apply nothing; ovsdb-server 3.1 was seen to ignore the
         * notification and keep holding a transaction blocked in a {@code wait} until its
         * condition, timeout or the connection's end, so do not count on the server side.
         */
        public void cancel() {
            connection.notify("cancel", JSON.arrayNode().add(call.id()));
            result.cancel(false);
            call.result().cancel(false);
        }

        public long id() {
            return call.id();
        }
    }

    /** As {@link #transact}, for a transaction that may have to be cancelled; the schema must be loaded. */
    public Transaction begin(String database, List<Operation> operations) {
        return start(schema(database).join(), operations);
    }

    public CompletableFuture<JsonNode> echo(JsonNode payload) {
        return connection.call("echo", JSON.arrayNode().add(payload));
    }

    /**
     * Starts a monitor. Prefers {@code monitor_cond} (row conditions, compact {@code update2}
     * diffs) and falls back to {@code monitor} on servers without it. The initial contents reach
     * {@code listener} as inserts before the future completes; every later committed change
     * follows in order.
     *
     * @param current the listener's copy of the rows, which diffs are applied to
     */
    public CompletableFuture<Monitor> monitor(String database, Map<String, MonitorRequest> tables,
            RowLookup current, UpdateListener listener) {
        return schema(database).thenCompose(schema -> monitor(schema, tables, current, listener, true));
    }

    /** A plain RFC 7047 {@code monitor} (full rows in {@code update}); conditions are refused. */
    public CompletableFuture<Monitor> monitorUnconditional(String database, Map<String, MonitorRequest> tables,
            RowLookup current, UpdateListener listener) {
        return schema(database).thenCompose(schema -> monitor(schema, tables, current, listener, false));
    }

    private CompletableFuture<Monitor> monitor(DatabaseSchema schema, Map<String, MonitorRequest> tables,
            RowLookup current, UpdateListener listener, boolean conditional) {
        String id = "sb-monitor-" + monitorIds.incrementAndGet();
        ObjectNode requests;
        Map<String, List<String>> columns = new java.util.HashMap<>();
        try {
            requests = requests(schema, tables, conditional);
            tables.forEach((name, request) -> columns.put(name, request.columns().isEmpty()
                    ? List.copyOf(schema.table(name).columns().keySet()) : request.columns()));
        } catch (OvsdbSchemaException e) {
            // The server's schema, not our request, is at fault: say so.
            throw new OvsdbSchemaException("its schema lacks what the monitor needs: " + e.getMessage(), e);
        }
        Monitor monitor = new Monitor(id, schema.name(), conditional, Map.copyOf(columns), current, listener);
        monitors.put(id, monitor);
        String method = conditional ? "monitor_cond" : "monitor";
        ArrayNode params = JSON.arrayNode().add(schema.name()).add(id).add(requests);
        return connection.call(method, params)
                .handle((initial, failure) -> {
                    if (failure == null) {
                        try {
                            deliver(monitor, schema, initial);
                        } catch (OvsdbSchemaException e) {
                            monitors.remove(id);
                            throw new OvsdbSchemaException("bad rows in its " + method + " reply: " + e.getMessage(), e);
                        }
                        return CompletableFuture.completedFuture(monitor);
                    }
                    monitors.remove(id);
                    if (conditional && isUnknownMethod(failure) && hasNoConditions(tables)) {
                        log.info("{}: no monitor_cond here; using monitor", connection.endpoint());
                        return monitor(schema, tables, current, listener, false);
                    }
                    return CompletableFuture.<Monitor>failedFuture(unwrap(failure));
                })
                .thenCompose(f -> f);
    }

    private static ObjectNode requests(DatabaseSchema schema, Map<String, MonitorRequest> tables, boolean conditional) {
        ObjectNode requests = JSON.objectNode();
        tables.forEach((name, request) -> {
            TableSchema table = schema.table(name);
            ObjectNode entry = JSON.objectNode();
            if (!request.columns().isEmpty()) {
                ArrayNode columns = entry.putArray("columns");
                for (String column : request.columns()) {
                    table.column(column);
                    columns.add(column);
                }
            }
            if (!request.where().isEmpty()) {
                if (!conditional) {
                    throw new IllegalArgumentException("row conditions need monitor_cond");
                }
                entry.set("where", TransactionCodec.encodeConditions(table, request.where()));
            }
            requests.set(name, JSON.arrayNode().add(entry));
        });
        return requests;
    }

    private static boolean hasNoConditions(Map<String, MonitorRequest> tables) {
        return tables.values().stream().map(MonitorRequest::where).allMatch(List::isEmpty);
    }

    public CompletableFuture<Void> monitorCancel(Monitor monitor) {
        return connection.call("monitor_cancel", JSON.arrayNode().add(monitor.id()))
                .thenRun(() -> monitors.remove(monitor.id()));
    }

    /**
     * Asks for a lock. Completes with true if granted now; otherwise the server queues the
     * request and {@link LockListener#locked} follows when it is granted.
     */
    public CompletableFuture<Boolean> lock(String lock) {
        return connection.call("lock", lockParams(lock)).thenApply(r -> r.path("locked").asBoolean());
    }

    /** Takes the lock from whoever holds it (they are told it was stolen). */
    public CompletableFuture<Boolean> steal(String lock) {
        return connection.call("steal", lockParams(lock)).thenApply(r -> r.path("locked").asBoolean());
    }

    public CompletableFuture<Void> unlock(String lock) {
        return connection.call("unlock", lockParams(lock)).thenRun(() -> {
        });
    }

    /** Lock names are RFC 7047 ids; the server answers anything else with a bare "syntax error". */
    private static ArrayNode lockParams(String lock) {
        if (!NamedUuid.isValidName(lock)) {
            throw new IllegalArgumentException("lock name '" + lock + "' is not an OVSDB id ([a-zA-Z_][a-zA-Z0-9_]*)");
        }
        return JSON.arrayNode().add(lock);
    }

    public void onLocks(LockListener listener) {
        lockListener = listener;
    }

    @Override
    public void close() {
        connection.close();
    }

    private void notification(String method, JsonNode params) {
        switch (method) {
            case "update", "update2" -> {
                Monitor monitor = monitors.get(params.path(0).asText());
                if (monitor == null) {
                    log.debug("{}: {} for unknown monitor {}", connection.endpoint(), method,
                            PeerText.escape(params.path(0)));
                    return;
                }
                DatabaseSchema schema = schemas.get(monitor.database()).join();
                try {
                    deliver(monitor, schema, params.path(1));
                } catch (RuntimeException e) {
                    // a lost update would leave every later diff applied to the wrong rows:
                    // drop the connection, and the reconnection reads everything afresh (as OVS's IDL does)
                    log.warn("{}: cannot apply an {} ({}); reconnecting to read the database again",
                            connection.endpoint(), method, PeerText.escape(e.toString()));
                    connection.close();
                }
            }
            case "locked" -> lockListener.locked(params.path(0).asText());
            case "stolen" -> lockListener.stolen(params.path(0).asText());
            default -> log.debug("{}: ignored notification {}", connection.endpoint(), PeerText.escape(method));
        }
    }

    private static void deliver(Monitor monitor, DatabaseSchema schema, JsonNode tableUpdates) {
        List<RowUpdate> updates = monitor.conditional()
                ? TableUpdates.parseUpdate2(schema, tableUpdates, monitor.current(), monitor.columns())
                : TableUpdates.parseUpdate(schema, tableUpdates, monitor.current());
        monitor.listener().update(updates);
    }

    private static boolean isUnknownMethod(Throwable failure) {
        return unwrap(failure) instanceof JsonRpcErrorException error && error.getMessage().contains("unknown method");
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
