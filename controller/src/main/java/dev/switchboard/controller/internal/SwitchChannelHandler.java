package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.PeerText;
import dev.switchboard.controller.SwitchDescription;
import dev.switchboard.controller.SwitchError;
import dev.switchboard.controller.SwitchFeatures;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFConfigFlags;
import org.projectfloodlight.openflow.protocol.OFDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFErrorType;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per connection: runs the handshake as the explicit states of {@link HandshakeState},
 * then hands the ready switch's messages to the pending requests, the packet-in pipeline
 * and the listeners.
 *
 * <p>Every field is touched only on the channel's event loop, except {@link #inReadBurst},
 * which other threads read only through {@link #isInReadBurst()} (false off the loop).
 *
 * <p>Bounded buffering: the frame decoder stops reading while the channel is unwritable;
 * this handler closes a connection that stays unwritable for {@code maxUnwritable}, and
 * refuses writes that would make more than {@code peerBufferBytes} wait for the peer.
 */
final class SwitchChannelHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(SwitchChannelHandler.class);

    /** Marks the controller's own flows (the table-miss flow) in {@code ovs-ofctl dump-flows}. */
    static final U64 CORE_COOKIE = U64.of(0x5342_0000_0000_0000L);
    private static final int NO_BUFFER = 0xffff;
    /**
     * Before a peer finishes the handshake it is not trusted: what it may make us keep is
     * capped (OVS bridges carry at most 65280 ports; a real switch stays far below this).
     */
    static final int MAX_HANDSHAKE_PORTS = 4096;

    private final ControllerConfig config;
    private final SwitchRegistry registry;
    private final PacketInPipeline pipeline;
    private final Counters counters;
    private final ConnectionLimits limits;
    private final OutboundBudget budget;

    private ChannelHandlerContext ctx;
    private HandshakeState state = HandshakeState.WAIT_HELLO;
    private OFFactory factory;
    private long awaitedXid;
    private long setConfigXid = -1;
    private long tableMissXid = -1;
    private OFFeaturesReply features;
    private final List<OFPortDesc> handshakePorts = new ArrayList<>();
    /** The latest status of each port that changed during the handshake, in arrival order. */
    private final Map<OFPort, OFPortStatus> portStatusDuringHandshake = new LinkedHashMap<>();
    private SwitchDescription description = SwitchDescription.UNKNOWN;
    private ScheduledFuture<?> handshakeTimer;
    private SwitchConnection connection;
    private int unansweredEchoes;
    private boolean inReadBurst;
    private boolean closing;
    /** Counted in {@code Counters.pending} until the handshake completes or the connection closes. */
    private boolean pending = true;
    /** Runs when the channel has been unwritable for {@code maxUnwritable}; null while writable. */
    private ScheduledFuture<?> unwritableTimer;
    /** What the peer had taken (see {@link OutboundMeter}) when the timer was armed. */
    private long takenWhenArmed;
    /** What waited when the timer was armed; the measure of progress when there is no meter. */
    private long waitingWhenArmed;
    /** The stage below TLS that counts what the peer takes; null if the pipeline has none. */
    private OutboundMeter meter;
    /** Tells the wire length of each message; null if the pipeline has none. */
    private OpenFlowFrameDecoder decoder;
    /** What the event loop wrote during the current read burst; created once the channel is active. */
    private OutboundBatch batch;

    SwitchChannelHandler(ControllerConfig config, SwitchRegistry registry, PacketInPipeline pipeline, Counters counters,
            ConnectionLimits limits, OutboundBudget budget) {
        this.config = config;
        this.registry = registry;
        this.pipeline = pipeline;
        this.counters = counters;
        this.limits = limits;
        this.budget = budget;
        this.factory = OFFactories.getFactory(config.highestVersion());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        meter = ctx.pipeline().get(OutboundMeter.class);
        decoder = ctx.pipeline().get(OpenFlowFrameDecoder.class);
    }

    /** The wire length of the message being handled; the largest allowed if it is not known. */
    private int frameBytes() {
        return decoder != null ? decoder.lastFrameBytes() : config.maxMessageBytes();
    }

    boolean isInReadBurst() {
        return ctx != null && ctx.executor().inEventLoop() && inReadBurst;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.batch = new OutboundBatch(ctx.alloc());
        ctx.writeAndFlush(VersionNegotiation.hello(config.versions()));
        handshakeTimer = ctx.executor().schedule(this::handshakeTimedOut,
                config.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        log.debug("{}: connected, HELLO sent", remote());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inReadBurst = true;
        unansweredEchoes = 0;
        OFMessage message = (OFMessage) msg;
        if (closing) {
            return;
        }
        if (state != HandshakeState.WAIT_HELLO && message.getVersion() != factory.getVersion()) {
            closeForBadInput("sent a message of " + message.getVersion() + " on a connection that negotiated "
                    + factory.getVersion());
            return;
        }
        if (message instanceof OFEchoRequest echo) {
            releaseBatch();
            ctx.write(OFFactories.getFactory(echo.getVersion()).buildEchoReply()
                    .setXid(echo.getXid()).setData(echo.getData()).build());
            return;
        }
        switch (state) {
            case WAIT_HELLO -> onHello(message);
            case WAIT_FEATURES_REPLY -> onFeaturesReply(message);
            case WAIT_PORT_DESC -> onPortDesc(message);
            case WAIT_DESC -> onDesc(message);
            case WAIT_BARRIER -> onBarrier(message);
            case READY -> dispatch(message);
            case CLOSED -> {
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadBurst = false;
        releaseBatch();
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    /**
     * On the event loop during a read burst: encodes {@code message} into the burst's batch,
     * which goes out with the flush at the burst's end (or earlier, when it grew large). A
     * message openflowj cannot encode is logged and dropped, as the encoder stage would.
     */
    void writeInBurst(OFMessage message) {
        if (!budget.admit(batch.size())) {
            return;
        }
        try {
            if (batch.add(message)) {
                releaseBatch();
            }
        } catch (RuntimeException e) {
            log.warn("{}: dropped a message that cannot be encoded: {}", remote(), e.toString());
        }
    }

    /** What waits for this peer, and the door to more. */
    OutboundBudget budget() {
        return budget;
    }

    /**
     * Hands the batched messages to the pipeline (not flushed). Called before any write that
     * does not go through the batch, so messages leave in the order they were written.
     */
    void releaseBatch() {
        ByteBuf encoded = batch == null ? null : batch.take();
        if (encoded != null) {
            ctx.write(encoded, ctx.voidPromise());
        }
    }

    // ---- handshake

    private void onHello(OFMessage message) {
        if (!(message instanceof OFHello hello)) {
            closeForBadInput("sent " + message.getType() + " before HELLO");
            return;
        }
        Optional<OFVersion> version = VersionNegotiation.negotiate(config.versions(), hello);
        if (version.isEmpty()) {
            refuseHello(hello);
            return;
        }
        factory = OFFactories.getFactory(version.get());
        enter(HandshakeState.WAIT_FEATURES_REPLY, factory.buildFeaturesRequest().build());
    }

    private void refuseHello(OFHello hello) {
        String reason = "no common OpenFlow version: switch offers " + VersionNegotiation.versionsIn(hello)
                + ", controller offers " + config.versions().stream().sorted().toList();
        OFFactory theirs = OFFactories.getFactory(hello.getVersion());
        OFErrorMsg refusal = theirs.errorMsgs().buildHelloFailedErrorMsg()
                .setXid(hello.getXid())
                .setCode(OFHelloFailedCode.INCOMPATIBLE)
                .setData(OFErrorCauseData.of(reason.getBytes(StandardCharsets.US_ASCII), hello.getVersion()))
                .build();
        log.warn("{}: closing: {}", remote(), reason);
        closing = true;
        ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
    }

    private void onFeaturesReply(OFMessage message) {
        if (!(message instanceof OFFeaturesReply reply)) {
            unexpectedDuringHandshake(message);
            return;
        }
        if (isAtLeast13() && reply.getAuxiliaryId().getValue() != 0) {
            closeForBadInput("opened an auxiliary connection (id " + reply.getAuxiliaryId() + "), which is not supported");
            return;
        }
        features = reply;
        if (isAtLeast13()) {
            enter(HandshakeState.WAIT_PORT_DESC, factory.buildPortDescStatsRequest().build());
        } else {
            acceptPorts(reply.getPorts());
            configure();
        }
    }

    private void onPortDesc(OFMessage message) {
        if (!(message instanceof OFPortDescStatsReply reply)) {
            unexpectedDuringHandshake(message);
            return;
        }
        if (acceptPorts(reply.getEntries()) && !reply.getFlags().contains(OFStatsReplyFlags.REPLY_MORE)) {
            configure();
        }
    }

    private boolean acceptPorts(List<OFPortDesc> ports) {
        handshakePorts.addAll(ports);
        if (handshakePorts.size() > MAX_HANDSHAKE_PORTS) {
            closeForBadInput("described more than " + MAX_HANDSHAKE_PORTS + " ports during the handshake");
            return false;
        }
        return true;
    }

    /** SET_CONFIG and, from 1.3 on, the table-miss flow (1.0 sends misses to the controller by itself). */
    private void configure() {
        OFMessage setConfig = factory.buildSetConfig()
                .setFlags(EnumSet.of(OFConfigFlags.FRAG_NORMAL))
                .setMissSendLen(config.missSendLength())
                .build();
        setConfigXid = setConfig.getXid();
        ctx.write(setConfig);
        if (isAtLeast13()) {
            OFMessage tableMiss = factory.buildFlowAdd()
                    .setTableId(TableId.of(0))
                    .setPriority(0)
                    .setCookie(CORE_COOKIE)
                    .setMatch(factory.buildMatch().build())
                    .setInstructions(List.of(factory.instructions().applyActions(
                            List.of(factory.actions().output(OFPort.CONTROLLER, NO_BUFFER)))))
                    .build();
            tableMissXid = tableMiss.getXid();
            ctx.write(tableMiss);
        }
        enter(HandshakeState.WAIT_DESC, factory.buildDescStatsRequest().build());
    }

    private void onDesc(OFMessage message) {
        if (!(message instanceof OFDescStatsReply reply)) {
            unexpectedDuringHandshake(message);
            return;
        }
        description = SwitchDescription.of(reply);
        enter(HandshakeState.WAIT_BARRIER, factory.buildBarrierRequest().build());
    }

    private void onBarrier(OFMessage message) {
        if (!(message instanceof OFBarrierReply) || message.getXid() != awaitedXid) {
            unexpectedDuringHandshake(message);
            return;
        }
        handshakeTimer.cancel(false);
        leavePending();
        SwitchConnection ready = new SwitchConnection(ctx.channel(), this, registry, features.getDatapathId(), factory,
                new SwitchFeatures(features.getNBuffers(), features.getNTables(), features.getCapabilities()),
                description, handshakePorts, config.requestTimeout(), config.maxReplyBytes(), counters);
        if (!registry.hasRoomFor(ready.id(), limits.maxSwitches())) {
            refuseReady(ready);
            return;
        }
        // the DESC strings and port names are the switch's: escaped, so they cannot forge log lines
        log.info("switch {} connected from {}: {}, {}, {} ports: {}", ready.id(), remote(),
                describe(factory.getVersion()), description, handshakePorts.size(), describe(handshakePorts));
        state = HandshakeState.READY;
        connection = ready;
        if (!registry.add(ready, limits.maxSwitches())) { // another loop took the last place meanwhile
            connection = null;
            refuseReady(ready);
            return;
        }
        for (OFPortStatus status : portStatusDuringHandshake.values()) {
            connection.apply(status);
        }
        portStatusDuringHandshake.clear();
    }

    /** {@code maxSwitches} are ready already: this one is closed, logged rate-limited. */
    private void refuseReady(SwitchConnection ready) {
        state = HandshakeState.CLOSED;
        closing = true;
        limits.refusedSwitch(remote(), ready.id());
        ctx.close();
    }

    private void enter(HandshakeState next, OFMessage request) {
        state = next;
        awaitedXid = request.getXid();
        ctx.writeAndFlush(request);
    }

    /**
     * Port changes may race the handshake (Floodlight once dropped switches for it): kept
     * and applied once the switch is ready. An ERROR answering the awaited request ends the
     * handshake; other messages are counted and dropped.
     */
    private void unexpectedDuringHandshake(OFMessage message) {
        if (message instanceof OFPortStatus status) {
            OFPort port = status.getDesc().getPortNo();
            portStatusDuringHandshake.remove(port);
            portStatusDuringHandshake.put(port, status);
            if (portStatusDuringHandshake.size() > MAX_HANDSHAKE_PORTS) {
                closeForBadInput("changed more than " + MAX_HANDSHAKE_PORTS + " ports during the handshake");
            }
        } else if (message instanceof OFErrorMsg error) {
            SwitchError decoded = SwitchError.of(error);
            long xid = error.getXid();
            if (error.getErrType() == OFErrorType.HELLO_FAILED || xid == awaitedXid) {
                closeForBadInput("answered the handshake (" + state + ") with ERROR " + decoded);
            } else if (xid == setConfigXid || xid == tableMissXid) {
                closeForBadInput("refused the " + (xid == setConfigXid ? "SET_CONFIG" : "table-miss flow")
                        + " with ERROR " + decoded + "; without it no packet reaches the controller");
            } else {
                log.warn("{}: ERROR {} during handshake ({})", remote(), decoded, state);
            }
        } else {
            counters.unhandledMessages.increment();
            log.debug("{}: dropped {} during handshake ({})", remote(), message.getType(), state);
        }
    }

    private void handshakeTimedOut() {
        if (state != HandshakeState.READY && ctx.channel().isActive()) {
            log.warn("{}: closing: handshake not complete after {} (stuck in {})",
                    remote(), config.handshakeTimeout(), state);
            closing = true;
            ctx.close();
        }
    }

    // ---- ready

    private void dispatch(OFMessage message) {
        switch (message.getType()) {
            case PACKET_IN -> {
                if (!connection.isReplaced()) {
                    pipeline.process(connection, (OFPacketIn) message);
                }
            }
            case PORT_STATUS -> connection.apply((OFPortStatus) message);
            case ERROR -> onError((OFErrorMsg) message);
            default -> {
                if (!connection.pending().offer(message, frameBytes()) && !registry.message(connection, message)) {
                    counters.unhandledMessages.increment();
                    log.debug("{}: unhandled {}", connection, message.getType());
                }
            }
        }
    }

    private void onError(OFErrorMsg error) {
        SwitchError decoded = SwitchError.of(error);
        // listeners first: whoever waits on the request then finds them told already
        boolean someoneListens = registry.error(connection, decoded);
        boolean answeredRequest = connection.pending().offer(error, frameBytes());
        if (!answeredRequest && !someoneListens) {
            log.warn("{}: ERROR {}", connection, decoded);
        }
    }

    // ---- liveness and failure

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof IdleStateEvent)) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        if (state == HandshakeState.WAIT_HELLO) {
            return; // no version to speak yet; the handshake timeout deals with a silent peer
        }
        if (!ctx.channel().isWritable()) {
            return; // we stopped reading it, so its silence proves nothing: maxUnwritable decides
        }
        if (unansweredEchoes >= config.maxMissedEchoes()) {
            log.warn("{}: closing: silent for {} x {}, {} echo requests unanswered", remote(),
                    unansweredEchoes + 1, config.echoInterval(), unansweredEchoes);
            closing = true;
            ctx.close();
            return;
        }
        unansweredEchoes++;
        ctx.writeAndFlush(factory.buildEchoRequest().build());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof OpenFlowProtocolException) {
            closeForBadInput(root.getMessage());
        } else if (cause instanceof EncoderException) {
            // an app wrote a message openflowj cannot encode (over 64 KiB, missing fields):
            // that message is lost, the switch is not
            log.warn("{}: dropped a message that cannot be encoded: {}", remote(), root.toString());
        } else if (root instanceof IOException) {
            log.debug("{}: {}", remote(), root.toString());
            ctx.close();
        } else {
            log.warn("{}: closing after an unexpected error", remote(), root);
            closing = true;
            ctx.close();
        }
    }

    // ---- bounded buffering

    /**
     * Unwritable: more than the high water mark waits to be sent, and the frame decoder stopped
     * reading. A switch that stays so for {@code maxUnwritable} and took nothing of what we sent
     * meanwhile does not read us; one that took some is slow, and gets another period.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cancelUnwritableTimer();
        } else if (unwritableTimer == null && !closing) {
            armUnwritableTimer();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void armUnwritableTimer() {
        takenWhenArmed = meter != null ? meter.taken() : 0;
        waitingWhenArmed = budget.waiting();
        unwritableTimer = ctx.executor().schedule(this::stillUnwritable,
                config.maxUnwritable().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void stillUnwritable() {
        unwritableTimer = null;
        if (closing || ctx.channel().isWritable() || !ctx.channel().isActive()) {
            return;
        }
        // with a meter, what was written meanwhile cannot hide that nothing was taken
        boolean tookSome = meter != null ? meter.taken() > takenWhenArmed : budget.waiting() < waitingWhenArmed;
        if (tookSome) {
            armUnwritableTimer();
            return;
        }
        closing = true;
        counters.connectionsClosedUnwritable.increment();
        log.warn("{}{}: closing: it has not taken what the controller sends for {} ({} bytes wait to be sent)",
                remote(), who(), config.maxUnwritable(), budget.waiting());
        ctx.close();
    }

    private void cancelUnwritableTimer() {
        if (unwritableTimer != null) {
            unwritableTimer.cancel(false);
            unwritableTimer = null;
        }
    }

    /** Leaves the count of connections in their handshake, once. */
    void leavePending() {
        if (pending) {
            pending = false;
            counters.pending.decrementAndGet();
        }
    }

    /** " (switch DPID)" once the datapath id is known, else nothing. */
    private String who() {
        if (connection != null) {
            return " (switch " + connection.id() + ")";
        }
        return features == null ? "" : " (switch " + features.getDatapathId() + ")";
    }

    /** Logs once per connection what the peer did wrong, then closes it. */
    private void closeForBadInput(String what) {
        if (closing) {
            return;
        }
        closing = true;
        counters.connectionsClosedForBadInput.increment();
        log.warn("{}{}: closing: {}", remote(), who(), what);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        cancelUnwritableTimer();
        leavePending();
        HandshakeState was = state;
        state = HandshakeState.CLOSED;
        if (batch != null) {
            batch.discard();
        }
        if (connection != null) {
            log.info("switch {} disconnected ({})", connection.id(), remote());
            registry.remove(connection);
            connection.pending().failAll("connection closed");
        } else {
            log.debug("{}: closed during handshake ({})", remote(), was);
        }
        ctx.fireChannelInactive();
    }

    private SocketAddress remote() {
        return ctx.channel().remoteAddress();
    }

    private boolean isAtLeast13() {
        return factory.getVersion().compareTo(OFVersion.OF_13) >= 0;
    }

    private static String describe(OFVersion version) {
        int wire = version.getWireVersion();
        return "OpenFlow 1." + (wire - 1);
    }

    private static String describe(List<OFPortDesc> ports) {
        return ports.stream()
                .map(p -> p.getPortNo().equals(OFPort.LOCAL) ? "LOCAL(" + PeerText.escape(p.getName()) + ")"
                        : p.getPortNo().getPortNumber() + "(" + PeerText.escape(p.getName()) + ")")
                .collect(Collectors.joining(" "));
    }
}
