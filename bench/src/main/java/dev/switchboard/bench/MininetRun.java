package dev.switchboard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code mn --topo T --switch ovs,datapath=user --controller remote --test none} run, told
 * apart into up and down by what it prints, and checked. Pure: the caller runs the process and
 * hands over each line with the time it arrived.
 *
 * <p>{@code mn} builds and starts the network, runs the {@code --post} script of
 * {@link #postScript()}, stops the network and exits. The script prints {@value #UP_MARKER}
 * first and {@value #DOWN_MARKER} last, with the checks between them (the OVS interfaces with
 * their port numbers, the number of distinct network namespaces of the hosts). So up is from the
 * start of the process (the Python interpreter and Mininet's imports included, as a user waits
 * for them) to the first marker, down from the second marker to the exit; the checks are in
 * neither.
 */
final class MininetRun {
    static final String UP_MARKER = "sbbench-up";
    static final String DOWN_MARKER = "sbbench-down";
    private static final String NAMESPACES = "sbbench-ns ";
    private static final String INTERFACE = "sbbench-if ";
    /** Mininet catches what goes wrong, prints this, cleans up and still exits with 0. */
    private static final Pattern FAILURE = Pattern.compile("Caught exception|Traceback|Exception:");
    private static final Pattern COMPLETED = Pattern.compile("completed in ([0-9.]+) seconds");

    private MininetRun() {
    }

    /** A line of output and when it arrived ({@link System#nanoTime()}). */
    record Line(long nanos, String text) {
    }

    /**
     * What a run measured and found.
     *
     * @param startup     from the start of the process to its first line (Python and Mininet's imports)
     * @param completedIn what Mininet says it took ("completed in X seconds", from after its imports to
     *                    the end, the checks included), if it said
     */
    record Result(Duration up, Duration down, Duration startup, Optional<Duration> completedIn,
            Map<String, Integer> interfaces, OptionalInt namespaces) {
    }

    /** The command; {@code script} holds {@link #postScript()}. */
    static List<String> command(String topo, Path script) {
        return List.of("mn", "--topo", topo, "--switch", "ovs,datapath=user", "--controller", "remote",
                "--test", "none", "--post", script.toString());
    }

    /**
     * Mininet CLI lines run between up and down: the markers, the OVS interfaces (from
     * {@code ovs-vsctl}, so from OVS, not from Mininet's own bookkeeping), and the number of
     * distinct network namespaces the hosts' shells are in, not counting the root namespace.
     */
    static String postScript() {
        return String.join("\n",
                "py '" + UP_MARKER + "'",
                "sh ovs-vsctl --timeout=30 --format=csv --no-headings --columns=name,ofport list interface"
                        + " | sed 's/^/" + INTERFACE + "/'",
                "py '" + NAMESPACES + "%d' % len({__import__('os').readlink('/proc/%d/ns/net' % h.pid) for h in net.hosts}"
                        + " - {__import__('os').readlink('/proc/self/ns/net')})",
                "py '" + DOWN_MARKER + "'",
                "");
    }

    /**
     * Reads a finished run.
     *
     * @throws IllegalStateException if {@code mn} failed, or did not print both markers
     */
    static Result parse(long startNanos, long exitNanos, int exitCode, List<Line> lines) {
        List<String> failures = lines.stream().map(Line::text).filter(t -> FAILURE.matcher(t).find()).toList();
        if (exitCode != 0 || !failures.isEmpty()) {
            throw new IllegalStateException("mn failed (exit " + exitCode + ")" + (failures.isEmpty() ? ""
                    : ": " + String.join(" | ", failures.subList(0, Math.min(3, failures.size())))) + lastLines(lines));
        }
        Line up = find(lines, UP_MARKER).orElseThrow(() -> new IllegalStateException(
                "mn did not run the --post script (no " + UP_MARKER + ")" + lastLines(lines)));
        Line down = find(lines, DOWN_MARKER).orElseThrow(() -> new IllegalStateException(
                "mn did not finish the --post script (no " + DOWN_MARKER + ")" + lastLines(lines)));
        if (down.nanos() < up.nanos() || exitNanos < down.nanos()) {
            throw new IllegalStateException("mn's markers are out of order");
        }
        Map<String, Integer> interfaces = new LinkedHashMap<>();
        OptionalInt namespaces = OptionalInt.empty();
        Optional<Duration> completedIn = Optional.empty();
        List<String> csv = new ArrayList<>();
        for (Line line : lines) {
            String text = line.text().strip();
            if (text.startsWith(INTERFACE.strip())) {
                csv.add(text.substring(INTERFACE.strip().length()).strip());
            } else if (text.startsWith(NAMESPACES) && text.substring(NAMESPACES.length()).matches("\\d+")) {
                namespaces = OptionalInt.of(Integer.parseInt(text.substring(NAMESPACES.length())));
            }
            Matcher completed = COMPLETED.matcher(text);
            if (completed.find()) {
                completedIn = Optional.of(Duration.ofNanos(Math.round(Double.parseDouble(completed.group(1)) * 1e9)));
            }
        }
        interfaces.putAll(NetworkCheck.interfaces(String.join("\n", csv)));
        Duration startup = lines.isEmpty() ? Duration.ZERO : Duration.ofNanos(lines.get(0).nanos() - startNanos);
        return new Result(Duration.ofNanos(up.nanos() - startNanos), Duration.ofNanos(exitNanos - down.nanos()), startup,
                completedIn, interfaces, namespaces);
    }

    /**
     * Empty if the run built what the topology has: {@code hosts} namespaces and {@code interfaces}
     * OVS interfaces (bridges' own and switch ports), all set up; else what is wrong.
     */
    static String problem(Result result, int hosts, int interfaces) {
        List<String> problems = new ArrayList<>();
        if (result.namespaces().orElse(-1) != hosts) {
            problems.add("expected the hosts in " + hosts + " network namespaces, found "
                    + (result.namespaces().isPresent() ? result.namespaces().getAsInt() : "no count"));
        }
        String ovs = NetworkCheck.interfaceProblem(result.interfaces(), name -> true, interfaces);
        if (!ovs.isEmpty()) {
            problems.add(ovs);
        }
        return String.join("; ", problems);
    }

    private static Optional<Line> find(List<Line> lines, String marker) {
        return lines.stream().filter(l -> l.text().strip().equals(marker)).findFirst();
    }

    private static String lastLines(List<Line> lines) {
        List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size()).stream().map(Line::text).toList();
        return last.isEmpty() ? "; it printed nothing" : "; its last lines: " + String.join(" / ", last);
    }
}
