package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.ControllerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The unwritable timeout tells a slow reader from a deaf one. The peer is a channel whose
 * "socket" takes only what the test allows, so the outbound buffer can stay above the low water
 * mark for many periods while bytes do drain, which a real socket on loopback (megabytes of
 * kernel buffer, taken in large gulps) does not reproduce. The old timer closed the slow reader
 * at the first period.
 */
class UnwritableTimeoutTest {
    private static final Duration MAX_UNWRITABLE = Duration.ofSeconds(1);
    private static final int LOW = 32 * 1024;
    private static final int HIGH = 64 * 1024;
    private static final int CHUNK = 4096;

    private final Counters counters = new Counters();
    private final ThrottledChannel channel = new ThrottledChannel();

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aPeerThatTakesSomeEveryPeriodStaysConnected() throws Exception {
        connect();
        fill(40); // 160 KiB: above the high water mark, unwritable, the timer armed
        assertThat(channel.isWritable()).isFalse();

        for (int period = 0; period < 10; period++) {
            channel.allow(2 * CHUNK); // takes 8 KiB a period; the writer puts as much back
            fill(2);
            pass(MAX_UNWRITABLE.plusMillis(1));
            assertThat(channel.isWritable()).as("still above the low water mark").isFalse();
            assertThat(channel.isOpen()).as("open after period %d", period).isTrue();
        }
        assertThat(channel.taken).isEqualTo(10L * 2 * CHUNK);
        assertThat(counters.connectionsClosedUnwritable.sum()).isZero();
    }

    @Test
    void aPeerThatTakesNothingForAPeriodIsClosed() throws Exception {
        connect();
        fill(40);
        channel.allow(CHUNK); // it takes a little in the first period
        pass(MAX_UNWRITABLE.plusMillis(1));
        assertThat(channel.isOpen()).as("it took some in the first period").isTrue();

        fill(1); // more is written, nothing is taken: that must not count as progress
        pass(MAX_UNWRITABLE.plusMillis(1));
        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.connectionsClosedUnwritable.sum()).isEqualTo(1);
    }

    private void connect() throws Exception {
        ControllerConfig config = ControllerConfig.builder().maxUnwritable(MAX_UNWRITABLE)
                .handshakeTimeout(Duration.ofHours(1)).build();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LOW, HIGH));
        channel.pipeline().addLast("meter", new OutboundMeter());
        channel.pipeline().addLast("encoder", new OpenFlowMessageEncoder());
        ConnectionLimits limits = new ConnectionLimits(config, counters);
        limits.admit(channel);
        ConnectionGuard guard = new ConnectionGuard(channel, config, counters, new OutboundBudget(channel, 1 << 20, counters));
        channel.pipeline().addLast(HandshakeHandler.NAME, new HandshakeHandler(config, guard, new SwitchRegistry(),
                new PacketInPipeline(counters), counters, limits));
        channel.register();
        channel.allow(Long.MAX_VALUE / 2); // the HELLO goes out
        channel.flush();
        channel.allow(0);
        channel.taken = 0;
    }

    private void fill(int chunks) {
        for (int i = 0; i < chunks; i++) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[CHUNK]));
        }
    }

    private void pass(Duration time) {
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    /** An embedded channel whose peer takes only {@link #allow}ed bytes, whole messages at a time. */
    private static final class ThrottledChannel extends EmbeddedChannel {
        private long allowance;
        long taken;

        ThrottledChannel() {
            super(false, false);
        }

        void allow(long bytes) {
            allowance = bytes;
            flush();
        }

        @Override
        protected void doWrite(ChannelOutboundBuffer in) {
            while (true) {
                Object message = in.current();
                if (message == null) {
                    return;
                }
                int size = message instanceof ByteBuf bytes ? bytes.readableBytes() : 0;
                if (size > allowance) {
                    return;
                }
                allowance -= size;
                taken += size;
                in.remove();
            }
        }
    }
}
