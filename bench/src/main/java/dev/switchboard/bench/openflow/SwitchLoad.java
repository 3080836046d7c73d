package dev.switchboard.bench.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One emulated switch's load: sends packet-ins and counts the controller's answers, as a frame
 * handler in front of the emulator's decoder ({@code EmulatedSwitch.withFrameHandler}). FLOW_MOD
 * and PACKET_OUT frames are counted from their header and dropped here; everything else (echoes,
 * the handshake, barriers) goes on to the emulator, which answers it.
 *
 * <p>At most {@code window} packet-ins are outstanding: sent, neither answered nor given up. An
 * answer is matched to its packet-in by id ({@link ReplyIds}); the first message naming it counts
 * it as answered, later ones only as messages. A packet-in unanswered for {@code timeout} is given
 * up ("expired"), so a controller that ignores some cannot stall the switch. New packet-ins are
 * written in one buffer and one flush after each batch of reads once a quarter of the window is
 * free (fewer, larger writes: the generator shares the machine with the controller), and only
 * while the channel is writable, so nothing queues up in the generator.
 *
 * <p>Confined to the channel's event loop: the other threads only call {@link #start}, {@link
 * #stop} and {@link #snapshot}, which hand their work to that loop.
 */
final class SwitchLoad extends ChannelInboundHandlerAdapter {
    enum Phase {
        /** Sends nothing (still counts what arrives). */
        IDLE,
        /** Sends each host's broadcast until it was answered once. */
        LEARNING,
        /** Sends the hosts' unicast frames round-robin. */
        TRAFFIC
    }

    private static final long EXPIRY_CHECK_MILLIS = 20;
    private static final long FREE = -1;

    private final PacketIns packets;
    private final int switchNumber;
    private final int window;
    /** Free slots needed before writing again: a quarter of the window, so writes come in batches. */
    private final int refillAt;
    private final long timeoutNanos;
    /** Ring of sent packet-ins indexed by id & mask: the id while outstanding, else FREE. */
    private final long[] idAt;
    private final long[] sentAt;
    private final int[] templateAt;
    private final int mask;
    private final boolean[] learned;
    /** Hosts whose broadcast is outstanding, so a learning pass does not send it twice. */
    private final boolean[] learning;

    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> expiryCheck;
    private Phase phase = Phase.IDLE;
    /**
     * The id of the next packet-in; ids below {@code oldest} are all answered or expired. Ids
     * start at 1: some controllers take buffer id 0 for none (Ryu's simple_switch_13 tests {@code
     * if buffer_id:}).
     */
    private long nextId = 1;
    private long oldest = 1;
    private int outstanding;
    private int cursor;
    private int learnedCount;
    private long sent;
    private long answered;
    private long flowMods;
    private long packetOuts;
    private long unmatched;
    private long expired;
    private LatencyHistogram latency = new LatencyHistogram();

    /**
     * @param window packet-ins outstanding at most (1 for latency mode)
     * @param timeoutMillis how long an unanswered packet-in is waited for
     */
    SwitchLoad(PacketIns packets, int switchNumber, int window, long timeoutMillis) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1: " + window);
        }
        this.packets = packets;
        this.switchNumber = switchNumber;
        this.window = window;
        this.refillAt = Math.max(1, window / 4);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int capacity = Integer.highestOneBit(Math.max(64, 2 * window - 1)) << 1;
        this.idAt = new long[capacity];
        this.sentAt = new long[capacity];
        this.templateAt = new int[capacity];
        this.mask = capacity - 1;
        Arrays.fill(idAt, FREE);
        this.learned = new boolean[packets.macs()];
        this.learning = new boolean[packets.macs()];
    }

    /** What one switch has counted since it connected, and the latencies since the last snapshot. */
    record Counters(
            long sent,
            long answered,
            long flowMods,
            long packetOuts,
            long unmatched,
            long expired,
            int learnedHosts,
            LatencyHistogram latency) {
        long messages() {
            return flowMods + packetOuts;
        }
    }

    /** Switches to {@code phase} on the event loop; LEARNING and TRAFFIC start sending at once. */
    void start(Phase next) {
        ctx.executor().execute(() -> {
            phase = next;
            cursor = 0;
            fill();
        });
    }

    void stop() {
        start(Phase.IDLE);
    }

    /** The counters, read on the event loop; the latency histogram starts afresh after it. */
    CompletableFuture<Counters> snapshot() {
        return CompletableFuture.supplyAsync(() -> {
            LatencyHistogram interval = latency;
            latency = new LatencyHistogram();
            return new Counters(sent, answered, flowMods, packetOuts, unmatched, expired, learnedCount, interval);
        }, ctx.executor());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // Low marks: writes stop long before anything piles up in the generator.
        ctx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(16 * 1024, 64 * 1024));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        expiryCheck = ctx.executor().scheduleAtFixedRate(
                this::expireAndFill, EXPIRY_CHECK_MILLIS, EXPIRY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (expiryCheck != null) {
            expiryCheck.cancel(false);
        }
        phase = Phase.IDLE;
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int type = ReplyIds.type(frame);
        if (type != ReplyIds.FLOW_MOD && type != ReplyIds.PACKET_OUT) {
            ctx.fireChannelRead(frame);
            return;
        }
        try {
            if (type == ReplyIds.FLOW_MOD) {
                flowMods++;
            } else {
                packetOuts++;
            }
            long id = ReplyIds.packetInId(frame, switchNumber);
            if (id == ReplyIds.NONE || !answer(id)) {
                unmatched++;
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        fill();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        fill();
        ctx.fireChannelWritabilityChanged();
    }

    /** Counts packet-in {@code id} answered if it is outstanding; false if it is not. */
    private boolean answer(long id) {
        int slot = (int) (id & mask);
        if (idAt[slot] != id) {
            return false; // answered before, expired, or not ours
        }
        idAt[slot] = FREE;
        outstanding--;
        answered++;
        latency.record(System.nanoTime() - sentAt[slot]);
        int host = templateAt[slot] - packets.macs();
        if (host >= 0) {
            learning[host] = false;
            if (!learned[host]) {
                learned[host] = true;
                learnedCount++;
            }
        }
        advanceOldest();
        return true;
    }

    private void advanceOldest() {
        while (oldest < nextId && idAt[(int) (oldest & mask)] != oldest) {
            oldest++;
        }
    }

    private void expireAndFill() {
        long now = System.nanoTime();
        while (oldest < nextId) {
            int slot = (int) (oldest & mask);
            if (idAt[slot] == oldest) {
                if (now - sentAt[slot] < timeoutNanos) {
                    break;
                }
                idAt[slot] = FREE;
                outstanding--;
                expired++;
                int host = templateAt[slot] - packets.macs();
                if (host >= 0) {
                    learning[host] = false;
                }
            }
            oldest++;
        }
        fill();
    }

    /** Writes as many packet-ins as the window, the ring and the channel allow, in one flush. */
    private void fill() {
        if (phase == Phase.IDLE || !ctx.channel().isActive() || !ctx.channel().isWritable()) {
            return;
        }
        int room = Math.min(window - outstanding, (int) (idAt.length - (nextId - oldest)));
        if (room < refillAt) {
            return;
        }
        int length = packets.messageLength();
        ByteBuf out = ctx.alloc().directBuffer(room * length);
        long now = System.nanoTime();
        int written = 0;
        while (written < room) {
            int template = nextTemplate();
            if (template < 0) {
                break;
            }
            long id = nextId++;
            int slot = (int) (id & mask);
            idAt[slot] = id;
            sentAt[slot] = now;
            templateAt[slot] = template;
            if (template >= packets.macs()) {
                learning[template - packets.macs()] = true;
            }
            packets.writeTo(out, template, (int) id);
            written++;
        }
        if (written == 0) {
            out.release();
            return;
        }
        outstanding += written;
        sent += written;
        ctx.writeAndFlush(out, ctx.voidPromise());
    }

    /**
     * The next template to send in this phase, or -1 if there is none (every host learned, or the
     * rest are outstanding).
     */
    private int nextTemplate() {
        int macs = packets.macs();
        if (phase == Phase.TRAFFIC) {
            int template = cursor;
            cursor = cursor + 1 == macs ? 0 : cursor + 1;
            return template;
        }
        for (int tried = 0; tried < macs; tried++) {
            int host = cursor;
            cursor = cursor + 1 == macs ? 0 : cursor + 1;
            if (!learned[host] && !learning[host]) {
                return macs + host;
            }
        }
        return -1;
    }
}
