package dev.switchboard.bench.reliability;

import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench soak}: a Switchboard controller (its own process, {@code switchboard.jar
 * controller --apps l2-learning} on loopback) under switch churn for N minutes, while a real OVS
 * bridge it controls carries a ping between two namespaces; then what the controller still
 * holds against the start.
 *
 * <p>Everything it makes carries a per-run prefix ({@code sk} + 4 hex digits) and is removed
 * at the end, on failure and on Ctrl-C (a shutdown hook): the controller process, the private
 * OVS (its own run directory), the namespaces and veths. Traffic stays on loopback and inside
 * the namespaces. Needs root; run it under the OVS lock (one userspace ovs-vswitchd per host).
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Churn soak: emulated switches connect, send packet-ins and leave at random for N minutes "
                + "against a Switchboard controller process, while a private OVS bridge it controls keeps a ping "
                + "going; reports leaked connections, threads, fds and heap after GC against the start, and ping loss.")
public final class SoakBench implements Callable<Integer> {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final double PING_INTERVAL_SECONDS = 0.2;

    @Option(names = "--minutes", paramLabel = "N", description = "Minutes of churn (default ${DEFAULT-VALUE}).")
    double minutes = 3;

    @Option(names = "--switches", paramLabel = "N", description = "Emulated switches churning (default ${DEFAULT-VALUE}).")
    int switches = 200;

    @Option(names = "--jar", paramLabel = "FILE", description = "The controller's jar (default ${DEFAULT-VALUE}).")
    Path jar = Path.of(System.getProperty("switchboard.home", "."), "server/target/switchboard.jar"); // set by the launcher

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the churn (default ${DEFAULT-VALUE}).")
    long seed = 20261204L;

    private final Deque<Runnable> cleanups = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean cleaned = new AtomicBoolean();

    @Override
    public Integer call() throws Exception {
        if (minutes <= 0 || switches < 1) {
            throw new IllegalArgumentException("--minutes and --switches must be positive");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no controller jar at " + jar + " (./switchboard builds it)");
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            throw new IllegalStateException("needs jcmd from a JDK, not found at " + jcmd);
        }
        Thread hook = new Thread(this::cleanUp, "soak-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(jcmd, System.out);
        } finally {
            cleanUp();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
        }
    }

    private int run(Path jcmd, PrintStream out) throws Exception {
        String prefix = "sk" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        Path work = Files.createTempDirectory("sbsoak-");
        cleanups.push(() -> deleteTree(work));
        int port = freePort();

        PrivateOvs ovs = PrivateOvs.start();
        cleanups.push(ovs::close);
        // the controller listens on the OVS's uplink, the address its namespace reaches us at
        String address = ovs.controllerAddress().getHostAddress();
        Process controller = startController(address, port, work.resolve("controller.log"));
        long pid = controller.pid();
        out.printf("soak %s: controller pid %d on %s:%d (l2-learning), log %s%n", prefix, pid, address, port,
                work.resolve("controller.log"));

        String bridge = prefix + "br";
        String[] namespaces = {prefix + "a", prefix + "b"};
        String[] addresses = {"10.231.0.1", "10.231.0.2"};
        for (int i = 0; i < 2; i++) {
            String ns = namespaces[i];
            String outside = ns + "0";
            cleanups.push(() -> Commands.run(List.of("ip", "netns", "del", ns), Map.of(), COMMAND_TIMEOUT));
            cleanups.push(() -> Commands.run(List.of("ip", "link", "del", outside), Map.of(), COMMAND_TIMEOUT));
            ip("netns", "add", ns);
            ip("link", "add", outside, "type", "veth", "peer", "name", ns + "1");
            ip("link", "set", ns + "1", "netns", ns);
            ip("-n", ns, "addr", "add", addresses[i] + "/24", "dev", ns + "1");
            ip("-n", ns, "link", "set", ns + "1", "up");
            ip("-n", ns, "link", "set", "lo", "up");
            ovs.moveIntoNamespace(outside);
        }
        ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "fail_mode=secure",
                "protocols=OpenFlow13", "--", "set-controller", bridge, ovs.controllerTarget(port),
                "--", "add-port", bridge, namespaces[0] + "0", "--", "add-port", bridge, namespaces[1] + "0");
        awaitPing(namespaces[0], addresses[1]);
        out.println("OVS bridge " + bridge + " connected, ping between " + namespaces[0] + " and " + namespaces[1] + " works");

        long churnSeconds = Math.round(minutes * 60);
        Process ping = new ProcessBuilder("ip", "netns", "exec", namespaces[0], "ping", "-q", "-i",
                Double.toString(PING_INTERVAL_SECONDS), "-w", Long.toString(churnSeconds + 15), addresses[1])
                .redirectErrorStream(true).start();
        cleanups.push(ping::destroyForcibly);

        ProcessFigures before = ProcessFigures.of(pid, port, jcmd);
        long started = System.nanoTime();
        int peakConnections = 0;
        int peakThreads = 0;
        Churn churn = new Churn(new InetSocketAddress(ovs.controllerAddress(), port), switches, seed);
        try (churn) {
            churn.start();
            long end = started + TimeUnit.SECONDS.toNanos(churnSeconds);
            while (System.nanoTime() < end) {
                if (!controller.isAlive()) {
                    throw new IllegalStateException("the controller exited during the soak (log " + work + ")");
                }
                peakConnections = Math.max(peakConnections, ProcessFigures.established(port));
                peakThreads = Math.max(peakThreads, ProcessFigures.threads(pid));
                Thread.sleep(1000);
            }
            churn.stop();
        }
        double churnMinutes = (System.nanoTime() - started) / 60e9;
        int left = awaitConnectionsAtMost(port, before.connections());
        if (!ping.waitFor(60, TimeUnit.SECONDS)) {
            ping.destroy();
        }
        String pingOutput = new String(ping.getInputStream().readAllBytes());
        ProcessFigures after = ProcessFigures.of(pid, port, jcmd);

        out.printf("churn: %.1f min, %d switches, %d connections, %d departures, %d packet-ins sent, %d connect failures%n",
                churnMinutes, switches, churn.connections.get(), churn.departures.get(),
                churn.packetIns.get(), churn.connectFailures.get());
        out.printf("peak during churn: %d established connections, %d threads%n", peakConnections, peakThreads);
        out.printf("%-32s %10s %10s %10s%n", "controller (pid " + pid + ")", "start", "end", "delta");
        row(out, "established connections", before.connections(), after.connections());
        row(out, "threads", before.threads(), after.threads());
        row(out, "open fds", before.fds(), after.fds());
        row(out, "heap after GC (KiB)", before.heapAfterGcKb(), after.heapAfterGcKb());
        row(out, "RSS (KiB)", before.rssKb(), after.rssKb());
        out.println("threads that differ (by name): " + ProcessFigures.difference(before.threadNames(), after.threadNames()));
        out.println("fds that differ (by kind): " + ProcessFigures.difference(before.fdKinds(), after.fdKinds()));
        Matcher summary = PING_SUMMARY.matcher(pingOutput);
        if (summary.find()) {
            long sent = Long.parseLong(summary.group(1));
            long received = Long.parseLong(summary.group(2));
            out.printf("ping %s -> %s every %.1f s: %d sent, %d received, %d lost (%.2f %%)%n", namespaces[0],
                    addresses[1], PING_INTERVAL_SECONDS, sent, received, sent - received,
                    sent == 0 ? 0 : 100.0 * (sent - received) / sent);
        } else {
            out.println("ping: no summary: " + pingOutput.strip());
        }
        return left <= before.connections() ? 0 : 1;
    }

    private static void row(PrintStream out, String what, long start, long end) {
        out.printf("%-32s %10d %10d %+10d%n", what, start, end, end - start);
    }

    private Process startController(String address, int port, Path log) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process controller = new ProcessBuilder(java, "-jar", jar.toString(), "controller", "--address", address,
                "--port", Integer.toString(port), "--apps", "l2-learning", "--rest-port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        cleanups.push(() -> stop(controller));
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!controller.isAlive()) {
                throw new IllegalStateException("the controller exited at once: " + Files.readString(log));
            }
            if (Files.readString(log).contains("OpenFlow listening on")) {
                return controller;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the controller did not listen within " + READY_TIMEOUT + " (log " + log + ")");
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitPing(String namespace, String address) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ExecResult ping = Commands.run(List.of("ip", "netns", "exec", namespace, "ping", "-c", "1", "-W", "1", address),
                    Map.of(), COMMAND_TIMEOUT);
            if (ping.exitCode() == 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no ping across the OVS bridge within " + READY_TIMEOUT);
    }

    /** Polls until the controller holds at most {@code expected} established connections; returns the last count. */
    private static int awaitConnectionsAtMost(int port, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        int now = ProcessFigures.established(port);
        while (now > expected && System.nanoTime() < deadline) {
            Thread.sleep(250);
            now = ProcessFigures.established(port);
        }
        return now;
    }

    private static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        return Commands.check(command, Map.of(), COMMAND_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Undoes what the run made, newest first; once, from the end of the run or the shutdown hook. */
    private void cleanUp() {
        if (!cleaned.compareAndSet(false, true)) {
            return;
        }
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().run();
            } catch (RuntimeException e) {
                System.err.println("soak: cleanup step failed: " + e);
            }
        }
    }
}
