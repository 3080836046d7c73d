package dev.switchboard.ovsdb.client;

import dev.switchboard.ovsdb.jsonrpc.ConnectionClosedException;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcConnection;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcErrorException;
import dev.switchboard.ovsdb.jsonrpc.PeerText;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport;
import dev.switchboard.ovsdb.jsonrpc.ReconnectingClient;
import dev.switchboard.ovsdb.ops.Operation;
import dev.switchboard.ovsdb.ops.OperationResult;
import dev.switchboard.ovsdb.schema.DatabaseSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of one {@code ovsdb-server} that keeps a {@link Replica} of chosen tables. In
 * active mode it connects to the server and reconnects with backoff when the connection is
 * lost; in passive mode the server connected to us ({@link #accept}) and the client ends with
 * that connection. After every (re)connection it fetches the schema, starts the monitor,
 * replaces the replica's contents and tells {@link ConnectionListener}s.
 */
public final class OvsdbClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OvsdbClient.class);

    /** Told when the client is synchronised with a server, and when it lost it. Event-loop thread. */
    public interface ConnectionListener {
        default void synchronised(OvsdbClient client) {
        }

        default void disconnected(OvsdbClient client) {
        }

        /**
         * The server's answers cannot be replicated (see {@link OvsdbServerFault}); an active
         * client still reconnects, with backoff, in case the server is mended.
         */
        default void failed(OvsdbClient client, OvsdbServerFault fault) {
        }
    }

    private final String name;
    private final Replica replica;
    private final CopyOnWriteArrayList<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final TransactionStats transactions = new TransactionStats();
    private final OvsdbSession.Router router = new OvsdbSession.Router(transactions);
    private final CompletableFuture<OvsdbClient> firstSync = new CompletableFuture<>();
    /** The first permanent fault, for {@link #awaitSynchronised}, which gives up at once on one. */
    private final CompletableFuture<OvsdbServerFault> firstFault = new CompletableFuture<>();
    /** Failures logged at WARN, so that each distinct cause is logged once, not at every retry. */
    private final FaultLog faultLog;
    /** The server as the fault log knows it: stable across reconnections (no client port). */
    private final String faultSource;
    private volatile OvsdbSession session;
    private volatile DatabaseSchema schema;
    private volatile ReconnectingClient reconnecting;
    /** Why the last replication attempt failed (escaped), or null if none did or the last succeeded. */
    private volatile String lastFailure;
    private volatile JsonRpcConnection accepted;

    private OvsdbClient(String name, Replica replica, FaultLog faultLog, String faultSource) {
        this.name = name;
        this.replica = replica;
        this.faultLog = faultLog;
        this.faultSource = faultSource;
    }

    /** Connects to {@code endpoint} (unix, tcp or ssl) and stays connected until closed. */
    public static OvsdbClient connect(JsonRpcTransport transport, Endpoint endpoint, Replica replica) {
        return connect(transport, endpoint, replica, new ConnectionListener() {
        });
    }

    /** As {@link #connect(JsonRpcTransport, Endpoint, Replica)}, with a listener that hears even the first synchronisation. */
    public static OvsdbClient connect(JsonRpcTransport transport, Endpoint endpoint, Replica replica,
            ConnectionListener listener) {
        OvsdbClient client = new OvsdbClient(endpoint.toString(), replica, new FaultLog(), endpoint.toString());
        client.listeners.add(listener);
        client.reconnecting = new ReconnectingClient(transport, endpoint, client.router, new ReconnectingClient.Listener() {
            @Override
            public void connected(JsonRpcConnection connection) {
                client.start(connection);
            }

            @Override
            public void disconnected(JsonRpcConnection connection, Throwable cause) {
                client.lost(connection);
            }
        });
        client.reconnecting.start();
        return client;
    }

    /**
     * Listens on a passive endpoint ({@code ptcp:} or {@code pssl:}); each server that
     * connects (after {@code ovs-vsctl set-manager tcp:OUR_IP:PORT}) becomes a client with its
     * own replica from {@code replicas}, handed to {@code onServer} once synchronised.
     */
    public static JsonRpcTransport.Listener accept(JsonRpcTransport transport, Endpoint endpoint,
            java.util.function.Supplier<Replica> replicas, Consumer<OvsdbClient> onServer) {
        FaultLog faults = new FaultLog();
        return transport.listen(endpoint, connection -> {
            String source = connection.remoteAddress() instanceof java.net.InetSocketAddress address
                    ? String.valueOf(address.getAddress()) : String.valueOf(connection.remoteAddress());
            OvsdbClient client = new OvsdbClient(String.valueOf(connection.remoteAddress()), replicas.get(), faults,
                    source);
            client.accepted = connection;
            client.firstSync.thenAccept(onServer);
            connection.closeFuture().whenComplete((v, e) -> client.lost(connection));
            client.start(connection);
            return client.router;
        });
    }

    public String name() {
        return name;
    }

    /**
     * For a server that connected to us (see {@link #accept}): the address of ours it reached, which is where it
     * can reach this process again (a controller on the same host, say). Empty for servers we connect to.
     */
    public java.util.Optional<java.net.InetSocketAddress> localAddress() {
        JsonRpcConnection connection = accepted;
        return connection != null && connection.localAddress() instanceof java.net.InetSocketAddress address
                ? java.util.Optional.of(address) : java.util.Optional.empty();
    }

    public Replica replica() {
        return replica;
    }

    /** The transactions sent to this server, across reconnections. */
    public TransactionStats transactions() {
        return transactions;
    }

    public boolean isConnected() {
        OvsdbSession current = session;
        return current != null && current.isActive();
    }

    /** Completes when the replica first holds the server's contents. */
    public CompletableFuture<OvsdbClient> synchronised() {
        return firstSync;
    }

    /**
     * Why the last attempt to replicate failed (a fault or a transient failure; escaped, naming
     * the server), if it did: for a tool that gives up waiting to say why.
     */
    public java.util.Optional<String> lastFailure() {
        return java.util.Optional.ofNullable(lastFailure);
    }

    /** The schema of the replicated database, once synchronised. */
    public DatabaseSchema schema() {
        DatabaseSchema known = schema;
        if (known == null) {
            throw new IllegalStateException(name + ": not synchronised yet");
        }
        return known;
    }

    public void addListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    /** The session of the current connection, or a failed state when there is none. */
    public OvsdbSession session() {
        OvsdbSession current = session;
        if (current == null || !current.isActive()) {
            throw new ConnectionClosedException(name + ": not connected");
        }
        return current;
    }

    /** One transaction on the replicated database; see {@link OvsdbSession#transact}. */
    public CompletableFuture<List<OperationResult>> transact(List<Operation> operations) {
        OvsdbSession current = session;
        if (current == null || !current.isActive()) {
            return CompletableFuture.failedFuture(new ConnectionClosedException(name + ": not connected"));
        }
        return current.transact(replica.database(), operations);
    }

    private void start(JsonRpcConnection connection) {
        OvsdbSession next = router.of(connection);
        session = next;
        replica.startResynchronising();
        CompletableFuture<DatabaseSchema> fetched = next.schema(replica.database());
        fetched.thenCompose(s -> {
                    schema = s;
                    return next.monitor(replica.database(), replica.tables(), replica, replica);
                })
                .whenComplete((monitor, failure) -> {
                    if (failure != null) {
                        failed(connection, fetched.isCompletedExceptionally() ? "get_schema" : "monitor", failure);
                        return;
                    }
                    faultLog.clear(faultSource);
                    lastFailure = null;
                    log.info("{}: replica of {} synchronised ({} tables)", name, replica.database(),
                            replica.tables().size());
                    firstSync.complete(this);
                    listeners.forEach(l -> l.synchronised(this));
                });
    }

    /**
     * Replication on {@code connection} failed in {@code step}: a permanent fault is told to the
     * listeners and ends {@link #awaitSynchronised}; either kind closes the connection (an active
     * client reconnects). Each distinct cause is logged once (a fault at WARN, a transient failure
     * at INFO), repeats at DEBUG.
     */
    private void failed(JsonRpcConnection connection, String step, Throwable failure) {
        Throwable cause = unwrap(failure);
        String text;
        OvsdbServerFault fault = null;
        if (isTransient(cause)) {
            text = name + ": cannot replicate " + replica.database() + " (" + step + "): "
                    + PeerText.escape(String.valueOf(cause.getMessage()));
        } else {
            fault = new OvsdbServerFault(name, replica.database(), describe(step, cause), cause);
            text = fault.getMessage();
        }
        lastFailure = text;
        // Call ids and a passive server's port differ between connections; the cause does not.
        String key = text.replace(name, "").replaceAll("\\(id \\d+\\)", "");
        String retrying = reconnecting != null ? "; retrying with backoff (logged once while it lasts)" : "";
        if (!faultLog.isNew(faultSource, key)) {
            log.debug("{} (again)", text);
        } else if (cause instanceof ConnectionClosedException) {
            // The connection's end was logged where it was seen (a WARN if we closed it for a cause).
            log.info("{}{}", text, retrying);
        } else {
            log.warn("{}{}", text, retrying);
        }
        connection.close();
        if (fault != null) {
            firstFault.complete(fault);
            OvsdbServerFault told = fault;
            listeners.forEach(l -> l.failed(this, told));
        }
    }

    private static String describe(String step, Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof JsonRpcErrorException) {
            return "the server answered " + step + " with an error: " + message;
        }
        if (step.equals("get_schema")) {
            return "its schema is invalid: " + message;
        }
        return message;
    }

    /** Failures after which another connection may well succeed: the connection, not the server's data, failed. */
    private static boolean isTransient(Throwable cause) {
        return cause instanceof ConnectionClosedException || cause instanceof java.util.concurrent.TimeoutException
                || cause instanceof java.io.IOException || cause instanceof java.util.concurrent.CancellationException
                || (cause instanceof dev.switchboard.ovsdb.jsonrpc.JsonRpcException
                        && !(cause instanceof JsonRpcErrorException));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private void lost(JsonRpcConnection connection) {
        OvsdbSession current = session;
        if (current != null && current.connection() == connection) {
            session = null;
            listeners.forEach(l -> l.disconnected(this));
        }
    }

    /**
     * Waits for the first synchronisation; for tools and tests.
     *
     * @throws OvsdbServerFault      at once if the server's answers cannot be replicated, before
     *                               any synchronisation
     * @throws IllegalStateException if not synchronised within {@code timeout}
     */
    public OvsdbClient awaitSynchronised(Duration timeout) {
        try {
            Object first = CompletableFuture.anyOf(firstSync, firstFault)
                    .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (first instanceof OvsdbServerFault fault && !firstSync.isDone()) {
                throw fault;
            }
            return firstSync.join();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(name + ": not synchronised within " + timeout, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(name + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (reconnecting != null) {
            reconnecting.close();
        }
        if (accepted != null) {
            accepted.close();
        }
        OvsdbSession current = session;
        if (current != null) {
            current.close();
        }
    }
}
