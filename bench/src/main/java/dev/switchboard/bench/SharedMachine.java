package dev.switchboard.bench;

import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The machine {@code bench lab} measures on, which others may share: only one userspace
 * {@code ovs-vswitchd} can run on a host, so each OVS start waits (up to {@code --wait}) while
 * another one runs, and a check that fails while another one runs is {@link Interfered} (the
 * machine's fault, measured again) rather than the tool's. Also what the machine's load was
 * ({@code /proc/loadavg}, {@code /proc/pressure/cpu}), for the notes under the results, and
 * how commands are run on it.
 */
final class SharedMachine {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofSeconds(5);

    /** A value and how long making it took. */
    record Timed<T>(T value, Duration took) {
    }

    /** A check failed while another {@code ovs-vswitchd} ran beside ours: the machine's fault, not the tool's. */
    static final class Interfered extends RuntimeException {
        Interfered(String message) {
            super(message);
        }
    }

    private final PrintStream progress;
    private final int waitMinutes;
    /** How often, and how long in all, the benchmark waited for another ovs-vswitchd to stop. */
    private int busyWaits;
    private Duration busyWaited = Duration.ZERO;
    /** Measurements discarded because another ovs-vswitchd broke them. */
    private final List<String> interferences = new ArrayList<>();
    private final List<Double> loads = new ArrayList<>();
    /** Per measurement, the share of its time in which some task waited for a CPU. */
    private final List<Double> pressures = new ArrayList<>();

    SharedMachine(PrintStream progress, int waitMinutes) {
        this.progress = progress;
        this.waitMinutes = waitMinutes;
    }

    /**
     * Starts an OVS once no other {@code ovs-vswitchd} runs, waiting up to {@code --wait} minutes
     * (and again if another one won the race); times only the start that worked.
     */
    <T> Timed<T> startWhenFree(String what, Supplier<T> start) {
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
     * The exception for a failed check: {@link Interfered} if an {@code ovs-vswitchd} other than
     * {@code ovs}'s runs (two userspace OVS break each other), else an {@link IllegalStateException}.
     * Either way {@code ovs}'s {@code ovs-vswitchd.log} is copied to /tmp first, since stopping
     * {@code ovs} removes it.
     */
    RuntimeException checkFailed(String message, Optional<PrivateOvs> ovs, String side) {
        List<Long> ours = ovs.map(PrivateOvs::pids).orElse(List.of());
        List<Long> others = vswitchds().stream().filter(pid -> !ours.contains(pid)).toList();
        String log = ovs.map(o -> keepLog(o.runDirectory().resolve("ovs-vswitchd.log"), side)).orElse("");
        if (!others.isEmpty()) {
            return new Interfered(message + ", while another ovs-vswitchd ran (pid " + others + ")" + log);
        }
        return new IllegalStateException(message + log);
    }

    private static String keepLog(Path log, String side) {
        try {
            Path copy = Files.createTempFile(Path.of("/tmp"), "sbbench-" + side + "-", "-ovs-vswitchd.log");
            Files.copy(log, copy, StandardCopyOption.REPLACE_EXISTING);
            return "; its ovs-vswitchd.log is kept as " + copy;
        } catch (IOException | RuntimeException e) {
            return "; its ovs-vswitchd.log could not be kept: " + e.getMessage();
        }
    }

    /** Notes a measurement that was discarded because another ovs-vswitchd broke it. */
    void interfered(String message) {
        interferences.add(message);
    }

    /** Starts watching one measurement: notes the load average; call the answer when it is done. */
    Watch watch() {
        loads.add(loadAverage());
        return new Watch(cpuPressureMicros(), System.nanoTime());
    }

    /** The CPU pressure during one measurement. */
    final class Watch {
        private final long pressureBefore;
        private final long start;

        private Watch(long pressureBefore, long start) {
            this.pressureBefore = pressureBefore;
            this.start = start;
        }

        /** Ends it: {@code " (CPU pressure N%)"}, or {@code ""} when the kernel does not say. */
        String end() {
            long pressureAfter = cpuPressureMicros();
            if (pressureBefore < 0 || pressureAfter < 0) {
                return "";
            }
            double share = (pressureAfter - pressureBefore) * 1e3 / (System.nanoTime() - start);
            pressures.add(share);
            return String.format(Locale.ROOT, " (CPU pressure %.0f%%)", 100 * share);
        }
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

    /** What the machine was like during the benchmark: others' OVS, discarded measurements, load, CPU pressure. */
    List<String> notes() {
        List<String> lines = new ArrayList<>();
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
        return lines;
    }

    /** Runs a command on this machine; its stdout, or an exception with its stderr when it fails. */
    static String run(List<String> command, Map<String, String> environment) {
        ExecResult result = Commands.run(command, environment, COMMAND_TIMEOUT);
        if (!result.succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                    + result.stderr().strip());
        }
        return result.stdout();
    }

    static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
