package dev.switchboard.bench.openflow;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * A cbench-like OpenFlow load generator: emulated switches connect to a controller, finish the
 * handshake, teach it every host (one broadcast packet-in per MAC, until each was answered), then
 * send packet-ins in loops and count what comes back.
 *
 * <p>Runs on its own event loop group (epoll when available); {@link #run} blocks the calling
 * thread, which only starts phases and reads counters between loops.
 */
public final class LoadGenerator {
    private static final Duration POLL = Duration.ofMillis(100);

    private final LoadOptions options;
    private final Consumer<String> progress;
    private Duration holdAfterLoops = Duration.ZERO;

    /** @param progress told one line per phase and per loop */
    public LoadGenerator(LoadOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * The outcome of a run.
     *
     * @param learnedHosts hosts whose broadcast was answered in the learning phase, of {@code
     *     totalHosts}
     * @param warmup the loops not counted
     * @param measured the loops that count
     */
    public record Result(LoadOptions options, int learnedHosts, int totalHosts, List<LoopFigures> warmup,
                         List<LoopFigures> measured) {

        Spread responsesPerSecond() {
            return Spread.of(measured.stream().mapToDouble(LoopFigures::responsesPerSecond).toArray());
        }

        Spread answeredPerSecond() {
            return Spread.of(measured.stream().mapToDouble(LoopFigures::answeredPerSecond).toArray());
        }

        /** The round trips of all measured loops. */
        LatencyHistogram latency() {
            LatencyHistogram all = new LatencyHistogram();
            measured.forEach(loop -> all.add(loop.latency()));
            return all;
        }

        long total(java.util.function.ToLongFunction<LoopFigures> field) {
            return measured.stream().mapToLong(field).sum();
        }
    }

    /**
     * Connects the switches, learns, runs the loops and disconnects.
     *
     * @throws IllegalStateException if a switch cannot connect, the handshake does not finish, or
     *     the controller closes a connection
     */
    /**
     * Keeps the switches connected, idle, this long after the last loop, so that a script can
     * look at the controller while it still holds their state (bench/scaling.sh reads its heap
     * then: a learning switch forgets a switch's MACs once it disconnects).
     */
    public LoadGenerator holdAfterLoops(Duration hold) {
        this.holdAfterLoops = hold;
        return this;
    }

    public Result run() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends SocketChannel> channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.threads(), io);
        List<EmulatedSwitch> switches = new ArrayList<>();
        List<SwitchLoad> loads = new ArrayList<>();
        try {
            progress.accept(String.format("connecting %d switches (OpenFlow %s, %s) to %s",
                    options.switches(), versionName(options.version()), epoll ? "epoll" : "nio",
                    options.controller()));
            for (int number = 1; number <= options.switches(); number++) {
                PacketIns packets = PacketIns.build(options.version(), number, options.macs(), options.ports());
                SwitchLoad load = new SwitchLoad(
                        packets, number, options.outstandingPerSwitch(), options.timeout().toMillis());
                EmulatedSwitch sw = EmulatedSwitch.prepare(switchOptions(number))
                        .withFrameHandler(load)
                        .connectTo(group, channelType, options.controller());
                switches.add(sw);
                loads.add(load);
            }
            awaitHandshakes(switches);
            learn(loads, switches);
            loads.forEach(load -> load.start(SwitchLoad.Phase.TRAFFIC));
            List<LoopFigures> warmup = new ArrayList<>();
            List<LoopFigures> measured = new ArrayList<>();
            long before = System.nanoTime();
            SwitchLoad.Counters last = total(loads);
            int all = options.warmupLoops() + options.loops();
            for (int loop = 1; loop <= all; loop++) {
                TimeUnit.NANOSECONDS.sleep(options.loopLength().toNanos());
                long now = System.nanoTime();
                SwitchLoad.Counters current = total(loads);
                LoopFigures figures = LoopFigures.between(last, current, (now - before) / 1e9);
                boolean warming = loop <= options.warmupLoops();
                (warming ? warmup : measured).add(figures);
                progress.accept(Report.loopLine(warming ? "warm-up" : "loop",
                        warming ? loop : loop - options.warmupLoops(),
                        warming ? options.warmupLoops() : options.loops(), options.switches(), figures));
                requireConnected(switches);
                before = now;
                last = current;
            }
            loads.forEach(SwitchLoad::stop);
            if (!holdAfterLoops.isZero()) {
                progress.accept(String.format("holding %d switches connected for %.1f s",
                        options.switches(), holdAfterLoops.toNanos() / 1e9));
                TimeUnit.NANOSECONDS.sleep(holdAfterLoops.toNanos());
            }
            int learned = last.learnedHosts();
            return new Result(options, learned, options.switches() * options.macs(), warmup, measured);
        } finally {
            switches.forEach(EmulatedSwitch::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private EmulatedSwitchOptions switchOptions(int number) {
        OFVersion version = options.version();
        return EmulatedSwitchOptions.builder()
                .datapathId(DatapathId.of(number))
                .helloVersion(version)
                .supportedVersions(version)
                .sendVersionBitmap(version.compareTo(OFVersion.OF_13) >= 0)
                .portCount(options.ports())
                .build();
    }

    /** Until every switch got FEATURES_REQUEST (and so answered it) in the version asked for. */
    private void awaitHandshakes(List<EmulatedSwitch> switches) throws InterruptedException {
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        while (true) {
            requireConnected(switches);
            long ready = switches.stream()
                    .filter(sw -> sw.negotiatedVersion() == options.version())
                    .filter(sw -> !sw.received(OFFeaturesRequest.class).isEmpty())
                    .count();
            if (ready == switches.size()) {
                switches.forEach(EmulatedSwitch::clearReceived);
                progress.accept("handshake done: " + ready + " switches");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format(
                        "only %d of %d switches got FEATURES_REQUEST in OpenFlow %s within %s",
                        ready, switches.size(), versionName(options.version()), options.connectTimeout()));
            }
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
        }
    }

    /** cbench's learning: each host's broadcast until the controller answered it once. */
    private void learn(List<SwitchLoad> loads, List<EmulatedSwitch> switches) throws InterruptedException {
        int hosts = options.switches() * options.macs();
        long start = System.nanoTime();
        long deadline = start + options.learnTimeout().toNanos();
        loads.forEach(load -> load.start(SwitchLoad.Phase.LEARNING));
        SwitchLoad.Counters counters = total(loads);
        while (counters.learnedHosts() < hosts && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
            requireConnected(switches);
            counters = total(loads);
        }
        loads.forEach(SwitchLoad::stop);
        progress.accept(String.format("learning: %d of %d hosts answered in %.1f s (%d packet-ins, %d given up)",
                counters.learnedHosts(), hosts, (System.nanoTime() - start) / 1e9, counters.sent(),
                counters.expired()));
    }

    private static void requireConnected(List<EmulatedSwitch> switches) {
        for (EmulatedSwitch sw : switches) {
            if (!sw.isConnected()) {
                throw new IllegalStateException("the controller closed the connection of switch " + sw.datapathId());
            }
        }
    }

    /** Every switch's counters added up; read on each switch's event loop. */
    private static SwitchLoad.Counters total(List<SwitchLoad> loads) {
        List<CompletableFuture<SwitchLoad.Counters>> snapshots = loads.stream().map(SwitchLoad::snapshot).toList();
        long sent = 0;
        long answered = 0;
        long flowMods = 0;
        long packetOuts = 0;
        long unmatched = 0;
        long expired = 0;
        int learned = 0;
        LatencyHistogram latency = new LatencyHistogram();
        for (CompletableFuture<SwitchLoad.Counters> snapshot : snapshots) {
            SwitchLoad.Counters c = snapshot.join();
            sent += c.sent();
            answered += c.answered();
            flowMods += c.flowMods();
            packetOuts += c.packetOuts();
            unmatched += c.unmatched();
            expired += c.expired();
            learned += c.learnedHosts();
            latency.add(c.latency());
        }
        return new SwitchLoad.Counters(sent, answered, flowMods, packetOuts, unmatched, expired, learned, latency);
    }

    static String versionName(OFVersion version) {
        return version == OFVersion.OF_10 ? "1.0" : version == OFVersion.OF_13 ? "1.3" : version.toString();
    }
}
