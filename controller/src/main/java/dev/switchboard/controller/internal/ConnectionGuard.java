package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.HandshakeFailure;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both stages of a connection ({@link HandshakeHandler}, then {@link SwitchHandler}) do
 * alike, kept across the hand-over: liveness (echo), the negotiated version every message must
 * carry, closing once for bad input, the unwritable timeout, and the count of connections still
 * in their handshake. One per connection.
 *
 * <p>Every field is touched only on the channel's event loop, except that {@link #leavePending}
 * may also run from the channel's close future (on that same loop).
 *
 * <p>Bounded buffering: the frame decoder stops reading while the channel is unwritable; this
 * guard closes a connection that stays unwritable for {@code maxUnwritable}, and the
 * {@link OutboundBudget} refuses writes that would make more than {@code peerBufferBytes} wait.
 */
final class ConnectionGuard {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    private final Channel channel;
    private final ControllerConfig config;
    private final Counters counters;
    private final OutboundBudget budget;
    private final ConnectionStats stats = new ConnectionStats();

    /** The negotiated version's factory; null until the peer's HELLO is accepted. */
    private OFFactory factory;
    /** Known from the FEATURES_REPLY on, for log lines. */
    private DatapathId datapathId;
    private int unansweredEchoes;
    /** Our latest echo request, while it waits for its reply: its xid and when it was sent. */
    private boolean echoOutstanding;
    private long echoXid;
    private long echoSentNanos;
    /** Why the connection is being closed before it was ready, if we close it; null: the peer hung up. */
    private HandshakeFailure failure;
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

    ConnectionGuard(Channel channel, ControllerConfig config, Counters counters, OutboundBudget budget) {
        this.channel = channel;
        this.config = config;
        this.counters = counters;
        this.budget = budget;
    }

    /** Finds the stages this guard reads; called once the pipeline is built (the handshake stage's handlerAdded). */
    void attach(ChannelHandlerContext ctx) {
        meter = ctx.pipeline().get(OutboundMeter.class);
        decoder = ctx.pipeline().get(OpenFlowFrameDecoder.class);
    }

    /** What waits for this peer, and the door to more. */
    OutboundBudget budget() {
        return budget;
    }

    /** The connection's counts, from its first byte; the ready switch's {@code SwitchStats}. */
    ConnectionStats stats() {
        return stats;
    }

    /** Notes why the handshake ends, for the count of failures; the first reason given stands. */
    void failed(HandshakeFailure reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    /** Why the handshake ended; null when nobody said (the peer hung up, or the connection failed). */
    HandshakeFailure failure() {
        return failure;
    }

    /** The wire length of the message being handled; the largest allowed if it is not known. */
    int frameBytes() {
        return decoder != null ? decoder.lastFrameBytes() : config.maxMessageBytes();
    }

    void negotiated(OFFactory factory) {
        this.factory = factory;
    }

    void identified(DatapathId datapathId) {
        this.datapathId = datapathId;
        stats.identified(datapathId);
    }

    boolean isClosing() {
        return closing;
    }

    /**
     * Every message read: the peer is alive. False when the message is not for the stage: the
     * connection is closing, or the message breaks the negotiated version (then it closes).
     */
    boolean admit(OFMessage message) {
        unansweredEchoes = 0;
        if (echoOutstanding && message.getXid() == echoXid && message.getType() == OFType.ECHO_REPLY) {
            echoOutstanding = false;
            stats.echoAnswered(System.nanoTime() - echoSentNanos);
        }
        if (closing) {
            return false;
        }
        if (factory != null && message.getVersion() != factory.getVersion()) {
            closeForBadInput("sent a message of " + message.getVersion() + " on a connection that negotiated "
                    + factory.getVersion());
            return false;
        }
        return true;
    }

    /** Answers in the request's own version (before the HELLO, ours is not settled); flushed at the burst's end. */
    void answer(ChannelHandlerContext ctx, OFEchoRequest echo) {
        ctx.write(OFFactories.getFactory(echo.getVersion()).buildEchoReply()
                .setXid(echo.getXid()).setData(echo.getData()).build());
    }

    // ---- liveness and failure

    /** @return whether {@code event} was the guard's (an idle event) */
    boolean idle(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof IdleStateEvent)) {
            return false;
        }
        if (factory == null) {
            return true; // no version to speak yet; the handshake timeout deals with a silent peer
        }
        if (!ctx.channel().isWritable()) {
            return true; // we stopped reading it, so its silence proves nothing: maxUnwritable decides
        }
        if (unansweredEchoes >= config.maxMissedEchoes()) {
            log.warn("{}: closing: silent for {} x {}, {} echo requests unanswered", remote(),
                    unansweredEchoes + 1, config.echoInterval(), unansweredEchoes);
            close(ctx);
            return true;
        }
        unansweredEchoes++;
        OFEchoRequest echo = factory.buildEchoRequest().build();
        // the round trip is measured for the latest request: an older one's late reply is not its answer
        echoOutstanding = true;
        echoXid = echo.getXid();
        echoSentNanos = System.nanoTime();
        ctx.writeAndFlush(echo);
        return true;
    }

    void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
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
            close(ctx);
        }
    }

    /** Logs once per connection what the peer did wrong, then closes it. */
    void closeForBadInput(String what) {
        if (closing) {
            return;
        }
        closing = true;
        failed(HandshakeFailure.PROTOCOL);
        counters.connectionsClosedForBadInput.increment();
        log.warn("{}{}: closing: {}", remote(), who(), what);
        channel.close();
    }

    /** Closes the connection; what it reads meanwhile is ignored. */
    void close(ChannelHandlerContext ctx) {
        closing = true;
        ctx.close();
    }

    /** From now on what is read is ignored: the caller closes the connection, after a last write. */
    void closing() {
        closing = true;
    }

    // ---- bounded buffering

    /**
     * Unwritable: more than the high water mark waits to be sent, and the frame decoder stopped
     * reading. A switch that stays so for {@code maxUnwritable} and took nothing of what we sent
     * meanwhile does not read us; one that took some is slow, and gets another period.
     */
    void writabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cancelUnwritableTimer();
            return;
        }
        counters.writeStalls.increment();
        stats.writeStalled();
        if (unwritableTimer == null && !closing) {
            armUnwritableTimer();
        }
    }

    private void armUnwritableTimer() {
        takenWhenArmed = meter != null ? meter.taken() : 0;
        waitingWhenArmed = budget.waiting();
        unwritableTimer = channel.eventLoop().schedule(this::stillUnwritable,
                config.maxUnwritable().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void stillUnwritable() {
        unwritableTimer = null;
        if (closing || channel.isWritable() || !channel.isActive()) {
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
        channel.close();
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

    /** The channel closed: timers stop, the pending count is left. */
    void closed() {
        cancelUnwritableTimer();
        leavePending();
    }

    /** " (switch DPID)" once the datapath id is known, else nothing. */
    private String who() {
        return datapathId == null ? "" : " (switch " + datapathId + ")";
    }

    SocketAddress remote() {
        return channel.remoteAddress();
    }
}
