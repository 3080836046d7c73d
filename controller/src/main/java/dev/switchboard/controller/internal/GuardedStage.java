package dev.switchboard.controller.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * A stage of a switch connection's pipeline (handshake, then running switch): both hand idle
 * timeouts, failures and writability to the connection's one {@link ConnectionGuard}, so a
 * connection is watched the same way whichever stage it is in.
 */
abstract class GuardedStage extends ChannelDuplexHandler {
    protected final ConnectionGuard guard;

    GuardedStage(ConnectionGuard guard) {
        this.guard = guard;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!guard.idle(ctx, event)) {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        guard.exceptionCaught(ctx, cause);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        guard.writabilityChanged(ctx);
        ctx.fireChannelWritabilityChanged();
    }
}
