package dev.switchboard.bench;

import dev.switchboard.bench.LabReport.OvsSample;
import dev.switchboard.bench.LabReport.Sample;
import dev.switchboard.bench.LabReport.Tool;
import dev.switchboard.bench.LabReport.Topo;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.lab.run.LabRunner;
import dev.switchboard.lab.run.LabState;
import dev.switchboard.lab.spec.LabNames;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.NodeRole;
import dev.switchboard.lab.spec.OvsSwitch;
import dev.switchboard.ovsdb.CommandResult;
import dev.switchboard.ovsdb.Commands;
import dev.switchboard.ovsdb.PrivateOvs;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench lab}: brings Mininet topologies up and tears them down again, with Switchboard's
 * labs ({@link LabRunner}, in this process) and with Mininet ({@code mn --test none}), R runs
 * each, interleaved (lab, mn, lab, mn…) so that drift hits both, and prints the medians.
 *
 * <p>What is timed, and why it is fair:
 * <ul>
 *   <li>Neither side's time includes starting or stopping OVS. Mininet needs an OVS that runs; it
 *       gets a {@link PrivateOvs} of its own, started before and stopped after {@code mn}. A lab
 *       uses the labs' shared private OVS, which its first lab starts and its last lab's
 *       {@code down} stops: so around the timed lab a one-host lab ({@value #KEEPER}) is brought
 *       up first and down last, keeping that OVS running through the timed {@code up} and
 *       {@code down}. Both starts and stops are measured and reported apart.</li>
 *   <li>Only one userspace {@code ovs-vswitchd} can run on a host, so the sides run one after the
 *       other, each stopping its OVS before the other starts; before each start the benchmark
 *       waits (up to {@code --wait}) while another {@code ovs-vswitchd} runs.</li>
 *   <li>Each side is checked after up and after down, outside the timed part, with {@code ip} and
 *       {@code ovs-vsctl} (not with Switchboard's code): one network namespace per host, every
 *       switch port and bridge in OVS with an OpenFlow port number; afterwards none of it. A side
 *       that skipped work fails the benchmark instead of looking fast.</li>
 *   <li>The labs' state goes to a fresh directory ({@code --labs-dir}), so the benchmark neither
 *       sees nor disturbs anyone's labs, and the labs' private OVS is its own.</li>
 * </ul>
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Bring Mininet topologies up and down with Switchboard's labs and with Mininet (mn), "
                + "interleaved, and compare the medians and the time per host.")
final class LabBench implements Callable<Integer> {
    static final List<String> DEFAULT_TOPOS = List.of("tree,2,4", "tree,2,8", "tree,3,6");
    /** The timed lab. */
    private static final String LAB = "bench";
    /** The small lab that keeps the labs' private OVS running around the timed one. */
    private static final String KEEPER = "bkeep";
    private static final String KEEPER_TOPO = "single,1";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MN_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration POLL = Duration.ofSeconds(5);
    /** How often one measurement is tried when another OVS broke it. */
    private static final int MAX_ATTEMPTS = 3;
    /** Root-namespace switch ports of Mininet's default naming: {@code s3-eth2}. */
    private static final Pattern MININET_PORT = Pattern.compile("s\\d+-eth\\d+");
    /** Mininet lines worth echoing with their time: phases, its own total, warnings. */
    private static final Pattern MININET_ECHO = Pattern.compile("^\\*\\*\\*|completed in|Caught|Unable|sbbench-(up|down)");

    @Option(names = "--topo", paramLabel = "TOPO",
            description = "A topology as mn --topo takes it (tree,2,8); repeat the option for more. "
                    + "Default: tree,2,4 tree,2,8 tree,3,6.")
    List<String> topos;

    @Option(names = "--runs", paramLabel = "R", description = "Runs of each side per topology; medians are reported "
            + "(default ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--markdown", description = "Also print the results as Markdown tables.")
    boolean markdown;

    @Option(names = "--labs-dir", paramLabel = "DIR",
            description = "State directory of the benchmark's labs (default: a fresh directory under /tmp, removed at "
                    + "the end); -Dswitchboard.labs is ignored.")
    Path labsDir;

    @Option(names = "--wait", paramLabel = "MINUTES",
            description = "How long to wait, before each start of an OVS, while another ovs-vswitchd runs on this "
                    + "host (default ${DEFAULT-VALUE}).")
    int waitMinutes = 10;

    /** A topology to measure: its size and spec, and how many OVS interfaces it makes. */
    private record Planned(Topo topo, LabSpec spec, int interfaces) {
    }

    private record Timed<T>(T value, Duration took) {
    }

    /** A check failed while another {@code ovs-vswitchd} ran beside ours: the machine's fault, not the tool's. */
    private static final class Interfered extends RuntimeException {
        Interfered(String message) {
            super(message);
        }
    }

    private final PrintStream progress = System.err;
    private final TimedLines labLines = new TimedLines(progress);
    private LabRunner runner;
    private LabSpec keeperSpec;
    private final List<Sample> samples = new ArrayList<>();
    private final List<OvsSample> ovsSamples = new ArrayList<>();
    private final List<Duration> mininetStartups = new ArrayList<>();
    private final List<Double> loads = new ArrayList<>();
    /** Per measurement, the share of its time in which some task waited for a CPU. */
    private final List<Double> pressures = new ArrayList<>();
    /** Whether the labs may be up (between the keeper's up and its down); read by the shutdown hook. */
    private volatile boolean labActive;
    /** How often, and how long in all, the benchmark waited for another ovs-vswitchd to stop. */
    private int busyWaits;
    private Duration busyWaited = Duration.ZERO;
    /** Measurements discarded because another ovs-vswitchd broke them. */
    private final List<String> interferences = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<String> names = topos == null || topos.isEmpty() ? DEFAULT_TOPOS : List.copyOf(topos);
        if (runs < 1 || waitMinutes < 0) {
            throw new IllegalArgumentException("--runs must be at least 1 and --wait at least 0");
        }
        if (names.stream().distinct().count() < names.size()) {
            throw new IllegalArgumentException("a topology is given twice: " + names);
        }
        List<Planned> planned = names.stream().map(LabBench::plan).toList();
        if (planned.stream().map(p -> p.topo().hosts()).distinct().count() < planned.size()) {
            throw new IllegalArgumentException("the topologies must differ in their number of hosts (to judge growth): "
                    + planned.stream().map(Planned::topo).toList());
        }
        Path dir = labsDir != null ? labsDir.toAbsolutePath().normalize()
                : Files.createTempDirectory(Path.of("/tmp"), "sblab");
        System.setProperty("switchboard.labs", dir.toString());
        runner = new LabRunner(new HostNetwork(), new PrintStream(labLines, true, StandardCharsets.UTF_8));
        keeperSpec = LabRunner.specOf("topo:" + KEEPER_TOPO, KEEPER, null);
        checkNoLeftovers();
        Thread cleanUp = new Thread(() -> {
            downIfActive();
            if (labsDir == null) {
                deleteIfNoLabs(dir);
            }
        }, "bench-lab-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        progress.println("Labs' state and private OVS in " + dir + "; " + runs + " runs of " + names);
        long started = System.nanoTime();
        try {
            for (int r = 1; r <= runs; r++) {
                for (Planned p : planned) {
                    measure(p, r, Tool.SWITCHBOARD);
                    measure(p, r, Tool.MININET);
                }
            }
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanUp);
            if (labsDir == null) {
                deleteIfNoLabs(dir);
            }
        }
        Duration took = since(started);
        LabReport report = LabReport.of(planned.stream().map(Planned::topo).toList(), samples, ovsSamples);
        System.out.print(report.text());
        System.out.print(notes(took));
        if (markdown) {
            System.out.println();
            System.out.print(report.markdown());
        }
        return 0;
    }

    private static Planned plan(String topo) {
        LabSpec spec = LabRunner.specOf("topo:" + topo, LAB, null);
        if (!spec.switches().stream().allMatch(OvsSwitch.class::isInstance)) {
            throw new IllegalArgumentException("topology " + topo + " has switches other than OVS");
        }
        int switchPorts = (int) spec.wiring().stream().flatMap(w -> Stream.of(w.a(), w.b()))
                .filter(port -> port.role() == NodeRole.SWITCH).count();
        return new Planned(new Topo(topo, spec.hosts().size(), spec.switches().size()), spec,
                spec.switches().size() + switchPorts);
    }

    private void measure(Planned p, int run, Tool tool) {
        loads.add(loadAverage());
        long pressureBefore = cpuPressureMicros();
        long start = System.nanoTime();
        Sample sample = null;
        for (int attempt = 1; sample == null; attempt++) {
            try {
                sample = tool == Tool.SWITCHBOARD ? measureLab(p) : measureMininet(p);
            } catch (Interfered e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage() + "; gave up after " + MAX_ATTEMPTS + " attempts", e);
                }
                interferences.add(e.getMessage());
                progress.println("Discarded, measuring again: " + e.getMessage());
            }
        }
        long pressureAfter = cpuPressureMicros();
        String pressure = "";
        if (pressureBefore >= 0 && pressureAfter >= 0) {
            double share = (pressureAfter - pressureBefore) * 1e3 / (System.nanoTime() - start);
            pressures.add(share);
            pressure = String.format(Locale.ROOT, " (CPU pressure %.0f%%)", 100 * share);
        }
        samples.add(sample);
        progress.printf(Locale.ROOT, "run %d/%d %-10s %-11s up %s s, down %s s, total %s s%s%n", run, runs,
                p.topo().name(), tool.label, Stats.seconds(sample.up()), Stats.seconds(sample.down()),
                Stats.seconds(sample.up().plus(sample.down())), pressure);
    }

    // ---- Switchboard

    /** Keeper lab up (starts the labs' OVS), timed lab up and down with checks, keeper down (stops it). */
    private Sample measureLab(Planned p) {
        labLines.restart();
        labActive = true;
        Timed<Void> keeperUp = startWhenFree("the labs' private OVS", () -> {
            runner.up(keeperSpec, "topo:" + KEEPER_TOPO, null);
            return null;
        });
        Duration up;
        Duration down;
        try {
            expectLab(p, false);
            labLines.restart();
            long start = System.nanoTime();
            runner.up(p.spec(), "topo:" + p.topo().name(), null);
            up = since(start);
            expectLab(p, true);
            labLines.restart();
            start = System.nanoTime();
            if (!runner.down(LAB)) {
                throw new IllegalStateException("lab down found no lab " + LAB);
            }
            down = since(start);
            expectLab(p, false);
        } catch (RuntimeException e) {
            downQuietly(LAB);
            downQuietly(KEEPER);
            labActive = false;
            throw e;
        }
        long start = System.nanoTime();
        runner.down(KEEPER);
        Duration keeperDown = since(start);
        labActive = false;
        if (labOvs().filter(PrivateOvs::isRunning).isPresent()) {
            throw new IllegalStateException("the labs' private OVS still runs after its last lab went down");
        }
        ovsSamples.add(new OvsSample(Tool.SWITCHBOARD, keeperUp.took(), keeperDown));
        return new Sample(p.topo().name(), Tool.SWITCHBOARD, up, down);
    }

    /**
     * Fails unless the timed lab is fully there ({@code present}) or fully gone: one namespace per
     * host, each switch port and bridge an OVS interface with a port number; when gone, also no
     * root-namespace link with the lab's prefix.
     */
    private void expectLab(Planned p, boolean present) {
        LabNames names = LabNames.of(LAB);
        String state = present ? "after up" : "with the lab down";
        long namespaces = NetworkCheck.namespaces(run(List.of("ip", "netns", "list"), Map.of())).stream()
                .filter(names::owns).count();
        int expected = present ? p.topo().hosts() : 0;
        if (namespaces != expected) {
            throw checkFailed(state + ": expected " + expected + " network namespaces " + names.prefix()
                    + "*, `ip netns list` shows " + namespaces, labOvs(), "lab");
        }
        PrivateOvs ovs = labOvs().filter(PrivateOvs::isRunning)
                .orElseThrow(() -> new IllegalStateException(state + ": the labs' private OVS does not run"));
        String problem = NetworkCheck.interfaceProblem(NetworkCheck.interfaces(
                ovs.vsctl("--format=csv", "--no-headings", "--columns=name,ofport", "list", "interface")),
                names::owns, present ? p.interfaces() : 0);
        if (!problem.isEmpty()) {
            throw checkFailed(state + " of " + p.topo().name() + ": " + problem, Optional.of(ovs), "lab");
        }
        if (!present) {
            List<String> links = NetworkCheck.links(run(List.of("ip", "-o", "link", "show"), Map.of())).stream()
                    .filter(names::owns).toList();
            if (!links.isEmpty()) {
                throw checkFailed(state + ": links are left: " + links.subList(0, Math.min(5, links.size())), Optional.of(ovs),
                        "lab");
            }
        }
    }

    /**
     * The exception for a failed check: {@link Interfered} if an {@code ovs-vswitchd} other than
     * {@code ovs}'s runs (two userspace OVS break each other), else an {@link IllegalStateException}.
     * Either way {@code ovs}'s {@code ovs-vswitchd.log} is copied to /tmp first, since stopping
     * {@code ovs} removes it.
     */
    private RuntimeException checkFailed(String message, Optional<PrivateOvs> ovs, String side) {
        List<Long> ours = ovs.map(PrivateOvs::pids).orElse(List.of());
        List<Long> others = vswitchds().stream().filter(pid -> !ours.contains(pid)).toList();
        String log = ovs.map(o -> keepLog(o.runDirectory().resolve("ovs-vswitchd.log"), side)).orElse("");
        if (!others.isEmpty()) {
            return new Interfered(message + ", while another ovs-vswitchd ran (pid " + others + ")" + log);
        }
        return new IllegalStateException(message + log);
    }

    private String keepLog(Path log, String side) {
        try {
            Path copy = Files.createTempFile(Path.of("/tmp"), "sbbench-" + side + "-", "-ovs-vswitchd.log");
            Files.copy(log, copy, StandardCopyOption.REPLACE_EXISTING);
            return "; its ovs-vswitchd.log is kept as " + copy;
        } catch (IOException | RuntimeException e) {
            return "; its ovs-vswitchd.log could not be kept: " + e.getMessage();
        }
    }

    private static Optional<PrivateOvs> labOvs() {
        return PrivateOvs.attach(LabState.directory().resolve("ovs"));
    }

    private void checkNoLeftovers() {
        List<String> namespaces = NetworkCheck.namespaces(run(List.of("ip", "netns", "list"), Map.of()));
        List<String> links = NetworkCheck.links(run(List.of("ip", "-o", "link", "show"), Map.of()));
        for (String lab : List.of(LAB, KEEPER)) {
            LabNames names = LabNames.of(lab);
            List<String> left = Stream.concat(namespaces.stream(), links.stream()).filter(names::owns).toList();
            if (!left.isEmpty()) {
                throw new IllegalStateException("lab " + lab + " has objects left from an earlier run (" + left.get(0)
                        + (left.size() > 1 ? " and " + (left.size() - 1) + " more" : "") + "); remove them with "
                        + "`./switchboard lab down " + lab + "` first");
            }
        }
    }

    /**
     * On Ctrl-C (a shutdown hook): takes the labs down if a lab side was running, so that neither
     * they nor the labs' private OVS, which would block everyone else's OVS, stay behind. Best
     * effort: the main thread may still be working on them.
     */
    private void downIfActive() {
        if (labActive) {
            downQuietly(LAB);
            downQuietly(KEEPER);
        }
    }

    private void downQuietly(String lab) {
        try {
            runner.down(lab);
        } catch (RuntimeException e) {
            progress.println("Could not take lab " + lab + " down: " + e.getMessage());
        }
    }

    // ---- Mininet

    /** A private OVS, mn with it, the checks, the OVS stopped. */
    private Sample measureMininet(Planned p) {
        Timed<PrivateOvs> started = startWhenFree("a private OVS for Mininet", PrivateOvs::start);
        PrivateOvs ovs = started.value();
        MininetRun.Result result;
        try {
            List<String> before = mininetLeftovers(ovs);
            if (!before.isEmpty()) {
                throw new IllegalStateException("links of another Mininet run exist (" + before.get(0) + "…); if that "
                        + "run is over, remove them with `mn -c`");
            }
            Path script = ovs.runDirectory().resolve("sbbench-post.mn");
            Files.writeString(script, MininetRun.postScript());
            try {
                result = runMn(p.topo().name(), script, ovs.environment());
                String problem = MininetRun.problem(result, p.topo().hosts(), p.interfaces());
                if (!problem.isEmpty()) {
                    throw checkFailed("mn after up, " + p.topo().name() + ": " + problem, Optional.of(ovs), "mn");
                }
                List<String> after = mininetLeftovers(ovs);
                if (!after.isEmpty()) {
                    throw checkFailed("mn left " + after.size() + " bridges or links behind, e.g. " + after.get(0),
                            Optional.of(ovs), "mn");
                }
            } catch (RuntimeException e) {
                cleanUpMininet(ovs);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            long start = System.nanoTime();
            ovs.close();
            ovsSamples.add(new OvsSample(Tool.MININET, started.took(), since(start)));
        }
        mininetStartups.add(result.startup());
        return new Sample(p.topo().name(), Tool.MININET, result.up(), result.down());
    }

    /** Runs mn, echoing its phase lines with the time since it started; kills it after {@link #MN_TIMEOUT}. */
    private MininetRun.Result runMn(String topo, Path script, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(MininetRun.command(topo, script));
        command.set(0, Commands.executable(command.get(0)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        builder.environment().put("PYTHONUNBUFFERED", "1");
        List<MininetRun.Line> lines = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        Process process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    long now = System.nanoTime();
                    lines.add(new MininetRun.Line(now, line));
                    if (MININET_ECHO.matcher(line).find()) {
                        progress.printf(Locale.ROOT, "  [+%7.3f s] mn: %s%n", (now - start) / 1e9, line.strip());
                    }
                }
            } catch (IOException e) {
                progress.println("Reading mn's output failed: " + e.getMessage());
            }
        }, "mn-output");
        reader.setDaemon(true);
        reader.start();
        boolean exited;
        try {
            exited = process.waitFor(MN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        long exit = System.nanoTime();
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("mn did not finish within " + MN_TIMEOUT.toMinutes() + " minutes; killed");
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return MininetRun.parse(start, exit, process.exitValue(), List.copyOf(lines));
    }

    /** Bridges in the private OVS, and root-namespace links named as Mininet names switch ports. */
    private List<String> mininetLeftovers(PrivateOvs ovs) {
        List<String> left = new ArrayList<>(ovs.vsctl("list-br").lines().filter(l -> !l.isBlank()).toList());
        NetworkCheck.links(run(List.of("ip", "-o", "link", "show"), Map.of())).stream()
                .filter(name -> MININET_PORT.matcher(name).matches()).forEach(left::add);
        return left;
    }

    /**
     * {@code mn -c}, only when a failed run left something behind: it cleans machine-wide (kills
     * every {@code ping}, {@code mnexec} and Mininet host, deletes every {@code *-ethN} link and
     * {@code /tmp/*.log}), which would break others' tests on a shared machine.
     */
    private void cleanUpMininet(PrivateOvs ovs) {
        try {
            List<String> left = mininetLeftovers(ovs);
            if (left.isEmpty()) {
                return;
            }
            progress.println("mn left " + left.size() + " bridges or links behind; running mn -c");
            run(List.of("mn", "-c"), ovs.environment());
        } catch (RuntimeException e) {
            progress.println("Cleaning up after mn failed: " + e.getMessage());
        }
    }

    // ---- a busy machine

    /**
     * Starts an OVS once no other {@code ovs-vswitchd} runs, waiting up to {@code --wait} minutes
     * (and again if another one won the race); times only the start that worked.
     */
    private <T> Timed<T> startWhenFree(String what, Supplier<T> start) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(waitMinutes);
        while (true) {
            awaitNoOtherVswitchd(what, deadline);
            long begin = System.nanoTime();
            try {
                return new Timed<>(start.get(), since(begin));
            } catch (IllegalStateException e) {
                if (!String.valueOf(e.getMessage()).contains("already running") || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                progress.println("Another ovs-vswitchd started first; waiting again");
            }
        }
    }

    private void awaitNoOtherVswitchd(String what, long deadline) {
        List<Long> others = vswitchds();
        if (others.isEmpty()) {
            return;
        }
        long begin = System.nanoTime();
        busyWaits++;
        progress.println("Another ovs-vswitchd runs (pid " + others + "); waiting before starting " + what);
        try {
            while (!(others = vswitchds()).isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the machine is busy: ovs-vswitchd (pid " + others + ") still runs "
                            + "after waiting " + waitMinutes + " minutes (--wait); only one userspace OVS can run at a time");
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another ovs-vswitchd to stop", e);
        } finally {
            busyWaited = busyWaited.plus(since(begin));
        }
    }

    private static List<Long> vswitchds() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/ovs-vswitchd")).orElse(false))
                .map(ProcessHandle::pid).sorted().toList();
    }

    /**
     * Microseconds in which some task waited for a CPU since boot ({@code /proc/pressure/cpu},
     * "some total"), or -1 if the kernel does not say.
     */
    private static long cpuPressureMicros() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/pressure/cpu"))) {
                if (line.startsWith("some ")) {
                    for (String field : line.split("\\s+")) {
                        if (field.startsWith("total=")) {
                            return Long.parseLong(field.substring("total=".length()));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no PSI on this kernel
        }
        return -1;
    }

    /** The 1-minute load average, or -1 if unknown. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private String notes(Duration took) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "The benchmark took %.0f s.", took.toMillis() / 1e3));
        lines.add(busyWaits == 0 ? "No other ovs-vswitchd ran whenever an OVS was about to start."
                : String.format(Locale.ROOT, "The machine was shared: %d times another ovs-vswitchd ran when an OVS was "
                        + "about to start; waited %.0f s in all.", busyWaits, busyWaited.toMillis() / 1e3));
        if (!interferences.isEmpty()) {
            lines.add(interferences.size() + " measurements were discarded and repeated because another ovs-vswitchd "
                    + "started beside ours and broke its checks; the first: " + interferences.get(0));
        }
        double low = loads.stream().mapToDouble(Double::doubleValue).min().orElse(-1);
        double high = loads.stream().mapToDouble(Double::doubleValue).max().orElse(-1);
        lines.add(String.format(Locale.ROOT, "1-minute load average before the measurements: %.2f to %.2f.", low, high));
        if (!pressures.isEmpty()) {
            List<Double> sorted = pressures.stream().sorted().toList();
            lines.add(String.format(Locale.ROOT, "CPU pressure during the measurements (share of the time some task "
                    + "waited for a CPU, /proc/pressure/cpu; the measured work's own tasks count too): median %.0f%%, "
                    + "highest %.0f%%.", 100 * sorted.get(sorted.size() / 2), 100 * sorted.get(sorted.size() - 1)));
        }
        if (!mininetStartups.isEmpty()) {
            lines.add("mn's startup (process start to its first line: Python and Mininet's imports; part of Mininet's up): "
                    + "median " + Stats.seconds(Stats.median(mininetStartups)) + " s.");
        }
        return String.join("\n", lines) + "\n";
    }

    // ---- helpers

    private static String run(List<String> command, Map<String, String> environment) {
        CommandResult result = Commands.run(command, environment, COMMAND_TIMEOUT);
        if (!result.succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                    + result.stderr().strip());
        }
        return result.stdout();
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Deletes the labs directory the benchmark made, with what the lab code keeps there besides
     * labs (a lock file, say), unless a lab's state or the labs' private OVS is still in it.
     */
    private void deleteIfNoLabs(Path dir) {
        if (!LabState.labs().isEmpty() || labOvs().isPresent()) {
            progress.println("Left " + dir + " in place: it still holds a lab or the labs' private OVS");
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException | UncheckedIOException e) {
            progress.println("Could not remove " + dir + ": " + e.getMessage());
        }
    }

    /** Lines written to it go to {@code target} prefixed with the seconds since {@link #restart()}. */
    static final class TimedLines extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private volatile long origin = System.nanoTime();

        TimedLines(PrintStream target) {
            this.target = target;
        }

        void restart() {
            origin = System.nanoTime();
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                target.printf(Locale.ROOT, "  [+%7.3f s] %s%n", (System.nanoTime() - origin) / 1e9,
                        line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
