package dev.switchboard.bench.openflow;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.curator.test.TestingServer;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./switchboard bench cluster}: a controller cluster under emulated switches. A real
 * ZooKeeper server (curator-test's, in this process), Switchboard instances as processes of their
 * own, and emulated OpenFlow 1.3 switches each connected to all of them. Measures, from the
 * switches' side: how many switches each instance masters, packet-ins answered per second across
 * the cluster against the same switches on one instance, and how long the switches an instance
 * mastered wait for a new master after it is killed (SIGKILL) or stopped (SIGTERM).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {
            "A Switchboard cluster (ZooKeeper, --instances controller processes with l2-learning) under emulated"
                    + " OpenFlow 1.3 switches, each connected to every instance and sending packet-ins to its master only.",
            "Reports the mastership spread (by the switches, checked against GET /api/v1/cluster), packet-ins"
                    + " answered per second by the cluster and by one instance (median of --runs), and the time to"
                    + " rebalance after an instance is killed (SIGKILL) and after another is stopped (SIGTERM).",
            "Every instance and the load generator share this machine: the throughput ratio says what the"
                    + " cluster costs here, not what it gains on machines of their own."
        })
public final class ClusterBench implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(10);

    @Spec
    private CommandSpec spec;

    @Option(names = "--instances", defaultValue = "3", description = "Instances in the cluster (default: ${DEFAULT-VALUE}).")
    private int instanceCount;

    @Option(names = "--switches", defaultValue = "256", description = "Emulated switches (default: ${DEFAULT-VALUE}).")
    private int switchCount;

    @Option(names = "--runs", defaultValue = "3",
            description = "Measured intervals of packet-in load; the median counts (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--seconds", defaultValue = "5", description = "Length of each interval (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--warmup", defaultValue = "3",
            description = "Intervals run first and not counted, at least (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--warmup-answers", defaultValue = "3000000",
            description = "Warm-up goes on until every instance has answered this many packet-ins, so that each JVM's"
                    + " JIT has seen as much work however the load is split (default: ${DEFAULT-VALUE}).")
    private long warmupAnswers;

    @Option(names = "--max-warmup", defaultValue = "12",
            description = "Warm-up also goes on while an interval answers over 10%% more than the one before (the JIT"
                    + " still compiling), up to this many intervals in all (default: ${DEFAULT-VALUE}).")
    private int maxWarmup;

    @Option(names = "--macs", defaultValue = "100", description = "Hosts (source MACs) per switch (default: ${DEFAULT-VALUE}).")
    private int macs;

    @Option(names = "--ports", defaultValue = "16", description = "Ports per switch (default: ${DEFAULT-VALUE}).")
    private int ports;

    @Option(names = "--outstanding", defaultValue = "64",
            description = "Packet-ins in flight per switch at most (default: ${DEFAULT-VALUE}).")
    private int outstanding;

    @Option(names = "--timeout-ms", defaultValue = "5000",
            description = "An unanswered packet-in is given up after this (default: ${DEFAULT-VALUE}).")
    private long timeoutMillis;

    @Option(names = "--session-timeout", defaultValue = "4",
            description = "The instances' ZooKeeper session timeout in seconds, cluster.sessionTimeout (default: ${DEFAULT-VALUE}).")
    private double sessionSeconds;

    @Option(names = "--threads", defaultValue = "1",
            description = "Event loop threads of the emulated switches (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--settle", defaultValue = "3",
            description = "Seconds without a master change after which the mastership counts as settled (default: ${DEFAULT-VALUE}).")
    private double settleSeconds;

    @Option(names = "--patience", defaultValue = "180",
            description = "Seconds any wait (start, mastership, learning, rebalance) may take (default: ${DEFAULT-VALUE}).")
    private int patienceSeconds;

    @Option(names = "--no-baseline", description = "Skip the switches on one instance (a cluster of 1).")
    private boolean noBaseline;

    @Option(names = "--no-graceful", description = "Skip the second rebalance: another instance stopped with SIGTERM"
            + " after the SIGKILL (it needs 3+ instances).")
    private boolean noGraceful;

    @Option(names = "--instance-heap", defaultValue = "512m",
            description = "-Xmx of each instance, as the launcher's controller (default: ${DEFAULT-VALUE}).")
    private String instanceHeap;

    @Option(names = "--instance-cpus", paramLabel = "LIST",
            description = "Run every instance under `taskset -c LIST` (e.g. 1), so that one instance and the cluster get"
                    + " the same CPUs; pin the generator apart with `taskset -c 0 ./switchboard bench cluster …`.")
    private String instanceCpus;

    @Option(names = "--server-jar", description = "The Switchboard jar (default: server/target/switchboard.jar"
            + " under switchboard.home or the working directory).")
    private Path serverJar;

    private PrintWriter out;
    private Path dir;
    private EventLoopGroup group;
    private Class<? extends SocketChannel> channelType;

    /**
     * Packet-ins answered per second, whole and per instance, over the measured intervals; and
     * per CPU second the instances used over them (their processes' user + system time).
     */
    record Throughput(double[] answeredPerSecond, double[][] perInstance, long expired, long masterChanges,
                      double answeredPerCpuSecond, double instanceCpuShare) {
        double median() {
            return Spread.of(answeredPerSecond).median();
        }

        double medianOf(int instance) {
            return Spread.of(Arrays.stream(perInstance).mapToDouble(run -> run[instance]).toArray()).median();
        }
    }

    /**
     * A rebalance from the switches' side.
     *
     * @param orphans switches the instance that left mastered
     * @param millis per orphan, from the kill to its accepting a new master, sorted
     * @param othersRemastered switches mastered by a surviving instance that accepted a master
     *     again (lost it for a while), whether the same or another
     * @param othersMoved of those, how many ended with another master
     * @param settledMillis from the kill until the last switch accepted a master (its last change)
     * @param spreadAfter the settled spread afterwards
     */
    record Rebalance(String how, String instance, int orphans, long[] millis, int othersRemastered, int othersMoved,
                     long settledMillis, int[] spreadAfter) {
        long first() {
            return millis.length == 0 ? 0 : millis[0];
        }

        long median() {
            return millis.length == 0 ? 0 : millis[millis.length / 2];
        }

        long last() {
            return millis.length == 0 ? 0 : millis[millis.length - 1];
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        out = spec.commandLine().getOut();
        quietZooKeeper();
        Path jar = jarPath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": build it (mvn -DskipTests package) or give --server-jar");
        }
        String started = machine();
        say("start: " + started);
        dir = Files.createTempDirectory("switchboard-cluster-bench");
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(threads, io);
        Instant begin = Instant.now();
        try (TestingServer zk = new TestingServer(true)) {
            say("ZooKeeper (curator-test TestingServer) at " + zk.getConnectString() + "; instance logs in " + dir);
            Throughput alone = null;
            if (!noBaseline) {
                say("== one instance (a cluster of 1), " + switchCount + " switches");
                try (ClusterInstances one = startInstances(zk, 1, "/bench-one");
                     ClusterSwitches switches = connectSwitches(one)) {
                    settle(switches, List.of(0));
                    alone = throughput(one, switches, 1);
                }
            }
            say("== " + instanceCount + " instances, " + switchCount + " switches each connected to all");
            try (ClusterInstances cluster = startInstances(zk, instanceCount, "/bench-cluster");
                 ClusterSwitches switches = connectSwitches(cluster)) {
                List<Integer> live = new ArrayList<>(IntStream.range(0, instanceCount).boxed().toList());
                Duration firstMastery = settle(switches, live);
                int[] spread = switches.spread();
                say("spread: " + spreadText(spread) + " (all mastered " + firstMastery.toMillis() + " ms after the last connect)");
                List<String> agreement = crossCheck(cluster, switches, live);
                Throughput together = throughput(cluster, switches, instanceCount);
                List<Rebalance> rebalances = new ArrayList<>();
                rebalances.add(rebalance(cluster, switches, live, 0, true));
                if (!noGraceful && instanceCount >= 3) {
                    rebalances.add(rebalance(cluster, switches, live, 1, false));
                }
                String finished = machine();
                say("end: " + finished);
                report(started, finished, Duration.between(begin, Instant.now()), spread, agreement, alone, together,
                        rebalances);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        return 0;
    }

    /**
     * The ZooKeeper server in this process logs every session at INFO; its warnings are enough
     * here (and the shaded jar may carry a test logging config that lets INFO through).
     */
    private static void quietZooKeeper() {
        for (String name : List.of("org.apache.zookeeper", "org.apache.curator")) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
    }

    private void validate() {
        if (instanceCount < 2) {
            throw new IllegalArgumentException("--instances must be at least 2: " + instanceCount);
        }
        if (switchCount < 1 || runs < 1 || warmup < 0 || maxWarmup < warmup || seconds <= 0 || threads < 1
                || outstanding < 1) {
            throw new IllegalArgumentException("--switches, --runs, --seconds, --threads and --outstanding must be positive,"
                    + " and --max-warmup at least --warmup");
        }
        if (sessionSeconds <= 0) {
            throw new IllegalArgumentException("--session-timeout must be positive: " + sessionSeconds);
        }
    }

    private ClusterInstances startInstances(TestingServer zk, int count, String root) throws Exception {
        ClusterInstances instances = ClusterInstances.start(
                jarPath(), dir, count, zk.getConnectString(), sessionTimeout(), root, List.of("-Xmx" + instanceHeap),
                instanceCpus == null ? List.of() : List.of("taskset", "-c", instanceCpus));
        long t0 = System.nanoTime();
        try {
            instances.awaitReady(patience());
        } catch (RuntimeException | InterruptedException e) {
            instances.close();
            throw e;
        }
        say(String.format(Locale.ROOT, "%d instance(s) ready in %.1f s: %s", count, (System.nanoTime() - t0) / 1e9,
                instances.all().stream().map(i -> i.id() + " openflow " + i.openflowPort() + " rest " + i.restPort())
                        .collect(Collectors.joining(", "))));
        return instances;
    }

    private Path jarPath() {
        return serverJar != null ? serverJar
                : Path.of(System.getProperty("switchboard.home", ".")).resolve("server/target/switchboard.jar");
    }

    private ClusterSwitches connectSwitches(ClusterInstances instances) {
        long t0 = System.nanoTime();
        ClusterSwitches switches = ClusterSwitches.connect(group, channelType,
                instances.all().stream().map(ClusterInstances.Instance::openflow).toList(),
                switchCount, macs, ports, outstanding, timeoutMillis);
        say(String.format(Locale.ROOT, "connected %d switches x %d connections in %.1f s", switchCount,
                instances.all().size(), (System.nanoTime() - t0) / 1e9));
        return switches;
    }

    /**
     * Until every switch has a master and none changed for {@code --settle} seconds.
     *
     * @return from the call until the last switch first had a master
     */
    private Duration settle(ClusterSwitches switches, List<Integer> live) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + patience().toNanos();
        long quiet = (long) (settleSeconds * 1e9);
        long allMasteredAt = 0;
        long changes = switches.masterChanges();
        long lastChange = System.nanoTime();
        while (true) {
            switches.requireConnected(live);
            long now = System.nanoTime();
            long seen = switches.masterChanges();
            if (seen != changes) {
                changes = seen;
                lastChange = now;
            }
            boolean all = Arrays.stream(switches.masters()).allMatch(m -> m != ClusterSwitches.NONE);
            if (all && allMasteredAt == 0) {
                allMasteredAt = now;
            } else if (!all) {
                allMasteredAt = 0;
            }
            if (all && now - lastChange >= quiet) {
                return Duration.ofNanos(allMasteredAt - start);
            }
            if (now > deadline) {
                throw new IllegalStateException("mastership did not settle within " + patience() + ": "
                        + spreadText(switches.spread()));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Each live instance's REST view of the masters against the switches': "n1: 256/256 agree". */
    private List<String> crossCheck(ClusterInstances cluster, ClusterSwitches switches, List<Integer> live)
            throws Exception {
        int[] masters = switches.masters();
        List<String> lines = new ArrayList<>();
        for (int index : live) {
            ClusterInstances.Instance instance = cluster.all().get(index);
            int agree = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                Map<DatapathId, String> seen = cluster.mastersSeenBy(instance);
                agree = 0;
                for (int i = 0; i < masters.length; i++) {
                    String expected = masters[i] == ClusterSwitches.NONE ? null : "n" + (masters[i] + 1);
                    if (expected != null && expected.equals(seen.get(DatapathId.of(i + 1)))) {
                        agree++;
                    }
                }
                if (agree == masters.length) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            } while (System.nanoTime() < deadline);
            String line = instance.id() + ": " + agree + "/" + masters.length;
            lines.add(line);
        }
        say("GET /api/v1/cluster agrees with the switches: " + String.join(", ", lines));
        return lines;
    }

    /** Learning, then the load on every master connection: warm-up and measured intervals. */
    private Throughput throughput(ClusterInstances processes, ClusterSwitches switches, int instances)
            throws InterruptedException {
        List<Integer> live = IntStream.range(0, instances).boxed().toList();
        int hosts = switchCount * macs;
        long start = System.nanoTime();
        long deadline = start + patience().toNanos();
        switches.run(SwitchLoad.Phase.LEARNING);
        SwitchLoad.Counters[] perInstance = new SwitchLoad.Counters[instances];
        SwitchLoad.Counters counters = switches.total(perInstance);
        while (counters.learnedHosts() < hosts && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
            switches.requireConnected(live);
            counters = switches.total(perInstance);
        }
        switches.run(SwitchLoad.Phase.IDLE);
        say(String.format(Locale.ROOT, "learning: %d of %d hosts answered in %.1f s", counters.learnedHosts(), hosts,
                (System.nanoTime() - start) / 1e9));

        long changesBefore = switches.masterChanges();
        switches.run(SwitchLoad.Phase.TRAFFIC);
        SwitchLoad.Counters[] lastPer = new SwitchLoad.Counters[instances];
        SwitchLoad.Counters last = switches.total(lastPer);
        long before = System.nanoTime();
        double[] rates = new double[runs];
        double[][] perRates = new double[runs][instances];
        long expired = 0;
        int warmed = 0;
        int measured = 0;
        double previous = 0;
        long answeredMeasured = 0;
        // learning answers count towards nothing: the warm-up is traffic only
        long warmAnswered = 0;
        long[] answeredBefore = Arrays.stream(lastPer).mapToLong(SwitchLoad.Counters::answered).toArray();
        double measuredSeconds = 0;
        double cpuMeasuredFrom = Double.NaN;
        while (measured < runs) {
            double cpuBefore = processes.cpuSeconds();
            TimeUnit.NANOSECONDS.sleep((long) (seconds * 1e9));
            long now = System.nanoTime();
            SwitchLoad.Counters[] currentPer = new SwitchLoad.Counters[instances];
            SwitchLoad.Counters current = switches.total(currentPer);
            double elapsed = (now - before) / 1e9;
            LoopFigures figures = LoopFigures.between(last, current, elapsed);
            double rate = figures.answeredPerSecond();
            // still warming: the minimum not reached, an instance that has seen little work, or the JIT
            // still compiling (the rate still climbing)
            long leastAnswered = IntStream.range(0, instances)
                    .mapToLong(i -> currentPer[i].answered() - answeredBefore[i]).min().orElse(0);
            boolean warming = measured == 0 && warmed < maxWarmup
                    && (warmed < warmup || leastAnswered < warmupAnswers || warmed > 0 && rate > previous * 1.1);
            String perText = IntStream.range(0, instances)
                    .mapToObj(i -> String.format(Locale.ROOT, "n%d %.0f", i + 1,
                            (currentPer[i].answered() - lastPer[i].answered()) / elapsed))
                    .collect(Collectors.joining(", "));
            if (!warming && measured == 0) {
                say(String.format(Locale.ROOT, "warm-up over: %d intervals, each instance answered %d packet-ins or more",
                        warmed, warmAnswered));
            }
            say(String.format(Locale.ROOT, "%s %d: %.0f packet-ins answered/s (%s), %.0f responses/s, %d given up",
                    warming ? "warm-up" : "run", warming ? warmed + 1 : measured + 1, rate,
                    perText, figures.responsesPerSecond(), figures.expired()));
            if (warming) {
                warmed++;
                warmAnswered = leastAnswered;
            } else {
                rates[measured] = rate;
                for (int i = 0; i < instances; i++) {
                    perRates[measured][i] = (currentPer[i].answered() - lastPer[i].answered()) / elapsed;
                }
                expired += figures.expired();
                answeredMeasured += figures.answered();
                measuredSeconds += elapsed;
                if (measured == 0) {
                    cpuMeasuredFrom = cpuBefore;
                }
                measured++;
            }
            previous = rate;
            switches.requireConnected(live);
            before = now;
            last = current;
            System.arraycopy(currentPer, 0, lastPer, 0, instances);
        }
        switches.run(SwitchLoad.Phase.IDLE);
        long flips = switches.masterChanges() - changesBefore;
        double cpu = processes.cpuSeconds() - cpuMeasuredFrom;
        Throughput result = new Throughput(rates, perRates, expired, flips, answeredMeasured / cpu,
                cpu / measuredSeconds);
        say(String.format(Locale.ROOT, "median %.0f packet-ins answered/s across %d instance(s); master changes during the"
                        + " load: %d; the instances used %.2f cores, %.0f packet-ins answered per CPU second",
                result.median(), instances, flips, result.instanceCpuShare(), result.answeredPerCpuSecond()));
        // outstanding packet-ins drain before anything else is timed
        TimeUnit.MILLISECONDS.sleep(Math.min(timeoutMillis, 2000));
        return result;
    }

    /**
     * Kills ({@code sigkill}) or stops instance {@code victim} and times, from the switches' side,
     * until every switch it mastered accepted a new master; then waits for the mastership to settle.
     */
    private Rebalance rebalance(ClusterInstances cluster, ClusterSwitches switches, List<Integer> live, int victim,
                                boolean sigkill) throws InterruptedException {
        ClusterInstances.Instance instance = cluster.all().get(victim);
        int[] before = switches.masters();
        List<Integer> orphans = IntStream.range(0, before.length).filter(i -> before[i] == victim).boxed().toList();
        String how = sigkill ? "SIGKILL" : "SIGTERM";
        say(String.format(Locale.ROOT, "%s %s, master of %d switches (session timeout %.1f s)", how, instance.id(),
                orphans.size(), sessionSeconds));
        live.remove(Integer.valueOf(victim));
        long t0 = System.nanoTime();
        if (sigkill) {
            cluster.kill(instance);
        } else {
            cluster.stop(instance);
        }
        long deadline = t0 + patience().toNanos();
        long[] millis;
        while (true) {
            int[] now = switches.masters();
            boolean done = true;
            for (int i : orphans) {
                if (now[i] == ClusterSwitches.NONE || now[i] == victim || switches.masterSinceNanos(i + 1) < t0) {
                    done = false;
                    break;
                }
            }
            if (done) {
                millis = orphans.stream().mapToLong(i -> (switches.masterSinceNanos(i + 1) - t0) / 1_000_000).sorted().toArray();
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the switches of " + instance.id() + " had no new master within " + patience());
            }
            TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
        }
        settle(switches, live);
        int[] after = switches.masters();
        int othersMoved = (int) IntStream.range(0, before.length)
                .filter(i -> before[i] != victim && after[i] != before[i]).count();
        int othersRemastered = (int) IntStream.range(0, before.length)
                .filter(i -> before[i] != victim && switches.masterSinceNanos(i + 1) > t0).count();
        long settled = IntStream.range(0, before.length).mapToLong(i -> switches.masterSinceNanos(i + 1) - t0)
                .max().orElse(0) / 1_000_000;
        Rebalance result = new Rebalance(how, instance.id(), orphans.size(), millis, othersRemastered, othersMoved,
                Math.max(0, settled), switches.spread());
        say(String.format(Locale.ROOT, "%s %s: its %d switches had a new master after %d ms (first), %d ms (median),"
                        + " %d ms (all); of the others %d lost their master for a while and %d moved; last master accepted"
                        + " %d ms after; spread now %s", how, instance.id(), orphans.size(), result.first(), result.median(),
                result.last(), othersRemastered, othersMoved, result.settledMillis(), spreadText(result.spreadAfter())));
        return result;
    }

    private void report(String started, String finished, Duration took, int[] spread, List<String> agreement,
                        Throughput alone, Throughput together, List<Rebalance> rebalances) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("## Cluster benchmark (" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", took " + took.toSeconds() + " s)");
        lines.add("");
        lines.add(("- command: `./switchboard bench cluster " + commandArguments()).strip() + "`");
        lines.add("- machine at start: " + started);
        lines.add("- machine at end: " + finished);
        lines.add(String.format(Locale.ROOT, "- %d instances, %d switches (OpenFlow 1.3) each connected to all, %d MACs per"
                        + " switch, %d packet-ins in flight per switch, session timeout %.1f s, instance heap %s, instances on %s",
                instanceCount, switchCount, macs, outstanding, sessionSeconds, instanceHeap,
                instanceCpus == null ? "any CPU" : "CPUs " + instanceCpus + " (taskset)"));
        lines.add("");
        lines.add("| instance | switches mastered (emulator) | REST `/api/v1/cluster` agrees |");
        lines.add("|---|---|---|");
        for (int i = 0; i < instanceCount; i++) {
            lines.add("| n" + (i + 1) + " | " + spread[i] + " | " + agreement.get(i).replaceFirst("^n\\d+: ", "") + " |");
        }
        if (spread[instanceCount] > 0) {
            lines.add("| (none) | " + spread[instanceCount] + " | |");
        }
        lines.add("");
        lines.add(String.format(Locale.ROOT, "| setup | packet-ins answered/s (median of %d x %.0f s) | runs | per instance (median)"
                + " | cores the instances used | answered per instance CPU second | given up | master changes during load |",
                runs, seconds));
        lines.add("|---|---|---|---|---|---|---|---|");
        if (alone != null) {
            lines.add(throughputRow("1 instance", alone, 1));
        }
        lines.add(throughputRow(instanceCount + " instances", together, instanceCount));
        if (alone != null) {
            lines.add("");
            lines.add(String.format(Locale.ROOT, "cluster / one instance: %.2f (answered/s), %.2f (answered per instance CPU second)",
                    together.median() / alone.median(), together.answeredPerCpuSecond() / alone.answeredPerCpuSecond()));
        }
        lines.add("");
        lines.add("| instance leaves | its switches | first new master | median | all | others re-mastered / moved"
                + " | last master accepted | spread after |");
        lines.add("|---|---|---|---|---|---|---|---|");
        for (Rebalance r : rebalances) {
            lines.add(String.format(Locale.ROOT, "| %s %s | %d | %d ms | %d ms | %d ms | %d / %d | %d ms | %s |", r.how(),
                    r.instance(), r.orphans(), r.first(), r.median(), r.last(), r.othersRemastered(), r.othersMoved(),
                    r.settledMillis(), spreadText(r.spreadAfter())));
        }
        lines.forEach(out::println);
        out.flush();
    }

    /** The arguments after {@code cluster}, as given. */
    private String commandArguments() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        int at = args.indexOf("cluster");
        return String.join(" ", args.subList(at + 1, args.size()));
    }

    private String throughputRow(String setup, Throughput t, int instances) {
        String runsText = Arrays.stream(t.answeredPerSecond()).mapToObj(v -> String.format(Locale.ROOT, "%.0f", v))
                .collect(Collectors.joining(", "));
        String per = IntStream.range(0, instances)
                .mapToObj(i -> String.format(Locale.ROOT, "n%d %.0f", i + 1, t.medianOf(i)))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %.2f | %.0f | %d | %d |", setup, t.median(), runsText,
                per, t.instanceCpuShare(), t.answeredPerCpuSecond(), t.expired(), t.masterChanges());
    }

    /** "n1 86, n2 85, n3 85" (and "none 0" when some switch has no master). */
    private static String spreadText(int[] spread) {
        int instances = spread.length - 1;
        String text = IntStream.range(0, instances).mapToObj(i -> "n" + (i + 1) + " " + spread[i])
                .collect(Collectors.joining(", "));
        return spread[instances] > 0 ? text + ", none " + spread[instances] : text;
    }

    /** The date, the load averages and the cores, as {@code uptime} would say them. */
    private static String machine() {
        String load;
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            load = fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException e) {
            load = "unknown";
        }
        // the machine's processors, not this process's: taskset may have narrowed those
        long cores;
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cores = lines.filter(l -> l.startsWith("processor")).count();
        } catch (IOException | UncheckedIOException e) {
            cores = Runtime.getRuntime().availableProcessors();
        }
        return Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", load average " + load + ", " + cores + " cores";
    }

    private Duration sessionTimeout() {
        return Duration.ofMillis((long) (sessionSeconds * 1000));
    }

    private Duration patience() {
        return Duration.ofSeconds(patienceSeconds);
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
