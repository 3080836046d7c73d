package dev.switchboard.controller.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * The first stage of a connection's pipeline (below TLS, so it sees what the socket gets):
 * counts what enters the outbound buffer as Netty counts it, so that {@link #taken()} tells
 * how much the peer has taken so far. The unwritable timeout uses it to tell a slow reader
 * (it took some) from a deaf one (it took nothing), however much is written meanwhile.
 * Event loop only; one per connection.
 */
final class OutboundMeter extends ChannelOutboundHandlerAdapter {
    private long entered;
    private ChannelHandlerContext ctx;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            entered += bytes.readableBytes() + OutboundBudget.ENTRY_OVERHEAD;
        }
        ctx.write(msg, promise);
    }

    /** Bytes (with Netty's per-entry overhead) that entered the outbound buffer and left it. */
    long taken() {
        return entered - OutboundBudget.inOutboundBuffer(ctx.channel());
    }
}
