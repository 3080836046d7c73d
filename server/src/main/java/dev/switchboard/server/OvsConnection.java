package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.ovsdb.client.OvsdbServerFault;
import dev.switchboard.ovsdb.client.OvsdbSession;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcConnection;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport;
import dev.switchboard.ovsdb.jsonrpc.PeerText;
import dev.switchboard.ovsdb.jsonrpc.TlsFiles;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The OVSDB connection of one {@code switchboard ovs} command, made the way {@code ovs-vsctl}
 * makes its: one attempt, no retrying. A target that refuses (or a socket file that is not
 * there) fails at once; one that does not answer fails after the timeout. Either way the
 * message names the target.
 *
 * <p>Opening first tries the target with a plain connection and asks it for its databases,
 * so that "nothing listens there" and "that server has no Open_vSwitch database" are told
 * apart from a slow server; then it connects the {@link OvsdbClient}, whose replica of the
 * Open_vSwitch tables the commands read, and waits until the replica is filled. A server whose
 * schema or monitor rows cannot be used, or that answers get_schema or monitor with an error,
 * fails at once with its fault in the message ({@link OvsdbServerFault}), not after retries.
 */
final class OvsConnection implements AutoCloseable {
    /** What {@code ovs-vsctl} connects to when not told otherwise. */
    static final String DEFAULT_TARGET = "unix:/var/run/openvswitch/db.sock";

    private final Endpoint endpoint;
    private final Duration timeout;
    private final JsonRpcTransport transport;
    private final OvsdbClient client;
    private final OpenVSwitch vswitch;

    private OvsConnection(Endpoint endpoint, Duration timeout, JsonRpcTransport transport, OvsdbClient client) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.transport = transport;
        this.client = client;
        this.vswitch = new OpenVSwitch(client);
    }

    /**
     * The target as an endpoint to connect to.
     *
     * @throws UserFacingException if it is not {@code unix:PATH}, {@code tcp:HOST[:PORT]} or
     *                             {@code ssl:HOST[:PORT]}
     */
    static Endpoint parseTarget(String target) {
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(target);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("--db: " + e.getMessage());
        }
        if (endpoint.isPassive()) {
            throw new UserFacingException("--db " + target + " would listen for ovsdb-server; give the target to "
                    + "connect to: unix:PATH, tcp:HOST[:PORT] or ssl:HOST[:PORT]");
        }
        return endpoint;
    }

    /**
     * Connects to {@code target} and waits until the replica holds the database.
     *
     * @param tls     the PEM files for an {@code ssl:} target, else null
     * @param timeout how long connecting and reading the database may take, and how long every
     *                later call may wait for an answer
     * @throws UserFacingException naming the target if it is malformed, unreachable, silent or
     *                             serves no Open_vSwitch database
     */
    static OvsConnection open(String target, TlsFiles tls, Duration timeout) {
        Endpoint endpoint = parseTarget(target);
        if (endpoint.isTls() && tls == null) {
            throw new UserFacingException(target + " needs --private-key, --certificate and --ca-cert");
        }
        JsonRpcOptions options = JsonRpcOptions.defaults().withCallTimeout(timeout);
        if (tls != null) {
            options = options.withTls(tls);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonRpcTransport transport = new JsonRpcTransport(options, 1);
        OvsdbClient client = null;
        try {
            probe(transport, endpoint, deadline, timeout);
            client = OvsdbClient.connect(transport, endpoint, OpenVSwitch.newReplica());
            try {
                client.awaitSynchronised(remaining(deadline));
            } catch (OvsdbServerFault e) {
                // Its schema or rows are wrong: no retry mends that, so say so now, in the server's words.
                throw new UserFacingException(e.getMessage(), e);
            } catch (IllegalStateException e) {
                throw new UserFacingException("connected to " + endpoint + " but could not read its "
                        + OpenVSwitch.DATABASE + " database within " + seconds(timeout)
                        + client.lastFailure().map(why -> " (last attempt: " + why + ")").orElse(""), e);
            }
            return new OvsConnection(endpoint, timeout, transport, client);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            transport.close();
            throw e;
        }
    }

    /** One connection that asks for the databases, then closes. */
    private static void probe(JsonRpcTransport transport, Endpoint endpoint, long deadline, Duration timeout) {
        if (endpoint.kind() == Endpoint.Kind.UNIX && !Files.exists(endpoint.path())) {
            // Netty reports this as a FileNotFoundException without a message.
            throw new UserFacingException("cannot connect to " + endpoint + ": no such socket (is ovsdb-server running, "
                    + "with --remote=punix:" + endpoint.path() + "?)");
        }
        OvsdbSession.Router router = new OvsdbSession.Router();
        CompletableFuture<JsonRpcConnection> connecting = transport.connect(endpoint, router);
        JsonRpcConnection connection = await(connecting, deadline,
                () -> "cannot connect to " + endpoint + ": no answer within " + seconds(timeout));
        try {
            List<String> databases = await(router.of(connection).listDbs(), deadline,
                    () -> endpoint + " accepted the connection but did not answer within " + seconds(timeout)
                            + " (is it an ovsdb-server?)");
            if (!databases.contains(OpenVSwitch.DATABASE)) {
                throw new UserFacingException(endpoint + " has no " + OpenVSwitch.DATABASE + " database (it has "
                        + (databases.isEmpty() ? "none" : PeerText.escape(String.join(", ", databases))) + ")");
            }
        } finally {
            connection.close();
        }
    }

    /** The future's value; its failure's message (which names the target) or {@code late} as the user's error. */
    private static <T> T await(CompletableFuture<T> future, long deadline, java.util.function.Supplier<String> late) {
        try {
            return future.get(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new UserFacingException(late.get(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) { // the call's own timeout, the same as ours
                throw new UserFacingException(late.get(), cause);
            }
            // The message may quote the server (a JSON-RPC error): escaped, it is the peer's text.
            throw new UserFacingException(PeerText.escape(cause.getMessage() != null ? cause.getMessage()
                    : cause.toString()), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted", e);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime()));
    }

    static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }

    /**
     * Sends a {@code transact} request with {@code params} as they are and returns the
     * server's result array as it is, errors included.
     *
     * @throws UserFacingException if the server does not answer within the timeout, answers
     *                             with a JSON-RPC error, or the connection is lost
     */
    JsonNode transact(ArrayNode params) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return await(client.session().connection().call("transact", params), deadline,
                () -> endpoint + " did not answer the transaction within " + seconds(timeout));
    }

    OvsdbClient client() {
        return client;
    }

    OpenVSwitch vswitch() {
        return vswitch;
    }

    @Override
    public void close() {
        client.close();
        transport.close();
    }
}
