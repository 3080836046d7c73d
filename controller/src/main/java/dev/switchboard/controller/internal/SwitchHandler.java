package dev.switchboard.controller.internal;

import dev.switchboard.controller.HandshakeFailure;
import dev.switchboard.controller.SwitchError;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second stage of a connection's logic, put in the pipeline by {@link HandshakeHandler} in
 * place of itself once the handshake is done: hands the ready switch's messages to the pending
 * requests, the packet-in pipeline and the listeners, and batches what is written during a read
 * burst into one flush.
 *
 * <p>Every field is touched only on the channel's event loop, except {@link #inReadBurst},
 * which other threads read only through {@link #isInReadBurst()} (false off the loop).
 */
final class SwitchHandler extends GuardedStage {
    private static final Logger log = LoggerFactory.getLogger(SwitchHandler.class);

    /** The pipeline name of this stage. */
    static final String NAME = "switch";

    private final SwitchRegistry registry;
    private final PacketInPipeline pipeline;
    private final Counters counters;
    private final ConnectionLimits limits;
    private final ConnectionStats stats;

    private ChannelHandlerContext ctx;
    /** Null until {@link #announce} registered it, and if the registry refused it. */
    private SwitchConnection connection;
    private boolean inReadBurst;
    /** What the event loop wrote during the current read burst; created when the stage is added. */
    private OutboundBatch batch;

    SwitchHandler(ConnectionGuard guard, SwitchRegistry registry, PacketInPipeline pipeline, Counters counters,
            ConnectionLimits limits) {
        super(guard);
        this.registry = registry;
        this.pipeline = pipeline;
        this.counters = counters;
        this.limits = limits;
        this.stats = guard.stats();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.batch = new OutboundBatch(ctx.alloc());
    }

    /**
     * On the event loop, right after the handshake stage gave this one its place, inside its
     * read of the BARRIER reply: so this burst's end reaches this stage, and what listeners
     * write on {@code switchAdded} goes out in the burst's one flush, as any write in a burst.
     * Applies the port changes kept during the handshake to {@code ready}'s ports, then
     * registers it; if {@code maxSwitches} others took the last place meanwhile, it is closed
     * instead.
     */
    void announce(SwitchConnection ready, List<OFPortStatus> portChangesDuringHandshake) {
        inReadBurst = true;
        // Before the switch is published: whoever finds it in the registry, and switchAdded
        // (which may run inside registry.add), sees its ports as they are now. Nobody hears
        // of these changes as port events: the switch is not announced yet.
        for (OFPortStatus status : portChangesDuringHandshake) {
            ready.apply(status);
        }
        connection = ready;
        if (!registry.add(ready, limits.maxSwitches())) { // another loop took the last place meanwhile
            connection = null;
            counters.handshakeFailed(HandshakeFailure.SWITCH_LIMIT);
            limits.refusedSwitch(guard.remote(), ready.id());
            guard.close(ctx);
        }
    }

    boolean isInReadBurst() {
        return ctx != null && ctx.executor().inEventLoop() && inReadBurst;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inReadBurst = true;
        OFMessage message = (OFMessage) msg;
        if (!guard.admit(message) || connection == null) {
            return;
        }
        if (message instanceof OFEchoRequest echo) {
            releaseBatch();
            guard.answer(ctx, echo);
            return;
        }
        dispatch(message);
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
        if (!guard.budget().admit(batch.size())) {
            return;
        }
        try {
            boolean full = batch.add(message);
            stats.sentOnLoop(message);
            if (full) {
                releaseBatch();
            }
        } catch (RuntimeException e) {
            log.warn("{}: dropped a message that cannot be encoded: {}", guard.remote(), e.toString());
        }
    }

    /** What waits for this peer, and the door to more. */
    OutboundBudget budget() {
        return guard.budget();
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

    private void dispatch(OFMessage message) {
        switch (message.getType()) {
            case PACKET_IN -> {
                stats.packetIn();
                if (connection.servesApps()) {
                    pipeline.process(connection, (OFPacketIn) message);
                }
            }
            case PORT_STATUS -> connection.apply((OFPortStatus) message);
            case ERROR -> onError((OFErrorMsg) message);
            default -> {
                // an ECHO_REPLY nobody asked for answers the liveness check's echo: handled by the guard
                if (!connection.pending().offer(message, guard.frameBytes())
                        && !(connection.isAnnounced() && registry.message(connection, message))
                        && message.getType() != OFType.ECHO_REPLY) {
                    counters.unhandledMessages.increment();
                    log.debug("{}: unhandled {}", connection, message.getType());
                }
            }
        }
    }

    private void onError(OFErrorMsg error) {
        SwitchError decoded = SwitchError.of(error);
        // listeners first: whoever waits on the request then finds them told already; they hear
        // of a switch only once it was announced (it may wait for the one it replaces to go)
        boolean someoneListens = connection.isAnnounced() && registry.error(connection, decoded);
        boolean answeredRequest = connection.pending().offer(error, guard.frameBytes());
        if (!answeredRequest && !someoneListens) {
            log.warn("{}: ERROR {}", connection, decoded);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        guard.closed();
        inReadBurst = false;
        batch.discard();
        if (connection != null) {
            log.info("switch {} disconnected ({})", connection.id(), guard.remote());
            registry.remove(connection);
            connection.pending().failAll("connection closed");
        } else {
            log.debug("{}: closed during handshake (CLOSED)", guard.remote());
        }
        ctx.fireChannelInactive();
    }
}
