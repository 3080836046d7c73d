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
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts switches. Each connection gets its own pipeline, codec before logic:
 * {@code idle -> frame (decodes too) -> encoder -> switch}, and lives on one event loop.
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
    private final List<Channel> listening = new ArrayList<>();

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

    /** Binds every listen address; on failure nothing stays bound. */
    public List<InetSocketAddress> start() throws InterruptedException {
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
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
                        if (limits.admit(channel)) {
                            configure(channel);
                        }
                    }
                });
        List<InetSocketAddress> bound = new ArrayList<>();
        try {
            for (InetSocketAddress address : config.listen()) {
                Channel channel = bootstrap.bind(address).sync().channel();
                listening.add(channel);
                bound.add((InetSocketAddress) channel.localAddress());
            }
        } catch (Exception e) {
            close();
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new UncheckedIOException("cannot listen for switches on " + config.listen() + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        log.info("OpenFlow listening on {} ({} transport, versions {})", bound, epoll ? "epoll" : "nio",
                config.versions().stream().sorted().toList());
        return bound;
    }

    private void configure(SocketChannel channel) {
        OutboundBudget budget = new OutboundBudget(channel, config.peerBufferBytes(), counters);
        SwitchChannelHandler handler = new SwitchChannelHandler(config, registry, pipeline, counters, limits, budget);
        counters.open.add(channel);
        channel.closeFuture().addListener(closed -> {
            counters.open.remove(channel);
            handler.leavePending();
        });
        ChannelPipeline stages = channel.pipeline();
        // idle first: it then sees each socket read once instead of every message in it
        stages.addLast("idle", new IdleStateHandler(config.echoInterval().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        stages.addLast("frame", new OpenFlowFrameDecoder(config.maxMessageBytes(), new OpenFlowMessageParser(counters),
                counters));
        stages.addLast("encoder", encoder);
        stages.addLast("switch", handler);
    }

    @Override
    public void close() {
        for (Channel channel : listening) {
            channel.close().syncUninterruptibly();
        }
        listening.clear();
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
