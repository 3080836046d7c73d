package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON-RPC 1.0 connection with an OVSDB peer: we call the peer and it calls us, on the same
 * stream. Made by {@link JsonRpcTransport}; the peer's notifications and requests go to the
 * connection's {@link JsonRpcHandler}, and its {@code echo} requests are answered here.
 *
 * <p>Thread safety: every method may be called from any thread and does not block. The futures
 * of {@link #call} complete on the connection's event loop, so stages chained to them without an
 * executor run there too and must not block either (use the {@code …Async} variants for slow work).
 *
 * <p>Keepalive: when nothing has arrived for {@link JsonRpcOptions#echoInterval()}, the connection
 * sends an {@code echo} request; after {@link JsonRpcOptions#maxMissedEchoes()} such silent
 * intervals in a row it closes itself.
 */
public final class JsonRpcConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JsonRpcConnection.class);

    private final Channel channel;
    private final Endpoint endpoint;
    private final Duration callTimeout;
    private final String peer;
    private final PendingCalls pending;
    private final AtomicLong lastId = new AtomicLong();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Throwable closeCause;

    JsonRpcConnection(Channel channel, Endpoint endpoint, JsonRpcOptions options) {
        this.channel = channel;
        this.endpoint = endpoint;
        this.callTimeout = options.callTimeout();
        this.peer = endpoint.isPassive() ? channel.remoteAddress() + " on " + endpoint : endpoint.toString();
        this.pending = new PendingCalls(peer);
    }

    /** Calls {@code method} with the default timeout, {@link JsonRpcOptions#callTimeout()}. */
    public CompletableFuture<JsonNode> call(String method, JsonNode params) {
        return call(method, params, callTimeout);
    }

    /**
     * Sends a request and returns its {@code "result"}. The future fails with
     * {@link JsonRpcErrorException} if the peer answers with a non-null {@code "error"}, with
     * {@link TimeoutException} if it does not answer within {@code timeout} (the call is then
     * forgotten, not cancelled at the peer), and with {@link ConnectionClosedException} if the
     * connection closes first or already has. Cancelling the future forgets the call.
     *
     * @param params a JSON array (JSON-RPC 1.0 passes parameters by position), or null for none.
     *               It is serialized later, on the event loop: do not change it after this call
     * @throws IllegalArgumentException if {@code params} is not an array or {@code timeout} is not positive
     */
    public CompletableFuture<JsonNode> call(String method, JsonNode params, Duration timeout) {
        return start(method, params, timeout).result();
    }

    /** A call under way: its id on the wire (for a later {@code cancel}) and its result. */
    public record Call(long id, CompletableFuture<JsonNode> result) {
    }

    /** As {@link #call(String, JsonNode, Duration)}, and tells the call's id. */
    public Call start(String method, JsonNode params, Duration timeout) {
        Objects.requireNonNull(method, "method");
        ArrayNode array = paramsArray(method, params);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        long id = lastId.incrementAndGet();
        CompletableFuture<JsonNode> future = pending.register(id, method, timeout, channel.eventLoop());
        if (!future.isDone()) {
            channel.writeAndFlush(new JsonRpcMessage.Request(method, array, LongNode.valueOf(id))).addListener(written -> {
                if (!written.isSuccess()) {
                    pending.fail(id, sendFailure(method, written.cause()));
                }
            });
        }
        return new Call(id, future);
    }

    public Call start(String method, JsonNode params) {
        return start(method, params, callTimeout);
    }

    /**
     * Sends a notification ({@code "id": null}), which the peer does not answer. A failure to
     * send it after this returns is logged at debug.
     *
     * @param params a JSON array or null for none; do not change it after this call
     * @throws ConnectionClosedException if the connection is already closed
     */
    public void notify(String method, JsonNode params) {
        Objects.requireNonNull(method, "method");
        ArrayNode array = paramsArray(method, params);
        if (!channel.isActive()) {
            throw new ConnectionClosedException("cannot send " + method + " to " + peer + ": the connection is closed");
        }
        channel.writeAndFlush(new JsonRpcMessage.Notification(method, array)).addListener(written -> {
            if (!written.isSuccess()) {
                log.debug("Notification {} to {} was not sent: {}", method, peer, written.cause().toString());
            }
        });
    }

    /**
     * Bytes written to this connection and not yet handed to the socket: what the peer has not
     * read (yet). It stays near {@link JsonRpcOptions#writeBufferHighBytes()} at most, since we stop
     * reading from a peer once it is over, unless our own calls are bigger.
     */
    public long pendingOutboundBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Whether the connection is open. */
    public boolean isActive() {
        return channel.isActive() && !closed.isDone();
    }

    /** The peer's address: an {@code InetSocketAddress}, or a domain socket address for {@code unix:}. */
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** Our end's address. */
    public SocketAddress localAddress() {
        return channel.localAddress();
    }

    /**
     * The endpoint this connection was made to, or, for a connection a {@link JsonRpcTransport.Listener}
     * accepted, the passive endpoint it came in on (see {@link #remoteAddress()} for the peer).
     */
    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Completes (normally) once the connection has closed, its pending calls have failed and its
     * handler's {@link JsonRpcHandler#onClose} has returned; on the event loop.
     */
    public CompletableFuture<Void> closeFuture() {
        return closed.copy();
    }

    /** Closes the connection; pending calls fail with {@link ConnectionClosedException}. Idempotent, does not wait. */
    @Override
    public void close() {
        if (closeRequested.compareAndSet(false, true)) {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "JsonRpcConnection[" + peer + "]";
    }

    // ---- for the channel handler and the reconnecting client, on the event loop ----

    /** The peer as failure and log messages name it: the endpoint, or the remote address and listener. */
    String peer() {
        return peer;
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    PendingCalls pending() {
        return pending;
    }

    boolean closeRequested() {
        return closeRequested.get();
    }

    /** Records why the connection is being closed (a protocol error, missed echoes); the first reason wins. */
    void closeCause(Throwable cause) {
        if (closeCause == null) {
            closeCause = cause;
        }
    }

    /** Why the connection closed, or null if it closed cleanly (by either side). */
    Throwable closeCause() {
        return closeCause;
    }

    void markClosed() {
        closed.complete(null);
    }

    private static ArrayNode paramsArray(String method, JsonNode params) {
        if (params == null) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (params instanceof ArrayNode array) {
            return array;
        }
        throw new IllegalArgumentException("params of " + method + " must be a JSON array (JSON-RPC 1.0 passes "
                + "them by position), got " + params.getNodeType());
    }

    private JsonRpcException sendFailure(String method, Throwable cause) {
        if (cause instanceof ClosedChannelException || !channel.isActive()) {
            return new ConnectionClosedException("cannot send " + method + " to " + peer
                    + ": the connection is closed", closeCause != null ? closeCause : cause);
        }
        return new JsonRpcException("cannot send " + method + " to " + peer + ": " + cause, cause);
    }
}
