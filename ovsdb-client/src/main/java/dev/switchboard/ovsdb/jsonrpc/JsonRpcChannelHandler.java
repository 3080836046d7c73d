package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last pipeline stage: owns the {@link JsonRpcConnection} of its channel, dispatches the
 * peer's messages, answers {@code echo}, runs the keepalive and closes the channel on protocol
 * errors.
 *
 * <p>Lifecycle: the connection object exists from {@code channelActive}; it is <em>open</em>
 * (its {@link JsonRpcHandler} obtained, the ready future completed) at once on a plain stream, or
 * once the TLS handshake has succeeded. Only an open connection dispatches messages and gets
 * {@link JsonRpcHandler#onClose}. Every field is touched only on the channel's event loop.
 */
final class JsonRpcChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(JsonRpcConnection.class);
    /** How much of a decoder's message goes into a log line; Netty's may hold a hex dump of the input. */
    private static final int MAX_PROBLEM_CHARS = 200;
    private static final TextNode ECHO_ID = TextNode.valueOf("echo");

    private final JsonRpcOptions options;
    private final Endpoint endpoint;
    private final boolean tls;
    private final Function<JsonRpcConnection, JsonRpcHandler> handlers;
    private final CompletableFuture<JsonRpcConnection> ready;

    private JsonRpcConnection connection;
    private JsonRpcHandler handler;
    private boolean open;
    private boolean closing;
    private String closeReason;
    private int missedEchoes;
    /** Closes the channel if it stays unwritable without progress; set while it is unwritable. */
    private ScheduledFuture<?> unwritableTimer;
    /** Unsent bytes when the unwritable timer was last set: less at its end means the peer reads, slowly. */
    private long unsentAtTimer;

    /**
     * @param handlers gives the open connection its handler
     * @param ready    completed with the connection once open, or failed if it closes before
     */
    JsonRpcChannelHandler(JsonRpcOptions options, Endpoint endpoint, boolean tls,
                          Function<JsonRpcConnection, JsonRpcHandler> handlers,
                          CompletableFuture<JsonRpcConnection> ready) {
        this.options = options;
        this.endpoint = endpoint;
        this.tls = tls;
        this.handlers = handlers;
        this.ready = ready;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            activate(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        activate(ctx);
        ctx.fireChannelActive();
    }

    private void activate(ChannelHandlerContext ctx) {
        if (connection != null) {
            return;
        }
        connection = new JsonRpcConnection(ctx.channel(), endpoint, options);
        log.debug("OVSDB connection {} established{}", connection.peer(), tls ? ", TLS handshake next" : "");
        if (!tls) {
            open(ctx);
        }
    }

    private void open(ChannelHandlerContext ctx) {
        try {
            handler = Objects.requireNonNull(handlers.apply(connection), "the handler function returned null");
        } catch (RuntimeException e) {
            log.warn("Closing OVSDB connection {}: no handler for it: {}", connection.peer(),
                    PeerText.escape(e.toString()));
            closeWith(ctx, "no handler", e);
            return;
        }
        open = true;
        if (!ready.complete(connection)) {
            // The caller gave up on this connect (cancelled its future): nobody will use the connection.
            open = false;
            closeWith(ctx, "connect cancelled", null);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        missedEchoes = 0;
        if (!(msg instanceof JsonRpcMessage message) || closing || !open) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (message instanceof JsonRpcMessage.Response response) {
            onResponse(response);
        } else if (message instanceof JsonRpcMessage.Request request) {
            onRequest(ctx, request);
        } else if (message instanceof JsonRpcMessage.Notification notification) {
            log.trace("{} notified {}", connection.peer(), PeerText.escape(notification.method()));
            try {
                handler.onNotification(connection, notification.method(), notification.params());
            } catch (RuntimeException e) {
                log.warn("Handler of OVSDB connection {} failed on notification {}", connection.peer(),
                        PeerText.escape(notification.method()), e);
            }
        }
    }

    private void onResponse(JsonRpcMessage.Response response) {
        if (connection.pending().complete(response.id(), response.result(), response.error())) {
            return;
        }
        if (ECHO_ID.equals(response.id())) {
            return; // The answer to our keepalive: its arrival is all that counts.
        }
        log.debug("{} answered unknown call id {} (timed out or cancelled?); ignored", connection.peer(),
                PeerText.escape(response.id()));
    }

    private void onRequest(ChannelHandlerContext ctx, JsonRpcMessage.Request request) {
        log.trace("{} called {}", connection.peer(), PeerText.escape(request.method()));
        JsonRpcMessage.Response response;
        if (request.method().equals("echo")) {
            response = new JsonRpcMessage.Response(request.id(), request.params(), null);
        } else {
            try {
                JsonNode result = handler.onRequest(connection, request.method(), request.params());
                response = new JsonRpcMessage.Response(request.id(), result == null ? NullNode.getInstance() : result,
                        null);
            } catch (JsonRpcErrorException e) {
                response = new JsonRpcMessage.Response(request.id(), NullNode.getInstance(), e.error());
            } catch (JsonRpcException e) {
                response = new JsonRpcMessage.Response(request.id(), NullNode.getInstance(),
                        TextNode.valueOf(String.valueOf(e.getMessage())));
            } catch (RuntimeException e) {
                log.warn("Handler of OVSDB connection {} failed on request {}", connection.peer(),
                        PeerText.escape(request.method()), e);
                response = new JsonRpcMessage.Response(request.id(), NullNode.getInstance(),
                        TextNode.valueOf("internal error"));
            }
        }
        ctx.writeAndFlush(response);
        long unsent = connection.pendingOutboundBytes();
        if (unsent > options.peerMemoryBytes() && !closing) {
            // Reading stops at the high watermark, but the requests of one read still get answers:
            // a peer whose requests ask for more than its budget (huge echoes) is cut off here.
            String why = "its requests have us hold " + unsent + " bytes of answers it has not read, over its "
                    + "budget of " + options.peerMemoryBytes() + " (peerMemoryBytes)";
            log.warn("Closing OVSDB connection {}: {}", connection.peer(), why);
            closeWith(ctx, why, new IOException(why));
        }
    }

    /**
     * Back-pressure: while our unsent bytes to the peer are over the high watermark, read nothing
     * more from it, so that its requests cannot make us queue answers without limit; resume below
     * the low watermark. A peer that keeps us unwritable and reads nothing of what we sent for
     * {@link JsonRpcOptions#unwritableTimeout()} is disconnected (one that reads, however slowly,
     * gets another period).
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        if (writable) {
            cancelUnwritableTimer();
            log.trace("OVSDB connection {} writable again; reading resumed", peer(ctx));
        } else if (unwritableTimer == null && !closing) {
            log.debug("OVSDB connection {} unwritable ({} bytes unsent); reading paused", peer(ctx),
                    ctx.channel().bytesBeforeWritable());
            scheduleUnwritableTimer(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void scheduleUnwritableTimer(ChannelHandlerContext ctx) {
        unsentAtTimer = unsent(ctx);
        unwritableTimer = ctx.executor().schedule(() -> unwritableTooLong(ctx),
                options.unwritableTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private long unsent(ChannelHandlerContext ctx) {
        return connection != null ? connection.pendingOutboundBytes() : ctx.channel().bytesBeforeWritable();
    }

    private void unwritableTooLong(ChannelHandlerContext ctx) {
        unwritableTimer = null;
        if (closing || ctx.channel().isWritable()) {
            return;
        }
        long unsent = unsent(ctx);
        if (unsent < unsentAtTimer) {
            scheduleUnwritableTimer(ctx); // it read some: slow, not stuck
            return;
        }
        String why = "the peer has read nothing we sent for " + PendingCalls.readable(options.unwritableTimeout())
                + " (" + unsent + " bytes unsent; unwritableTimeout)";
        log.warn("Closing OVSDB connection {}: {}", peer(ctx), why);
        closeWith(ctx, why, new TimeoutException(why));
    }

    private void cancelUnwritableTimer() {
        if (unwritableTimer != null) {
            unwritableTimer.cancel(false);
            unwritableTimer = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                log.debug("OVSDB connection {}: TLS handshake done", connection.peer());
                open(ctx);
            } else {
                tlsFailed(ctx, handshake.cause());
            }
        } else if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            keepalive(ctx);
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Called after each {@link JsonRpcOptions#echoInterval()} with nothing received. */
    private void keepalive(ChannelHandlerContext ctx) {
        if (closing) {
            return;
        }
        if (!ctx.channel().isWritable()) {
            return; // we are not reading, so silence proves nothing: the unwritable timer is in charge
        }
        if (missedEchoes >= options.maxMissedEchoes()) {
            String why = "nothing received for " + PendingCalls.readable(
                    options.echoInterval().multipliedBy(missedEchoes + 1L)) + ", " + missedEchoes
                    + " echo requests unanswered";
            log.warn("Closing OVSDB connection {}: {}", peer(ctx), why);
            closeWith(ctx, why, new TimeoutException(why));
            return;
        }
        missedEchoes++;
        if (open) {
            ctx.writeAndFlush(new JsonRpcMessage.Request("echo", JsonNodeFactory.instance.arrayNode(), ECHO_ID));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing) {
            log.debug("OVSDB connection {} closing; ignored: {}", peer(ctx), cause.toString());
            return;
        }
        Throwable ssl = sslCause(cause);
        if (ssl != null) {
            tlsFailed(ctx, ssl);
        } else if (cause instanceof DecoderException) {
            String problem = describe(cause);
            log.warn("Closing OVSDB connection {}: {}", peer(ctx), problem);
            closeWith(ctx, problem, cause);
        } else if (cause instanceof IOException) {
            // Resets and broken pipes are how connections end; whoever watches the connection reports it.
            log.debug("OVSDB connection {} failed: {}", peer(ctx), cause.toString());
            closeWith(ctx, String.valueOf(cause.getMessage()), cause);
        } else {
            log.warn("Closing OVSDB connection {} after an unexpected error: {}", peer(ctx),
                    PeerText.escape(cause.toString()));
            log.debug("The unexpected error's trace", cause);
            closeWith(ctx, cause.toString(), cause);
        }
    }

    private void tlsFailed(ChannelHandlerContext ctx, Throwable cause) {
        if (closing) {
            return;
        }
        String why = "TLS " + (open ? "failed" : "handshake failed") + ": " + PeerText.escape(rootMessage(cause));
        if (endpoint.isPassive()) {
            log.warn("Closing OVSDB connection {}: {}", peer(ctx), why);
        } else {
            // The connect future fails with this; the caller (or ReconnectingClient) reports it.
            log.debug("Closing OVSDB connection {}: {}", peer(ctx), why);
        }
        closeWith(ctx, why, cause);
    }

    private void closeWith(ChannelHandlerContext ctx, String why, Throwable cause) {
        closing = true;
        if (closeReason == null) {
            closeReason = why;
        }
        if (connection != null && cause != null) {
            connection.closeCause(cause);
        }
        if (!open) {
            ready.completeExceptionally(new IOException("connection to " + endpoint + " failed: " + why, cause));
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        cancelUnwritableTimer();
        if (connection != null) {
            String because = closeReason != null ? closeReason
                    : connection.closeRequested() ? "closed locally" : "closed by the peer";
            log.debug("OVSDB connection {} closed: {}", connection.peer(), because);
            connection.pending().closeAll(because, connection.closeCause());
            if (open) {
                try {
                    handler.onClose(connection);
                } catch (RuntimeException e) {
                    log.warn("Handler of OVSDB connection {} failed on close", connection.peer(), e);
                }
            }
            connection.markClosed();
        }
        if (!open) {
            ready.completeExceptionally(new IOException("connection to " + endpoint + " closed before it was ready"
                    + (closeReason == null ? "" : ": " + closeReason)));
        }
        ctx.fireChannelInactive();
    }

    private String peer(ChannelHandlerContext ctx) {
        return connection != null ? connection.peer() : ctx.channel().remoteAddress() + " (" + endpoint + ")";
    }

    private String describe(Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            return "message longer than " + options.maxMessageBytes() + " bytes (raise JsonRpcOptions.maxMessageBytes "
                    + "if the database really is this large)";
        }
        String message = String.valueOf(cause.getMessage());
        if (message.startsWith("invalid JSON received")) {
            // JsonObjectDecoder's words for a byte outside any JSON object; its message dumps the input.
            return "malformed JSON: a message must start with '{'";
        }
        // Jackson's messages quote the offending characters, which the peer chose.
        return PeerText.escape(message, MAX_PROBLEM_CHARS);
    }

    private static Throwable sslCause(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return t;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
