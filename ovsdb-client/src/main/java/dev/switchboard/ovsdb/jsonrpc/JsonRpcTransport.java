package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes OVSDB JSON-RPC connections: connects to {@code unix:}, {@code tcp:} and {@code ssl:}
 * endpoints and listens on {@code ptcp:} and {@code pssl:} ones. Owns the event loops its
 * connections run on: epoll when the native transport loads (unix sockets need it), NIO otherwise.
 *
 * <p>Each connection's pipeline, codec before logic:
 * {@code [tls ->] frame (FrameDecoder: JsonObjectDecoder, capped, budgeted) -> json (JsonRpcDecoder) -> encoder -> [idle ->] rpc}.
 *
 * <p>Bounded buffering: every channel has the write-buffer watermarks of {@link JsonRpcOptions};
 * the {@code rpc} stage stops reading while its channel is unwritable and closes one that stays
 * so for {@link JsonRpcOptions#unwritableTimeout()}. A listener holds at most
 * {@link JsonRpcOptions#maxConnections()} connections.
 *
 * <p>{@link #connect} never blocks; {@link #listen} and {@link #close} block briefly and must not
 * be called on one of this transport's event loops.
 */
public final class JsonRpcTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JsonRpcTransport.class);

    /** Event-loop threads when not given: OVSDB connections are few, but a huge monitor reply should not stall all. */
    public static final int DEFAULT_THREADS = 2;
    private static final long CLOSE_WAIT_SECONDS = 5;

    /** A socket that accepts OVSDB connections; see {@link #listen}. */
    public interface Listener extends AutoCloseable {
        /** The address bound, with the port chosen if the endpoint asked for port 0. */
        InetSocketAddress localAddress();

        /** The passive endpoint this listens on, as given. */
        Endpoint endpoint();

        /** Stops accepting and closes every connection this listener accepted. Idempotent. */
        @Override
        void close();
    }

    private final JsonRpcOptions options;
    private final ObjectMapper mapper;
    private final JsonRpcEncoder encoder;
    private final boolean epoll;
    private final EventLoopGroup group;
    private final ChannelGroup channels = new DefaultChannelGroup("ovsdb-jsonrpc", ImmediateEventExecutor.INSTANCE);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Bytes of unfinished messages held by all this transport's connections; see {@link FrameDecoder}. */
    private final AtomicLong inboundHeld = new AtomicLong();

    public JsonRpcTransport(JsonRpcOptions options) {
        this(options, DEFAULT_THREADS);
    }

    public JsonRpcTransport(JsonRpcOptions options, int threads) {
        this.options = Objects.requireNonNull(options, "options");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        this.mapper = newMapper(options);
        this.encoder = new JsonRpcEncoder(mapper);
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        // Daemon threads: a transport someone forgot to close must not keep the JVM alive.
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("ovsdb-jsonrpc", true), io);
        if (!epoll) {
            log.info("Native epoll unavailable ({}): OVSDB over tcp/ssl only, no unix sockets",
                    String.valueOf(Epoll.unavailabilityCause()));
        }
    }

    public JsonRpcOptions options() {
        return options;
    }

    /**
     * Connects to an active endpoint. The future completes, on the connection's event loop, once
     * the connection is ready (for {@code ssl:}, after the TLS handshake); it fails with an
     * {@link IOException} naming the endpoint if the connection cannot be made within
     * {@link JsonRpcOptions#callTimeout()}. Cancelling it abandons the attempt.
     *
     * @param handler receives the peer's notifications and requests
     * @throws IllegalArgumentException if the endpoint is passive, or needs TLS files the options lack
     */
    public CompletableFuture<JsonRpcConnection> connect(Endpoint endpoint, JsonRpcHandler handler) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(handler, "handler");
        if (endpoint.isPassive()) {
            throw new IllegalArgumentException(endpoint + " is passive: listen on it instead of connecting");
        }
        checkTls(endpoint);
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("cannot connect to " + endpoint
                    + ": the transport is closed"));
        }
        if (endpoint.kind() == Endpoint.Kind.UNIX && !epoll) {
            return CompletableFuture.failedFuture(new IOException("cannot connect to " + endpoint + ": unix sockets "
                    + "need Netty's native epoll transport, which is unavailable: " + Epoll.unavailabilityCause()));
        }
        SslContext tls;
        try {
            tls = endpoint.isTls() ? TlsContexts.client(options.tls()) : null;
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IOException("cannot connect to " + endpoint + ": "
                    + e.getMessage(), e));
        }

        CompletableFuture<JsonRpcConnection> ready = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(endpoint.kind() == Endpoint.Kind.UNIX ? EpollDomainSocketChannel.class
                        : epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        options.callTimeout().toMillis()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channels.add(channel);
                        SslHandler ssl = tls == null ? null
                                : tls.newHandler(channel.alloc(), endpoint.host(), endpoint.port());
                        configure(channel.pipeline(), endpoint, ssl, connection -> handler, ready);
                    }
                });
        SocketAddress address;
        if (endpoint.kind() == Endpoint.Kind.UNIX) {
            address = new DomainSocketAddress(endpoint.path().toFile());
        } else {
            bootstrap.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true);
            // Unresolved: Netty resolves the name when it connects, not this caller's thread.
            address = InetSocketAddress.createUnresolved(endpoint.host(), endpoint.port());
        }
        ChannelFuture connecting;
        try {
            connecting = bootstrap.connect(address);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("cannot connect to " + endpoint
                    + ": the transport is closed", e));
        }
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                ready.completeExceptionally(new IOException("cannot connect to " + endpoint + ": "
                        + done.cause().getMessage(), done.cause()));
            }
        });
        ready.whenComplete((connection, failure) -> {
            if (ready.isCancelled()) {
                connecting.channel().close();
            }
        });
        return ready;
    }

    /**
     * Listens on a passive endpoint. Each connection accepted gets its handler from
     * {@code onConnection}, called on the connection's event loop before any of its messages is
     * dispatched (for {@code pssl:}, after the TLS handshake). If it throws or returns null, that
     * connection is closed.
     *
     * @throws IllegalArgumentException if the endpoint is active, or needs TLS files the options lack
     * @throws UncheckedIOException     naming the endpoint if it cannot be bound or the TLS files not read
     * @throws IllegalStateException    if the transport is closed
     */
    public Listener listen(Endpoint endpoint, Function<JsonRpcConnection, JsonRpcHandler> onConnection) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(onConnection, "onConnection");
        if (!endpoint.isPassive()) {
            throw new IllegalArgumentException(endpoint + " is active: connect to it instead of listening");
        }
        checkTls(endpoint);
        if (closed.get()) {
            throw new IllegalStateException("cannot listen on " + endpoint + ": the transport is closed");
        }
        SslContext tls;
        try {
            tls = endpoint.isTls() ? TlsContexts.server(options.tls()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + endpoint + ": " + e.getMessage(), e);
        }
        ChannelGroup accepted = new DefaultChannelGroup("ovsdb-jsonrpc " + endpoint, ImmediateEventExecutor.INSTANCE);
        AtomicInteger held = new AtomicInteger();
        AtomicBoolean full = new AtomicBoolean();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (!admit(channel, endpoint, held, full)) {
                            return;
                        }
                        channels.add(channel);
                        accepted.add(channel);
                        SslHandler ssl = tls == null ? null : tls.newHandler(channel.alloc());
                        configure(channel.pipeline(), endpoint, ssl, onConnection, new CompletableFuture<>());
                    }
                });
        ChannelFuture bind = bootstrap.bind(endpoint.bindAddress()).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            Throwable cause = bind.cause();
            throw new UncheckedIOException(new IOException("cannot listen on " + endpoint + ": " + cause.getMessage(),
                    cause));
        }
        Channel server = bind.channel();
        channels.add(server);
        InetSocketAddress local = (InetSocketAddress) server.localAddress();
        log.info("OVSDB listening on {} ({})", endpoint, local);
        return new ServerListener(endpoint, server, accepted, local);
    }

    /**
     * Closes every connection and listener, then stops the event loops (waiting a few seconds for
     * them). Connections' handlers get {@link JsonRpcHandler#onClose}. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean wait = !onEventLoop();
        var closing = channels.close();
        if (wait) {
            closing.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        var stopping = group.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        if (wait) {
            stopping.awaitUninterruptibly(2 * CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    // ---- package-private, for the reconnecting client and tests ----

    EventLoopGroup group() {
        return group;
    }

    static ObjectMapper newMapper(JsonRpcOptions options) {
        // Strings and documents as large as a message may be: the frame cap is the only limit we want.
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxStringLength(options.maxMessageBytes())
                .maxDocumentLength(options.maxMessageBytes())
                .build();
        return new ObjectMapper(JsonFactory.builder().streamReadConstraints(limits).build());
    }

    /** Adds the stages of a JSON-RPC connection, after the TLS stage if {@code ssl} is not null. */
    void configure(ChannelPipeline pipeline, Endpoint endpoint, SslHandler ssl,
                   Function<JsonRpcConnection, JsonRpcHandler> handlers, CompletableFuture<JsonRpcConnection> ready) {
        configure(pipeline, options, mapper, encoder, inboundHeld, endpoint, ssl, handlers, ready);
    }

    static void configure(ChannelPipeline pipeline, JsonRpcOptions options, ObjectMapper mapper, JsonRpcEncoder encoder,
                          Endpoint endpoint, SslHandler ssl, Function<JsonRpcConnection, JsonRpcHandler> handlers,
                          CompletableFuture<JsonRpcConnection> ready) {
        configure(pipeline, options, mapper, encoder, new AtomicLong(), endpoint, ssl, handlers, ready);
    }

    /** @param inboundHeld the counter of unfinished inbound bytes this connection shares with others */
    static void configure(ChannelPipeline pipeline, JsonRpcOptions options, ObjectMapper mapper, JsonRpcEncoder encoder,
                          AtomicLong inboundHeld, Endpoint endpoint, SslHandler ssl,
                          Function<JsonRpcConnection, JsonRpcHandler> handlers, CompletableFuture<JsonRpcConnection> ready) {
        if (ssl != null) {
            ssl.setHandshakeTimeoutMillis(options.callTimeout().toMillis());
            pipeline.addLast("tls", ssl);
        }
        pipeline.addLast("frame", new FrameDecoder(options.maxMessageBytes(), inboundHeld, options.inboundBudgetBytes()));
        pipeline.addLast("json", new JsonRpcDecoder(mapper));
        pipeline.addLast("encoder", encoder);
        if (options.keepalive()) {
            pipeline.addLast("idle", new IdleStateHandler(options.echoInterval().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        }
        pipeline.addLast("rpc", new JsonRpcChannelHandler(options, endpoint, ssl != null, handlers, ready));
    }

    private WriteBufferWaterMark waterMark() {
        return new WriteBufferWaterMark(options.writeBufferLowBytes(), options.writeBufferHighBytes());
    }

    /**
     * Counts an accepted connection against {@link JsonRpcOptions#maxConnections()}, or closes it
     * if the listener is full. The first refusal of a run of them is a WARN, the rest DEBUG, so a
     * connection flood cannot flood the log too.
     */
    private boolean admit(Channel channel, Endpoint endpoint, AtomicInteger held, AtomicBoolean full) {
        int now = held.incrementAndGet();
        if (now > options.maxConnections()) {
            held.decrementAndGet();
            if (full.compareAndSet(false, true)) {
                log.warn("OVSDB listener {} holds {} connections, its maximum (maxConnections); refusing {} and "
                        + "any more until one closes", endpoint, options.maxConnections(), channel.remoteAddress());
            } else {
                log.debug("OVSDB listener {} full; refused {}", endpoint, channel.remoteAddress());
            }
            channel.close();
            return false;
        }
        channel.closeFuture().addListener(closed -> {
            if (held.decrementAndGet() < options.maxConnections() && full.compareAndSet(true, false)) {
                log.info("OVSDB listener {} accepts connections again", endpoint);
            }
        });
        return true;
    }

    private void checkTls(Endpoint endpoint) {
        if (endpoint.isTls() && options.tls() == null) {
            throw new IllegalArgumentException(endpoint + " needs TLS files: set JsonRpcOptions.tls (key, "
                    + "certificate and CA certificate)");
        }
    }

    private boolean onEventLoop() {
        for (EventExecutor loop : group) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    private static final class ServerListener implements Listener {
        private final Endpoint endpoint;
        private final Channel server;
        private final ChannelGroup accepted;
        private final InetSocketAddress local;
        private final AtomicBoolean closed = new AtomicBoolean();

        ServerListener(Endpoint endpoint, Channel server, ChannelGroup accepted, InetSocketAddress local) {
            this.endpoint = endpoint;
            this.server = server;
            this.accepted = accepted;
            this.local = local;
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            ChannelFuture unbound = server.close();
            accepted.close();
            if (!server.eventLoop().inEventLoop()) {
                // So that the port is free once close returns.
                unbound.awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            log.info("OVSDB stopped listening on {}", endpoint);
        }

        @Override
        public String toString() {
            return "Listener[" + endpoint + " on " + local + "]";
        }
    }
}
