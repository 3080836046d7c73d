package dev.switchboard.ovsdb.client;

import dev.switchboard.ovsdb.jsonrpc.ConnectionClosedException;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcConnection;
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
    }

    private final String name;
    private final Replica replica;
    private final CopyOnWriteArrayList<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final OvsdbSession.Router router = new OvsdbSession.Router();
    private final CompletableFuture<OvsdbClient> firstSync = new CompletableFuture<>();
    private volatile OvsdbSession session;
    private volatile DatabaseSchema schema;
    private volatile ReconnectingClient reconnecting;
    private volatile JsonRpcConnection accepted;

    private OvsdbClient(String name, Replica replica) {
        this.name = name;
        this.replica = replica;
    }

    /** Connects to {@code endpoint} (unix, tcp or ssl) and stays connected until closed. */
    public static OvsdbClient connect(JsonRpcTransport transport, Endpoint endpoint, Replica replica) {
        return connect(transport, endpoint, replica, new ConnectionListener() {
        });
    }

    /** As {@link #connect(JsonRpcTransport, Endpoint, Replica)}, with a listener that hears even the first synchronisation. */
    public static OvsdbClient connect(JsonRpcTransport transport, Endpoint endpoint, Replica replica,
            ConnectionListener listener) {
        OvsdbClient client = new OvsdbClient(endpoint.toString(), replica);
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
        return transport.listen(endpoint, connection -> {
            OvsdbClient client = new OvsdbClient(String.valueOf(connection.remoteAddress()), replicas.get());
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

    public Replica replica() {
        return replica;
    }

    public boolean isConnected() {
        OvsdbSession current = session;
        return current != null && current.isActive();
    }

    /** Completes when the replica first holds the server's contents. */
    public CompletableFuture<OvsdbClient> synchronised() {
        return firstSync;
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
        next.schema(replica.database())
                .thenCompose(s -> {
                    schema = s;
                    return next.monitor(replica.database(), replica.tables(), replica, replica);
                })
                .whenComplete((monitor, failure) -> {
                    if (failure != null) {
                        log.warn("{}: cannot replicate {}: {}", name, replica.database(), failure.toString());
                        connection.close();
                        return;
                    }
                    log.info("{}: replica of {} synchronised ({} tables)", name, replica.database(),
                            replica.tables().size());
                    firstSync.complete(this);
                    listeners.forEach(l -> l.synchronised(this));
                });
    }

    private void lost(JsonRpcConnection connection) {
        OvsdbSession current = session;
        if (current != null && current.connection() == connection) {
            session = null;
            listeners.forEach(l -> l.disconnected(this));
        }
    }

    /** Waits for the first synchronisation; for tools and tests. */
    public OvsdbClient awaitSynchronised(Duration timeout) {
        try {
            return firstSync.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
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
