package dev.switchboard.bench;

import static dev.switchboard.bench.SharedMachine.run;
import static dev.switchboard.bench.SharedMachine.since;

import dev.switchboard.bench.LabBench.Planned;
import dev.switchboard.bench.LabReport.OvsSample;
import dev.switchboard.bench.LabReport.Sample;
import dev.switchboard.bench.LabReport.Tool;
import dev.switchboard.bench.SharedMachine.Timed;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Mininet's side of {@code bench lab}: {@code mn --test none} on a {@link PrivateOvs} of its own,
 * started before and stopped after {@code mn} (its start and stop measured apart), the up and
 * down times read from mn's output ({@link MininetRun}), and the network checked with {@code ip}
 * and {@code ovs-vsctl}.
 */
final class MininetSide {
    private static final Duration MN_TIMEOUT = Duration.ofMinutes(30);
    /** Root-namespace switch ports of Mininet's default naming: {@code s3-eth2}. */
    private static final Pattern MININET_PORT = Pattern.compile("s\\d+-eth\\d+");
    /** Mininet lines worth echoing with their time: phases, its own total, warnings. */
    private static final Pattern MININET_ECHO = Pattern.compile("^\\*\\*\\*|completed in|Caught|Unable|sbbench-(up|down)");

    private final PrintStream progress;
    private final SharedMachine machine;
    private final List<OvsSample> ovsSamples = new ArrayList<>();
    private final List<Duration> startups = new ArrayList<>();

    MininetSide(PrintStream progress, SharedMachine machine) {
        this.progress = progress;
        this.machine = machine;
    }

    /** The starts and stops of Mininet's private OVS so far. */
    List<OvsSample> ovsSamples() {
        return List.copyOf(ovsSamples);
    }

    /** mn's startups (process start to its first line: Python and Mininet's imports) so far. */
    List<Duration> startups() {
        return List.copyOf(startups);
    }

    /** A private OVS, mn with it, the checks, the OVS stopped. */
    Sample measure(Planned p) {
        Timed<PrivateOvs> started = machine.startWhenFree("a private OVS for Mininet", PrivateOvs::start);
        PrivateOvs ovs = started.value();
        MininetRun.Result result;
        try {
            List<String> before = leftovers(ovs);
            if (!before.isEmpty()) {
                throw new IllegalStateException("links of another Mininet run exist (" + before.get(0) + "…); if that "
                        + "run is over, remove them with `mn -c`");
            }
            Path script = ovs.runDirectory().resolve("sbbench-post.mn");
            Files.writeString(script, MininetRun.postScript());
            try {
                result = runMn(p.topo().name(), script, ovs);
                String problem = MininetRun.problem(result, p.topo().hosts(), p.interfaces());
                if (!problem.isEmpty()) {
                    throw machine.checkFailed("mn after up, " + p.topo().name() + ": " + problem, Optional.of(ovs), "mn");
                }
                List<String> after = leftovers(ovs);
                if (!after.isEmpty()) {
                    throw machine.checkFailed("mn left " + after.size() + " bridges or links behind, e.g. " + after.get(0),
                            Optional.of(ovs), "mn");
                }
            } catch (RuntimeException e) {
                cleanUp(ovs);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            long start = System.nanoTime();
            ovs.close();
            ovsSamples.add(new OvsSample(Tool.MININET, started.took(), since(start)));
        }
        startups.add(result.startup());
        return new Sample(p.topo().name(), Tool.MININET, result.up(), result.down());
    }

    /** Runs mn, echoing its phase lines with the time since it started; kills it after {@link #MN_TIMEOUT}. */
    private MininetRun.Result runMn(String topo, Path script, PrivateOvs ovs) throws IOException {
        // inside the OVS's namespace: the switch ports mn makes must be where its ovs-vswitchd runs
        List<String> command = new ArrayList<>(ovs.inNamespace(MininetRun.command(topo, script)));
        command.set(0, Commands.executable(command.get(0)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(ovs.environment());
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

    /** Bridges in the private OVS, and links in its namespace named as Mininet names switch ports. */
    private static List<String> leftovers(PrivateOvs ovs) {
        List<String> left = new ArrayList<>(ovs.vsctl("list-br").lines().filter(l -> !l.isBlank()).toList());
        NetworkCheck.links(run(List.of("ip", "-n", ovs.namespace(), "-o", "link", "show"), Map.of())).stream()
                .filter(name -> MININET_PORT.matcher(name).matches()).forEach(left::add);
        return left;
    }

    /**
     * {@code mn -c}, only when a failed run left something behind: it cleans machine-wide (kills
     * every {@code ping}, {@code mnexec} and Mininet host, deletes every {@code *-ethN} link and
     * {@code /tmp/*.log}), which would break others' tests on a shared machine.
     */
    private void cleanUp(PrivateOvs ovs) {
        try {
            List<String> left = leftovers(ovs);
            if (left.isEmpty()) {
                return;
            }
            progress.println("mn left " + left.size() + " bridges or links behind; running mn -c");
            run(ovs.inNamespace(List.of("mn", "-c")), ovs.environment());
        } catch (RuntimeException e) {
            progress.println("Cleaning up after mn failed: " + e.getMessage());
        }
    }
}
