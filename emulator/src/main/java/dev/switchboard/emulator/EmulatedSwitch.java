package dev.switchboard.emulator;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process OpenFlow switch that connects to a controller over TCP, negotiates a version,
 * answers the handshake and the usual requests with canned replies, and records everything the
 * controller sends. Tests drive it from their own thread; the load generator runs many of them on
 * one event loop group.
 *
 * <p>Thread safety: every public method may be called from any thread except where noted. The
 * channel handler and {@linkplain #onMessage responders} run on the channel's event loop.
 */
public final class EmulatedSwitch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmulatedSwitch.class);
    private static final long CONNECT_TIMEOUT_MILLIS = 5_000;
    /**
     * Frames are cut on the header's 16-bit length (offset 2, counting the whole message), so no
     * frame can exceed this.
     */
    private static final int MAX_FRAME = 0xffff;

    private final EmulatedSwitchOptions options;
    /** Keyed by port number, ordered as unsigned so reserved ports (LOCAL…) sort last. */
    private final ConcurrentSkipListMap<Integer, OFPortDesc> ports =
            new ConcurrentSkipListMap<>(Comparator.comparing(Integer::intValue, Integer::compareUnsigned));
    private final Map<OFType, Function<OFMessage, List<OFMessage>>> responders =
            new ConcurrentHashMap<>();
    /** Guarded by itself: appended on the event loop, copied by test threads. */
    private final List<OFMessage> received = new ArrayList<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final DefaultAnswers answers;
    private volatile OFVersion negotiatedVersion;
    /** Set once in the channel initializer, before {@link #connect} returns. */
    private volatile Channel channel;
    /** Set before connecting, if at all; see {@link #withFrameHandler}. */
    private volatile ChannelHandler frameHandler;
    /** Set before connecting, if at all; see {@link #withTls}. */
    private volatile SslContext tls;
    /** The flows FLOW_MODs made; see {@link #withFlowTable}. */
    private volatile FlowTable flowTable = new FlowTable();
    /** The datapath's roles across its connections; see {@link #withRoles}. */
    private volatile ControllerRoles roles = new ControllerRoles();

    private EmulatedSwitch(EmulatedSwitchOptions options) {
        this.options = options;
        OFFactory f = OFFactories.getFactory(options.helloVersion());
        for (int i = 1; i <= options.portCount(); i++) {
            MacAddress mac = SwitchMessages.portMac(options.datapathId(), i);
            ports.put(i, SwitchMessages.portDesc(f, i, "eth" + i, mac));
        }
        this.answers = new DefaultAnswers(options, this::ports, () -> flowTable,
                (asked, generationId) -> roles.request(this, asked, generationId));
    }

    /**
     * Connects to {@code controller} and sends HELLO at once. Blocks up to 5 s for the TCP
     * connection, so it must not be called on one of {@code group}'s event loops.
     *
     * @param group an NIO group, e.g. {@code new MultiThreadIoEventLoopGroup(n,
     *     NioIoHandler.newFactory())}
     * @throws UncheckedIOException if the connection fails or times out
     */
    public static EmulatedSwitch connect(
            EventLoopGroup group, InetSocketAddress controller, EmulatedSwitchOptions options) {
        return prepare(options).connectTo(group, controller);
    }

    /**
     * A switch not yet connected, so that {@link #onMessage} answers can be set before the
     * controller's first request can arrive; then {@link #connectTo}.
     */
    public static EmulatedSwitch prepare(EmulatedSwitchOptions options) {
        return new EmulatedSwitch(Objects.requireNonNull(options, "options"));
    }

    /**
     * Puts {@code handler} into the pipeline between the frame decoder and the message decoder of
     * a {@linkplain #prepare prepared} switch: it sees every inbound frame as a {@code ByteBuf}
     * (one whole OpenFlow message) before it is decoded, and passes on ({@code
     * ctx.fireChannelRead}) those the emulator should decode, record and answer as usual; a frame
     * it keeps it must release. What it writes are raw bytes that bypass the encoder. The load
     * generator counts its replies here without decoding them. The handler runs on the channel's
     * event loop and belongs to this switch alone (it need not be sharable).
     *
     * @return this switch
     */
    public EmulatedSwitch withFrameHandler(ChannelHandler handler) {
        if (channel != null) {
            throw new IllegalStateException("a frame handler must be set before connecting");
        }
        this.frameHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Makes a {@linkplain #prepare prepared} switch speak OpenFlow over TLS ({@code ssl:} in OVS's
     * terms) with {@code clientContext}, which holds the certificate it presents and the CA it
     * trusts the controller by. The HELLO waits for the TLS handshake; a failed handshake closes
     * the connection ({@link #closeFuture}).
     *
     * @return this switch
     */
    public EmulatedSwitch withTls(SslContext clientContext) {
        if (channel != null) {
            throw new IllegalStateException("TLS must be set before connecting");
        }
        if (!clientContext.isClient()) {
            throw new IllegalArgumentException("a switch needs a client TLS context");
        }
        this.tls = clientContext;
        return this;
    }

    /**
     * Makes a {@linkplain #prepare prepared} switch keep its flows in {@code table}, e.g. the
     * table of an earlier connection, as a switch that keeps its flows across a controller
     * restart does. Without it each switch starts with an empty table of its own.
     *
     * @return this switch
     */
    public EmulatedSwitch withFlowTable(FlowTable table) {
        if (channel != null) {
            throw new IllegalStateException("a flow table must be set before connecting");
        }
        this.flowTable = Objects.requireNonNull(table, "table");
        return this;
    }

    /**
     * Makes a {@linkplain #prepare prepared} switch one connection of a datapath whose roles are
     * {@code shared}: give the switches that emulate one datapath connected to several
     * controllers the same {@link ControllerRoles}, and a MASTER on one turns the master on another
     * SLAVE, and generation ids are checked across them, as OVS does. Without it each switch keeps
     * its roles alone (still checked as OVS would).
     *
     * @return this switch
     */
    public EmulatedSwitch withRoles(ControllerRoles shared) {
        if (channel != null) {
            throw new IllegalStateException("roles must be set before connecting");
        }
        this.roles = Objects.requireNonNull(shared, "shared");
        return this;
    }

    /** The roles of this switch's datapath across its connections. */
    public ControllerRoles roles() {
        return roles;
    }

    /** This connection's role: {@code ROLE_EQUAL} until the controller asked for another. */
    public OFControllerRole role() {
        return roles.role(this);
    }

    /** The switch's flow table: what the controller's FLOW_MODs left in it. */
    public FlowTable flowTable() {
        return flowTable;
    }

    /** Connects a {@linkplain #prepare prepared} switch; as {@link #connect}, over NIO. */
    public EmulatedSwitch connectTo(EventLoopGroup group, InetSocketAddress controller) {
        return connectTo(group, NioSocketChannel.class, controller);
    }

    /**
     * Connects a {@linkplain #prepare prepared} switch with a channel type that matches {@code
     * group}'s transport, e.g. {@code EpollSocketChannel.class} for a group of {@code
     * EpollIoHandler}s; otherwise as {@link #connect}.
     */
    public EmulatedSwitch connectTo(
            EventLoopGroup group,
            Class<? extends SocketChannel> channelType,
            InetSocketAddress controller) {
        if (channel != null) {
            throw new IllegalStateException("already connected");
        }
        EmulatedSwitch sw = this;
        Bootstrap bootstrap =
                new Bootstrap()
                        .group(group)
                        .channel(channelType)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT_MILLIS)
                        .handler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        sw.channel = ch;
                                        ch.closeFuture().addListener(f -> {
                                            sw.roles.left(sw);
                                            sw.closeFuture.complete(null);
                                        });
                                        SslContext secure = sw.tls;
                                        if (secure != null) {
                                            ch.pipeline().addLast("tls", secure.newHandler(ch.alloc(),
                                                    controller.getHostString(), controller.getPort()));
                                        }
                                        ch.pipeline()
                                                .addLast("frame", new LengthFieldBasedFrameDecoder(MAX_FRAME, 2, 2, -4, 0));
                                        ChannelHandler frames = sw.frameHandler;
                                        if (frames != null) {
                                            ch.pipeline().addLast("frames", frames);
                                        }
                                        ch.pipeline()
                                                .addLast("decoder", OFMessageDecoder.INSTANCE)
                                                .addLast("encoder", OFMessageEncoder.INSTANCE)
                                                .addLast("switch", sw.new Handler());
                                    }
                                });
        ChannelFuture connected = bootstrap.connect(controller);
        if (!connected.awaitUninterruptibly(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            connected.cancel(false);
            connected.channel().close();
            throw new UncheckedIOException(
                    new SocketTimeoutException("connect to " + controller + " timed out"));
        }
        if (!connected.isSuccess()) {
            Throwable cause = connected.cause();
            throw new UncheckedIOException(
                    cause instanceof IOException io
                            ? io
                            : new IOException("connect to " + controller + " failed", cause));
        }
        return sw;
    }

    /** The switch's end of the connection (the address the controller sees). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public DatapathId datapathId() {
        return options.datapathId();
    }

    public EmulatedSwitchOptions options() {
        return options;
    }

    /** The agreed version, or null until the controller's HELLO has arrived (or if none agreed). */
    public OFVersion negotiatedVersion() {
        return negotiatedVersion;
    }

    /** The factory of the negotiated version, or of {@code options.helloVersion()} before that. */
    public OFFactory factory() {
        OFVersion v = negotiatedVersion;
        return OFFactories.getFactory(v != null ? v : options.helloVersion());
    }

    /** The current ports in port-number order, in the negotiated version once known. */
    public List<OFPortDesc> ports() {
        return List.copyOf(ports.values());
    }

    public boolean isConnected() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    /** Completes when the channel closes, whichever side closed it. */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /** Writes and flushes; silently dropped if the channel is closed. */
    public void send(OFMessage m) {
        channel.writeAndFlush(m);
    }

    /** Writes arbitrary bytes as they are, e.g. a truncated or bogus message. */
    public void sendRaw(byte[] bytes) {
        channel.writeAndFlush(Unpooled.copiedBuffer(bytes));
    }

    /**
     * Sends an unbuffered table-miss PACKET_IN of {@code frame} from {@code inPort}, unless this
     * connection is SLAVE: as in OVS (and OpenFlow 1.3's default asynchronous configuration), a
     * slave gets no packet-ins.
     *
     * @return whether it was sent
     */
    public boolean sendPacketIn(OFPort inPort, byte[] frame) {
        if (role() == OFControllerRole.ROLE_SLAVE) {
            return false;
        }
        send(SwitchMessages.packetIn(factory(), inPort, frame));
        return true;
    }

    /** Sends PORT_STATUS and applies it to {@link #ports()}: DELETE removes, ADD/MODIFY put. */
    public void sendPortStatus(OFPortReason reason, OFPortDesc desc) {
        int number = desc.getPortNo().getPortNumber();
        if (reason == OFPortReason.DELETE) {
            ports.remove(number);
        } else {
            ports.put(number, desc);
        }
        send(factory().buildPortStatus().setReason(reason).setDesc(desc).build());
    }

    /** An up port with this switch's MAC scheme, built in the current {@link #factory()}. */
    public OFPortDesc portDesc(int portNumber, String name) {
        return SwitchMessages.portDesc(
                factory(), portNumber, name, SwitchMessages.portMac(options.datapathId(), portNumber));
    }

    /** Every message received from the controller so far, in arrival order (a snapshot). */
    public List<OFMessage> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The received messages of one type, in arrival order (a snapshot). */
    public <T extends OFMessage> List<T> received(Class<T> type) {
        synchronized (received) {
            return received.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /**
     * Forgets the received messages, so a long-running load generator does not keep them all. Not
     * part of the original brief; harmless for tests.
     */
    public void clearReceived() {
        synchronized (received) {
            received.clear();
        }
    }

    /**
     * Replaces the default answer for messages of {@code type}; the returned messages are sent in
     * order (an empty list or null sends nothing). Messages are recorded either way, and HELLO still
     * drives version negotiation. The responder runs on the event loop and must not block.
     */
    public void onMessage(OFType type, Function<OFMessage, List<OFMessage>> responder) {
        responders.put(Objects.requireNonNull(type), Objects.requireNonNull(responder));
    }

    /**
     * What the switch answers {@code request} when no responder is set, for a responder that
     * overrides only some messages of a type (e.g. flow stats among STATS_REQUESTs). On the event
     * loop only, as responders run.
     */
    public List<OFMessage> defaultAnswer(OFMessage request) {
        return answers.answer(request);
    }

    /** Closes the channel and, unless called on its event loop, waits up to 5 s for that. */
    @Override
    public void close() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        ch.close();
        if (ch.eventLoop().inEventLoop()) {
            return; // waiting here would block the very loop that completes the close
        }
        // Wait on closeFuture rather than the channel's: it completes in a listener, after the
        // channel's own future, and callers expect it done once close() returns.
        try {
            closeFuture.get(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{}: close did not complete: {}", this, e.toString());
        }
    }

    @Override
    public String toString() {
        return "EmulatedSwitch[" + options.datapathId() + ", " + channel + "]";
    }

    /** The wire version and bitmap of the HELLO this switch sends. */
    private int helloWireVersion() {
        int override = options.helloWireVersionOverride();
        return override != 0 ? override : options.helloVersion().wireVersion;
    }

    private OptionalLong helloBitmap() {
        int override = options.helloWireVersionOverride();
        boolean attach =
                options.sendVersionBitmap()
                        && (override != 0 || options.helloVersion().compareTo(OFVersion.OF_13) >= 0);
        return attach
                ? OptionalLong.of(Versions.bitmap(options.supportedVersions(), override))
                : OptionalLong.empty();
    }

    /** Per-channel logic; all of its work happens on the channel's event loop. */
    private final class Handler extends SimpleChannelInboundHandler<OFMessage> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (options.helloWireVersionOverride() != 0) {
                ctx.writeAndFlush(
                        Versions.rawHello(helloWireVersion(), factory().nextXid(), helloBitmap()));
            } else {
                ctx.writeAndFlush(
                        Versions.hello(
                                options.helloVersion(),
                                options.supportedVersions(),
                                helloBitmap().isPresent()));
            }
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, OFMessage msg) {
            // Recorded before answering, so whoever sees the reply also sees the request recorded.
            synchronized (received) {
                received.add(msg);
            }
            if (msg instanceof OFHello hello && !negotiate(ctx, hello)) {
                return;
            }
            List<OFMessage> replies;
            Function<OFMessage, List<OFMessage>> responder = responders.get(msg.getType());
            try {
                replies = responder != null ? responder.apply(msg) : answers.answer(msg);
            } catch (RuntimeException e) {
                log.error("{}: answering {} failed", EmulatedSwitch.this, msg, e);
                return;
            }
            if (replies != null && !replies.isEmpty()) {
                replies.forEach(ctx::write);
                ctx.flush();
            }
        }

        /** Records the agreed version; without one, sends HELLO_FAILED and closes, as the spec says. */
        private boolean negotiate(ChannelHandlerContext ctx, OFHello hello) {
            Optional<OFVersion> agreed =
                    Versions.negotiate(
                            helloWireVersion(), helloBitmap(), options.supportedVersions(), hello);
            if (agreed.isPresent()) {
                OFFactory f = OFFactories.getFactory(agreed.get());
                ports.replaceAll((n, p) -> SwitchMessages.convert(p, f)); // no-op for the same version
                negotiatedVersion = agreed.get();
                return true;
            }
            log.info("{}: no common version with controller HELLO {}", EmulatedSwitch.this, hello);
            OFFactory theirs = OFFactories.getFactory(hello.getVersion());
            ctx.writeAndFlush(
                            theirs.errorMsgs()
                                    .buildHelloFailedErrorMsg()
                                    .setXid(hello.getXid())
                                    .setCode(OFHelloFailedCode.INCOMPATIBLE)
                                    .setData(OFErrorCauseData.of(
                                            "no common version".getBytes(StandardCharsets.US_ASCII), hello.getVersion()))
                                    .build())
                    .addListener(ChannelFutureListener.CLOSE);
            return false;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("{}: closing after error: {}", EmulatedSwitch.this, cause.toString());
            ctx.close();
        }
    }
}
