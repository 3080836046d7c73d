package dev.switchboard.controller.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * What waits to be sent to one peer. Netty counts a message from the moment it is written
 * (also a write handed over from another thread, as a task), until the socket took it.
 */
final class OutboundBudget {
    private OutboundBudget() {
    }

    /** Bytes written to {@code channel} and not yet taken by its socket; any thread. */
    static long pendingBytes(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }
}
