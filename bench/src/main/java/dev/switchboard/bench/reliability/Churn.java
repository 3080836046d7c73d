package dev.switchboard.bench.reliability;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Emulated switches that connect, send packet-ins and leave at random: each of {@code slots}
 * switches connects after up to 5 s, stays 2 to 30 s sending bursts of packet-ins (random
 * source MACs among 64 per switch, broadcast or learnt destinations), disconnects, and
 * reconnects 0 to 3 s later with the same datapath id, until {@link #stop}. Connects run on a
 * small thread pool (they block briefly), the switches on two NIO event loops.
 */
final class Churn implements AutoCloseable {
    private static final long DPID_BASE = 0x5b00_0000_0000L;
    private static final int PORTS = 4;

    private final InetSocketAddress controller;
    private final AtomicReferenceArray<EmulatedSwitch> switches;
    private final Random random;
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ScheduledExecutorService driver = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "soak-churn");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean stopping;
    final AtomicLong connections = new AtomicLong();
    final AtomicLong departures = new AtomicLong();
    final AtomicLong packetIns = new AtomicLong();
    final AtomicLong connectFailures = new AtomicLong();

    Churn(InetSocketAddress controller, int slots, long seed) {
        this.controller = controller;
        this.switches = new AtomicReferenceArray<>(slots);
        this.random = new Random(seed);
    }

    void start() {
        for (int slot = 0; slot < switches.length(); slot++) {
            int s = slot;
            later(() -> connect(s), 5000);
        }
    }

    private synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private void later(Runnable task, int maxMillis) {
        if (!stopping) {
            driver.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // a task of a switch that is gone: the churn goes on
                }
            }, nextInt(maxMillis + 1), TimeUnit.MILLISECONDS);
        }
    }

    private void connect(int slot) {
        if (stopping) {
            return;
        }
        EmulatedSwitch sw;
        try {
            sw = EmulatedSwitch.connect(loops, controller, EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(DPID_BASE + slot)).portCount(PORTS).build());
        } catch (RuntimeException e) {
            connectFailures.incrementAndGet();
            later(() -> connect(slot), 1000);
            return;
        }
        switches.set(slot, sw);
        connections.incrementAndGet();
        int lifetime = 2000 + nextInt(28_000);
        driver.schedule(() -> leave(slot, sw), lifetime, TimeUnit.MILLISECONDS);
        later(() -> sendPacketIns(slot, sw), 1000);
    }

    private void sendPacketIns(int slot, EmulatedSwitch sw) {
        if (stopping || !sw.isConnected() || sw.negotiatedVersion() == null) {
            return;
        }
        int burst = 1 + nextInt(8);
        for (int i = 0; i < burst; i++) {
            int host = nextInt(64);
            long src = 0x0200_0000_0000L | ((long) slot << 8) | host;
            long dst = nextInt(4) == 0 ? 0xffff_ffff_ffffL : 0x0200_0000_0000L | ((long) slot << 8) | nextInt(64);
            sw.sendPacketIn(OFPort.of(1 + host % PORTS), frame(dst, src));
        }
        packetIns.addAndGet(burst);
        later(() -> sendPacketIns(slot, sw), 1000);
    }

    private void leave(int slot, EmulatedSwitch sw) {
        sw.close();
        switches.compareAndSet(slot, sw, null);
        departures.incrementAndGet();
        later(() -> connect(slot), 3000);
    }

    /** Ethernet + a minimal IPv4 header, 64 bytes. */
    private static byte[] frame(long dst, long src) {
        byte[] frame = new byte[64];
        for (int i = 0; i < 6; i++) {
            frame[i] = (byte) (dst >>> (40 - 8 * i));
            frame[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        frame[12] = 0x08;
        frame[14] = 0x45;
        frame[16] = 0;
        frame[17] = 50;
        frame[22] = 64;
        frame[23] = 17;
        return frame;
    }

    /** Stops the churn: no new connections, every switch leaves. */
    void stop() {
        stopping = true;
        driver.shutdownNow();
        try {
            driver.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int slot = 0; slot < switches.length(); slot++) {
            EmulatedSwitch sw = switches.getAndSet(slot, null);
            if (sw != null) {
                sw.close();
                departures.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        if (!stopping) {
            stop();
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
