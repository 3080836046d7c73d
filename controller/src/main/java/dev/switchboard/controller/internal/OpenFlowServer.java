package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts switches. Each connection gets its own pipeline, codec before logic:
 * {@code [tls -> tls-watch ->] idle -> frame (decodes too) -> encoder -> handshake}, and lives on one
 * event loop. At READY the handshake stage replaces itself with the switch stage
 * ({@link HandshakeHandler}, {@link SwitchHandler}). TLS addresses ({@link ControllerConfig#tlsListen()}) get the two TLS stages.
 */
public final class OpenFlowServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpenFlowServer.class);

    private final ControllerConfig config;
    private final SwitchRegistry registry;
    private final PacketInPipeline pipeline;
    private final Counters counters;
    private final ConnectionLimits limits;
    private final OpenFlowMessageEncoder encoder = new OpenFlowMessageEncoder();
    private final boolean epoll;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    /** Bound server channels; changed by start, listenAlso and close (callers' threads, never an event loop). */
    private final List<Channel> listening = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The plain TCP bootstrap {@link #start} made, reused by {@link #listenAlso}; null before start. */
    private volatile ServerBootstrap plainBootstrap;

    public OpenFlowServer(ControllerConfig config, SwitchRegistry registry, PacketInPipeline pipeline, Counters counters) {
        this.config = config;
        this.registry = registry;
        this.pipeline = pipeline;
        this.counters = counters;
        this.limits = new ConnectionLimits(config, counters);
        this.epoll = config.useEpoll() && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.acceptors = new MultiThreadIoEventLoopGroup(1, io);
        this.workers = new MultiThreadIoEventLoopGroup(eventLoopThreads(config), io);
    }

    /**
     * One event loop per core unless configured: the loops never block, so a second loop on a
     * core only competes with the first. With Netty's default of two per core, a busy loop kept
     * the other one waiting for the scheduler's next tick (4 ms here): p99 round trips of 4 ms
     * against 0.2 ms with one loop on the same core (docs/benchmarks.md).
     */
    static int eventLoopThreads(ControllerConfig config) {
        return config.eventLoopThreads() > 0 ? config.eventLoopThreads() : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Binds every listen address, the TCP ones first, then the TLS ones; on failure nothing stays bound.
     *
     * @return the bound addresses in that order
     * @throws IllegalArgumentException if the TLS files cannot be read or do not fit together
     */
    public List<InetSocketAddress> start() throws InterruptedException {
        SslContext tls = null;
        if (!config.tlsListen().isEmpty()) {
            try {
                tls = TlsContexts.server(config.tls());
            } catch (IOException e) {
                close();
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        List<InetSocketAddress> bound = new ArrayList<>();
        try {
            ServerBootstrap plain = bootstrap(null);
            for (InetSocketAddress address : config.listen()) {
                bound.add(bind(plain, address));
            }
            plainBootstrap = plain;
            ServerBootstrap secure = bootstrap(tls);
            for (InetSocketAddress address : config.tlsListen()) {
                bound.add(bind(secure, address));
            }
        } catch (Exception e) {
            close();
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            List<InetSocketAddress> all = new ArrayList<>(config.listen());
            all.addAll(config.tlsListen());
            throw new UncheckedIOException("cannot listen for switches on " + all + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        List<InetSocketAddress> tcp = bound.subList(0, config.listen().size());
        List<InetSocketAddress> ssl = bound.subList(config.listen().size(), bound.size());
        log.info("OpenFlow listening on {} ({} transport, versions {})", describe(tcp, ssl), epoll ? "epoll" : "nio",
                config.versions().stream().sorted().toList());
        for (int i = 0; i < tcp.size(); i++) {
            InetAddress host = config.listen().get(i).getAddress();
            if (host == null || !host.isLoopbackAddress()) {
                log.warn("OpenFlow on tcp:{}:{} is unencrypted: anyone who can reach it can pose as a switch or read "
                        + "its traffic; listen with ssl: (openflow.tls) or on a loopback address",
                        host == null ? config.listen().get(i).getHostString() : host.getHostAddress(),
                        tcp.get(i).getPort());
            }
        }
        return bound;
    }

    /**
     * Listens for switches on one more plain TCP address after {@link #start}, with the same
     * pipeline as the configured ones, until {@link #close}. An address listened on already
     * (same address and port) is not bound twice. Blocks until bound: never call it on an event
     * loop. Synchronized with {@link #close} so a bind never follows the close; both run only on
     * callers' threads (REST workers, main, shutdown), never on an event loop, which both would
     * block anyway.
     *
     * @return the bound address
     * @throws UncheckedIOException if it cannot be bound
     * @throws IllegalStateException before start
     */
    public synchronized InetSocketAddress listenAlso(InetSocketAddress address) throws InterruptedException {
        ServerBootstrap plain = plainBootstrap;
        if (plain == null) {
            throw new IllegalStateException("the OpenFlow server has not started");
        }
        for (Channel channel : listening) {
            if (channel.localAddress().equals(address)) {
                return address;
            }
        }
        try {
            InetSocketAddress bound = bind(plain, address);
            log.info("OpenFlow also listening on tcp:{}:{}", bound.getHostString(), bound.getPort());
            return bound;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new UncheckedIOException("cannot listen for switches on " + address + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    private ServerBootstrap bootstrap(SslContext tls) {
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        return new ServerBootstrap()
                .group(acceptors, workers)
                .channel(channelType)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // the per-peer budget: past the high mark the channel is unwritable and reading stops
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()))
                // one socket read fills at most this much, which bounds what a paused peer leaves behind
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                        64, 2048, OpenFlowFrameDecoder.MAX_READ_BYTES))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (!limits.admit(channel)) {
                            return;
                        }
                        // counted as pending from here: leaving the count is tied to the channel's
                        // close at once, so a failure below (the TLS engine, say) cannot leak it
                        HandshakeHandler handshake = track(channel);
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(channel.alloc());
                            // The handshake stage's own timer also covers the TLS handshake; this one
                            // stops a peer that never finishes it from holding the engine's buffers.
                            ssl.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
                            channel.pipeline().addLast("tls", ssl);
                            channel.pipeline().addLast("tls-watch", new TlsHandshakeWatch());
                        }
                        configure(channel, handshake);
                    }
                });
    }

    private InetSocketAddress bind(ServerBootstrap bootstrap, InetSocketAddress address) throws InterruptedException {
        Channel channel = bootstrap.bind(address).sync().channel();
        listening.add(channel);
        return (InetSocketAddress) channel.localAddress();
    }

    /** As OVS writes targets: {@code tcp:HOST:PORT}, {@code ssl:HOST:PORT}. */
    private static List<String> describe(List<InetSocketAddress> tcp, List<InetSocketAddress> ssl) {
        List<String> all = new ArrayList<>();
        tcp.forEach(a -> all.add("tcp:" + a.getHostString() + ":" + a.getPort()));
        ssl.forEach(a -> all.add("ssl:" + a.getHostString() + ":" + a.getPort()));
        return all;
    }

    /**
     * The connection's first stage, counted open (and pending, by {@code limits.admit}) until the
     * channel closes; {@link ConnectionGuard#leavePending} leaves the pending count once,
     * whether at the handshake's end or at the close.
     */
    private HandshakeHandler track(SocketChannel channel) {
        OutboundBudget budget = new OutboundBudget(channel, config.peerBufferBytes(), counters);
        ConnectionGuard guard = new ConnectionGuard(channel, config, counters, budget);
        HandshakeHandler handshake = new HandshakeHandler(config, guard, registry, pipeline, counters, limits);
        counters.open.add(channel);
        channel.closeFuture().addListener(closed -> {
            counters.open.remove(channel);
            guard.leavePending();
        });
        return handshake;
    }

    /** The stages after TLS, the same for both transports, and the meter below them all. */
    private void configure(SocketChannel channel, HandshakeHandler handshake) {
        ChannelPipeline stages = channel.pipeline();
        stages.addFirst("meter", new OutboundMeter());
        // idle first: it then sees each socket read once instead of every message in it
        stages.addLast("idle", new IdleStateHandler(config.echoInterval().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        stages.addLast("frame", new OpenFlowFrameDecoder(config.maxMessageBytes(), new OpenFlowMessageParser(counters),
                counters));
        stages.addLast("encoder", encoder);
        stages.addLast(HandshakeHandler.NAME, handshake);
    }

    @Override
    public synchronized void close() {
        plainBootstrap = null;
        for (Channel channel : listening) {
            channel.close().syncUninterruptibly();
        }
        listening.clear();
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
