package dev.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What {@code bench lab} measured, and its tables: per topology and tool the median times to
 * bring a lab up and to tear it down, Switchboard's time against Mininet's (the target:
 * at most half), and the time per host across sizes, total and up alone, to judge whether it
 * grows linearly. As
 * plain text and as Markdown. Pure, so it is tested without OVS or Mininet.
 */
final class LabReport {

    /** Switchboard's total may take at most this share of Mininet's. */
    static final double TARGET_RATIO = 0.5;
    /**
     * Growth counts as linear while the time grows at most as fast as hosts to this power
     * (see {@link Growth#exponents()}); the slack above 1 absorbs run-to-run noise.
     */
    static final double LINEAR_EXPONENT = 1.1;

    /** The two sides, in the order they run. */
    enum Tool {
        SWITCHBOARD("Switchboard"),
        MININET("Mininet");

        final String label;

        Tool(String label) {
            this.label = label;
        }
    }

    /** A topology as {@code mn --topo} names it ({@code tree,2,8}), with its size. */
    record Topo(String name, int hosts, int switches) {
        Topo {
            if (hosts < 1) {
                throw new IllegalArgumentException("topology " + name + " has no hosts");
            }
        }
    }

    /** One run of one tool on one topology: the time to bring the network up, then down. */
    record Sample(String topo, Tool tool, Duration up, Duration down) {
    }

    /**
     * One start and stop of the OVS a tool used, which both tools' times leave out (Mininet's
     * needs an OVS that runs; a lab's private OVS is kept up by a small lab around the timed one).
     */
    record OvsSample(Tool tool, Duration start, Duration stop) {
    }

    /** A tool's median up and down times on a topology; total is their sum. */
    record Summary(Topo topo, Tool tool, int runs, Duration up, Duration down) {
        Duration total() {
            return up.plus(down);
        }

        /** The total per host. */
        Duration perHost() {
            return total().dividedBy(topo.hosts());
        }
    }

    /**
     * What a growth is computed from: the total (up and down, the benchmark's measure) or the
     * bring-up alone, which is what a user waits for before the lab can be used.
     */
    enum Phase {
        TOTAL("total", Summary::total),
        UP("up alone", Summary::up);

        final String label;
        private final Function<Summary, Duration> time;

        Phase(String label, Function<Summary, Duration> time) {
            this.label = label;
            this.time = time;
        }

        Duration of(Summary summary) {
            return time.apply(summary);
        }

        Duration perHost(Summary summary) {
            return of(summary).dividedBy(summary.topo().hosts());
        }
    }

    /** Switchboard's times divided by Mininet's on one topology. */
    record Ratio(Topo topo, double total, double up, double down) {
        boolean met() {
            return total <= TARGET_RATIO;
        }
    }

    /**
     * How a tool's time (the total, or up alone: {@code phase}) grows with the number of hosts:
     * the summary of each topology, smallest first, and between each two neighbours the exponent
     * e of {@code time2 / time1 = (hosts2 / hosts1)^e}: 1 is linear, below 1 grows slower (fixed
     * costs spread over more hosts), above 1 faster.
     */
    record Growth(Tool tool, Phase phase, List<Summary> bySize, List<Double> exponents) {
        /** Whether no step grows faster than {@link #LINEAR_EXPONENT}. */
        boolean linear() {
            return exponents.stream().allMatch(e -> e <= LINEAR_EXPONENT);
        }

        /** Over the whole range, smallest to largest; empty with fewer than two sizes. */
        OptionalDouble overall() {
            if (bySize.size() < 2) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(exponent(phase, bySize.get(0), bySize.get(bySize.size() - 1)));
        }
    }

    private final List<Topo> topos;
    private final Map<Tool, Map<String, Summary>> summaries;
    private final Map<Tool, List<OvsSample>> ovsSamples;

    private LabReport(List<Topo> topos, Map<Tool, Map<String, Summary>> summaries, Map<Tool, List<OvsSample>> ovsSamples) {
        this.topos = topos;
        this.summaries = summaries;
        this.ovsSamples = ovsSamples;
    }

    /**
     * Medians per topology and tool; every tool needs at least one sample of every topology.
     * Topologies must have different numbers of hosts, so that growth between them is defined.
     */
    static LabReport of(List<Topo> topos, List<Sample> samples, List<OvsSample> ovsSamples) {
        if (topos.isEmpty()) {
            throw new IllegalArgumentException("no topology");
        }
        if (topos.stream().map(Topo::hosts).distinct().count() < topos.size()) {
            throw new IllegalArgumentException("topologies must differ in their number of hosts: " + topos);
        }
        Map<Tool, Map<String, Summary>> summaries = new EnumMap<>(Tool.class);
        for (Tool tool : Tool.values()) {
            Map<String, Summary> byTopo = new LinkedHashMap<>();
            for (Topo topo : topos) {
                List<Sample> mine = samples.stream().filter(s -> s.tool() == tool && s.topo().equals(topo.name())).toList();
                if (mine.isEmpty()) {
                    throw new IllegalArgumentException("no sample of " + tool.label + " on " + topo.name());
                }
                byTopo.put(topo.name(), new Summary(topo, tool, mine.size(),
                        Stats.median(mine.stream().map(Sample::up).toList()),
                        Stats.median(mine.stream().map(Sample::down).toList())));
            }
            summaries.put(tool, byTopo);
        }
        Map<Tool, List<OvsSample>> ovs = new EnumMap<>(Tool.class);
        for (Tool tool : Tool.values()) {
            ovs.put(tool, ovsSamples.stream().filter(s -> s.tool() == tool).toList());
        }
        return new LabReport(List.copyOf(topos), summaries, ovs);
    }

    Summary summary(String topo, Tool tool) {
        Summary summary = summaries.get(tool).get(topo);
        if (summary == null) {
            throw new IllegalArgumentException("no topology " + topo);
        }
        return summary;
    }

    /** Switchboard against Mininet, per topology, in the order given. */
    List<Ratio> ratios() {
        return topos.stream().map(topo -> {
            Summary ours = summary(topo.name(), Tool.SWITCHBOARD);
            Summary theirs = summary(topo.name(), Tool.MININET);
            return new Ratio(topo, divide(ours.total(), theirs.total()), divide(ours.up(), theirs.up()),
                    divide(ours.down(), theirs.down()));
        }).toList();
    }

    /** How the tool's total grows. */
    Growth growth(Tool tool) {
        return growth(tool, Phase.TOTAL);
    }

    Growth growth(Tool tool, Phase phase) {
        List<Summary> bySize = topos.stream().sorted(Comparator.comparingInt(Topo::hosts))
                .map(topo -> summary(topo.name(), tool)).toList();
        List<Double> exponents = new ArrayList<>();
        for (int i = 1; i < bySize.size(); i++) {
            exponents.add(exponent(phase, bySize.get(i - 1), bySize.get(i)));
        }
        return new Growth(tool, phase, bySize, List.copyOf(exponents));
    }

    private static double exponent(Phase phase, Summary smaller, Summary larger) {
        return Math.log(divide(phase.of(larger), phase.of(smaller)))
                / Math.log((double) larger.topo().hosts() / smaller.topo().hosts());
    }

    private static double divide(Duration top, Duration bottom) {
        return (double) top.toNanos() / bottom.toNanos();
    }

    // ---- text

    /** Tables for people: medians per topology and tool, the ratios, the growth, the OVS left out. */
    String text() {
        List<String> lines = new ArrayList<>();
        lines.add("Labs: up and down of Mininet topologies, Switchboard (LabRunner, in-process) against Mininet "
                + "(mn --test none); medians of " + runsNote() + "; total = up + down");
        lines.add(String.format(Locale.ROOT, "%-12s %5s %8s  %-11s %4s %9s %9s %9s %11s", "topology", "hosts",
                "switches", "tool", "runs", "up", "down", "total", "per host"));
        for (Topo topo : topos) {
            for (Tool tool : Tool.values()) {
                Summary s = summary(topo.name(), tool);
                lines.add(String.format(Locale.ROOT, "%-12s %5d %8d  %-11s %4d %9s %9s %9s %11s", topo.name(),
                        topo.hosts(), topo.switches(), tool.label, s.runs(), Stats.seconds(s.up()) + " s",
                        Stats.seconds(s.down()) + " s", Stats.seconds(s.total()) + " s", millis(s.perHost()) + " ms"));
            }
        }
        lines.add("Switchboard / Mininet (target: total <= " + TARGET_RATIO + "):");
        for (Ratio ratio : ratios()) {
            lines.add(String.format(Locale.ROOT, "  %-12s total %s (%s); up alone %s, down alone %s", ratio.topo().name(),
                    Stats.number(ratio.total()), ratio.met() ? "met" : "NOT met", Stats.number(ratio.up()),
                    Stats.number(ratio.down())));
        }
        lines.add("Growth with hosts (exponent between sizes: 1 = linear; at most " + LINEAR_EXPONENT
                + " counts as linear):");
        for (Phase phase : Phase.values()) {
            for (Tool tool : Tool.values()) {
                Growth growth = growth(tool, phase);
                lines.add(String.format(Locale.ROOT, "  %-8s %-11s %s; %s", phase.label,
                        tool.label, perHostText(growth), growth.exponents().isEmpty() ? "one size only"
                                : "exponents " + exponentsText(growth) + (growth.linear() ? " (linear)" : " (NOT linear)")));
            }
        }
        ovsNote().ifPresent(lines::add);
        return String.join("\n", lines) + "\n";
    }

    /** {@code 0.85, 1.02 (overall 0.95)}; the overall exponent only with more than one step. */
    private static String exponentsText(Growth growth) {
        String steps = growth.exponents().stream().map(Stats::number).collect(Collectors.joining(", "));
        return growth.exponents().size() < 2 ? steps : steps + " (overall " + Stats.number(growth.overall().orElseThrow()) + ")";
    }

    private static String perHostText(Growth growth) {
        return growth.bySize().stream()
                .map(s -> s.topo().name() + " " + millis(growth.phase().perHost(s)) + " ms/host")
                .collect(Collectors.joining(", "));
    }

    // ---- Markdown

    /** The same as Markdown tables, for docs/benchmarks.md. */
    String markdown() {
        List<String> lines = new ArrayList<>();
        lines.add("| Topology | Hosts | Switches | Tool | Runs | Up (s) | Down (s) | Total (s) |");
        lines.add("|---|---:|---:|---|---:|---:|---:|---:|");
        for (Topo topo : topos) {
            for (Tool tool : Tool.values()) {
                Summary s = summary(topo.name(), tool);
                lines.add("| " + topo.name() + " | " + topo.hosts() + " | " + topo.switches() + " | " + tool.label + " | "
                        + s.runs() + " | " + Stats.seconds(s.up()) + " | " + Stats.seconds(s.down()) + " | "
                        + Stats.seconds(s.total()) + " |");
            }
        }
        lines.add("");
        lines.add("| Topology | Switchboard / Mininet, total | Target | Met | Up alone | Down alone |");
        lines.add("|---|---:|---|---|---:|---:|");
        for (Ratio ratio : ratios()) {
            lines.add("| " + ratio.topo().name() + " | " + Stats.number(ratio.total()) + " | ≤ " + TARGET_RATIO + " | "
                    + (ratio.met() ? "yes" : "**no**") + " | " + Stats.number(ratio.up()) + " | "
                    + Stats.number(ratio.down()) + " |");
        }
        lines.add("");
        lines.addAll(growthTable(Phase.TOTAL));
        lines.add("");
        lines.addAll(growthTable(Phase.UP));
        ovsNote().ifPresent(note -> {
            lines.add("");
            lines.add(note);
        });
        return String.join("\n", lines) + "\n";
    }

    /** Time per host of each size, and the exponents: the total's table heads "Tool", up alone's "Tool, up alone". */
    private List<String> growthTable(Phase phase) {
        List<String> lines = new ArrayList<>();
        List<Topo> bySize = topos.stream().sorted(Comparator.comparingInt(Topo::hosts)).toList();
        StringBuilder header = new StringBuilder(phase == Phase.TOTAL ? "| Tool |" : "| Tool, " + phase.label + " |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Topo topo : bySize) {
            header.append(" ").append(topo.name()).append(" (").append(topo.hosts()).append(" hosts), ms/host |");
            rule.append("---:|");
        }
        header.append(" Growth exponents | Linear (≤ ").append(LINEAR_EXPONENT).append(") |");
        rule.append("---|---|");
        lines.add(header.toString());
        lines.add(rule.toString());
        for (Tool tool : Tool.values()) {
            Growth growth = growth(tool, phase);
            StringBuilder row = new StringBuilder("| " + tool.label + " |");
            growth.bySize().forEach(s -> row.append(" ").append(millis(phase.perHost(s))).append(" |"));
            row.append(" ").append(growth.exponents().isEmpty() ? "–" : exponentsText(growth));
            row.append(" | ").append(growth.exponents().isEmpty() ? "–" : growth.linear() ? "yes" : "**no**").append(" |");
            lines.add(row.toString());
        }
        return lines;
    }

    // ---- helpers

    /** One line on the OVS starts and stops the timings leave out, if any were recorded. */
    Optional<String> ovsNote() {
        List<String> parts = new ArrayList<>();
        for (Tool tool : Tool.values()) {
            List<OvsSample> mine = ovsSamples.get(tool);
            if (!mine.isEmpty()) {
                parts.add(tool.label + " " + Stats.seconds(Stats.median(mine.stream().map(OvsSample::start).toList()))
                        + " s / " + Stats.seconds(Stats.median(mine.stream().map(OvsSample::stop).toList())) + " s");
            }
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Not in the times above: starting / stopping the OVS each side used (medians): "
                + String.join(", ", parts) + ".");
    }

    private String runsNote() {
        int most = summaries.values().stream().flatMap(m -> m.values().stream()).mapToInt(Summary::runs).max().orElse(0);
        StringBuilder note = new StringBuilder(most + (most == 1 ? " run" : " runs"));
        for (Tool tool : Tool.values()) {
            for (Summary s : summaries.get(tool).values()) {
                if (s.runs() != most) {
                    note.append(", ").append(tool.label).append(" on ").append(s.topo().name()).append(" only ")
                            .append(s.runs());
                }
            }
        }
        return note.toString();
    }

    /** Milliseconds with one decimal. */
    static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.1f", duration.toNanos() / 1e6);
    }
}
