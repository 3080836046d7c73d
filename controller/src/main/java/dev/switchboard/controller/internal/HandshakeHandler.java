package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.HandshakeFailure;
import dev.switchboard.controller.PeerText;
import dev.switchboard.controller.SwitchDescription;
import dev.switchboard.controller.SwitchError;
import dev.switchboard.controller.SwitchFeatures;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.channels.ClosedChannelException;
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
 * The first stage of a connection's logic: the OpenFlow handshake as the explicit states of
 * {@link HandshakeState} (HELLO and version negotiation, FEATURES, port description, SET_CONFIG
 * and the table-miss flow, DESC, BARRIER), under {@code handshakeTimeout}. At READY it replaces
 * itself in the pipeline with a {@link SwitchHandler}, which then registers the switch; the
 * ready switch's messages never pass this stage.
 *
 * <p>Every field is touched only on the channel's event loop.
 */
final class HandshakeHandler extends GuardedStage {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

    /** The pipeline name of this stage; the switch stage takes its place as {@link SwitchHandler#NAME}. */
    static final String NAME = "handshake";
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

    HandshakeHandler(ControllerConfig config, ConnectionGuard guard, SwitchRegistry registry, PacketInPipeline pipeline,
            Counters counters, ConnectionLimits limits) {
        super(guard);
        this.config = config;
        this.registry = registry;
        this.pipeline = pipeline;
        this.counters = counters;
        this.limits = limits;
        this.factory = OFFactories.getFactory(config.highestVersion());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        guard.attach(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.writeAndFlush(VersionNegotiation.hello(config.versions()));
        handshakeTimer = ctx.executor().schedule(this::handshakeTimedOut,
                config.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        log.debug("{}: connected, HELLO sent", remote());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        OFMessage message = (OFMessage) msg;
        if (!guard.admit(message)) {
            return;
        }
        if (message instanceof OFEchoRequest echo) {
            guard.answer(ctx, echo);
            return;
        }
        switch (state) {
            case WAIT_HELLO -> onHello(message);
            case WAIT_FEATURES_REPLY -> onFeaturesReply(message);
            case WAIT_PORT_DESC -> onPortDesc(message);
            case WAIT_DESC -> onDesc(message);
            case WAIT_BARRIER -> onBarrier(message);
            case READY, CLOSED -> {
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    private void onHello(OFMessage message) {
        if (!(message instanceof OFHello hello)) {
            guard.closeForBadInput("sent " + message.getType() + " before HELLO");
            return;
        }
        Optional<OFVersion> version = VersionNegotiation.negotiate(config.versions(), hello);
        if (version.isEmpty()) {
            refuseHello(hello);
            return;
        }
        factory = OFFactories.getFactory(version.get());
        guard.negotiated(factory);
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
        guard.failed(HandshakeFailure.NO_COMMON_VERSION);
        guard.closing();
        ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
    }

    private void onFeaturesReply(OFMessage message) {
        if (!(message instanceof OFFeaturesReply reply)) {
            unexpectedDuringHandshake(message);
            return;
        }
        if (isAtLeast13() && reply.getAuxiliaryId().getValue() != 0) {
            guard.closeForBadInput("opened an auxiliary connection (id " + reply.getAuxiliaryId()
                    + "), which is not supported");
            return;
        }
        features = reply;
        guard.identified(reply.getDatapathId());
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
            guard.closeForBadInput("described more than " + MAX_HANDSHAKE_PORTS + " ports during the handshake");
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

    /**
     * The switch took the configuration: unless {@code maxSwitches} are ready already, this stage
     * gives its place to the switch stage, which registers the switch. The hand-over happens
     * inside this read, so the rest of the burst, and its end, reach the switch stage.
     */
    private void onBarrier(OFMessage message) {
        if (!(message instanceof OFBarrierReply) || message.getXid() != awaitedXid) {
            unexpectedDuringHandshake(message);
            return;
        }
        handshakeTimer.cancel(false);
        guard.leavePending();
        SwitchHandler running = new SwitchHandler(guard, registry, pipeline, counters, limits);
        SwitchConnection ready = new SwitchConnection(ctx.channel(), running, registry, features.getDatapathId(),
                factory, new SwitchFeatures(features.getNBuffers(), features.getNTables(), features.getCapabilities()),
                description, handshakePorts, config.requestTimeout(), config.maxReplyBytes(), counters, guard.stats());
        if (!registry.hasRoomFor(ready.id(), limits.maxSwitches())) {
            state = HandshakeState.CLOSED;
            guard.failed(HandshakeFailure.SWITCH_LIMIT);
            limits.refusedSwitch(remote(), ready.id());
            guard.close(ctx);
            return;
        }
        // the DESC strings and port names are the switch's: escaped, so they cannot forge log lines
        log.info("switch {} connected from {}: {}, {}, {} ports: {}", ready.id(), remote(),
                describe(factory.getVersion()), description, handshakePorts.size(), describe(handshakePorts));
        state = HandshakeState.READY;
        ctx.pipeline().replace(this, SwitchHandler.NAME, running);
        running.announce(ready, List.copyOf(portStatusDuringHandshake.values()));
        portStatusDuringHandshake.clear();
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
                guard.closeForBadInput("changed more than " + MAX_HANDSHAKE_PORTS + " ports during the handshake");
            }
        } else if (message instanceof OFErrorMsg error) {
            SwitchError decoded = SwitchError.of(error);
            long xid = error.getXid();
            if (error.getErrType() == OFErrorType.HELLO_FAILED || xid == awaitedXid) {
                guard.closeForBadInput("answered the handshake (" + state + ") with ERROR " + decoded);
            } else if (xid == setConfigXid || xid == tableMissXid) {
                guard.closeForBadInput("refused the " + (xid == setConfigXid ? "SET_CONFIG" : "table-miss flow")
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
            guard.failed(HandshakeFailure.TIMEOUT);
            guard.close(ctx);
        }
    }

    /** A failed TLS handshake (TlsHandshakeWatch logged it and closes) is this connection's failure. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()
                && !(done.cause() instanceof ClosedChannelException)) {
            guard.failed(HandshakeFailure.TLS);
        }
        super.userEventTriggered(ctx, event);
    }

    /** Closed before READY (after it, this stage is no longer in the pipeline): a handshake failure. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        HandshakeFailure why = guard.failure();
        counters.handshakeFailed(why != null ? why : HandshakeFailure.CLOSED);
        guard.closed();
        HandshakeState was = state;
        state = HandshakeState.CLOSED;
        log.debug("{}: closed during handshake ({})", remote(), was);
        ctx.fireChannelInactive();
    }

    private SocketAddress remote() {
        return guard.remote();
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
