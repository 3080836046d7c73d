package dev.switchboard.ovsdb.jsonrpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.json.JsonObjectDecoder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cuts JSON objects from the stream ({@link JsonObjectDecoder}, capped at
 * {@link JsonRpcOptions#maxMessageBytes()}), and counts the bytes of the message it holds
 * unfinished against a budget shared by all connections of a transport
 * ({@link JsonRpcOptions#inboundBudgetBytes()}). One peer may send a message as big as the cap,
 * but many peers each dripping a big message cannot add up past the budget: the connection whose
 * bytes would pass it is closed (the next stage logs why). Every field is touched only on the
 * channel's event loop, except the shared counter.
 */
final class FrameDecoder extends JsonObjectDecoder {

    private final AtomicLong held;
    private final long budget;
    private long mine;
    private boolean refused;

    /**
     * @param held   bytes held unfinished by all connections sharing the budget
     * @param budget the most they may hold together; at least {@code maxMessageBytes} is always allowed
     */
    FrameDecoder(int maxMessageBytes, AtomicLong held, long budget) {
        super(maxMessageBytes);
        this.held = held;
        this.budget = Math.max(budget, maxMessageBytes);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        try {
            super.channelRead(ctx, msg);
        } finally {
            account(internalBuffer().readableBytes());
        }
        if (mine > 0 && held.get() > budget) {
            refused = true;
            long own = mine;
            long total = held.get();
            release();
            throw new CorruptedFrameException("unfinished messages of all connections would hold " + total
                    + " bytes, over inboundBudgetBytes " + budget + " (this one: " + own + ")");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        release();
        super.handlerRemoved0(ctx);
    }

    /** Bytes this connection holds unfinished now. */
    long held() {
        return mine;
    }

    private void account(long now) {
        held.addAndGet(now - mine);
        mine = now;
    }

    private void release() {
        account(0);
    }
}
