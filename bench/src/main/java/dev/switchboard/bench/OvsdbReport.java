package dev.switchboard.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code bench ovsdb} measured, and its tables: medians per way, the ratios the issue set
 * targets for, as plain text and as Markdown. Pure, so it is tested without OVS.
 */
final class OvsdbReport {

    /** The four ways to add (and then delete) N ports, in the order they run. */
    enum Way {
        CLIENT_ONE_TRANSACTION("a", "our client, one transaction"),
        CLIENT_PER_PORT("b", "our client, a transaction per port"),
        VSCTL_PER_PORT("c", "ovs-vsctl, a call per port"),
        VSCTL_ONE_CALL("d", "ovs-vsctl, one call for all ports");

        final String letter;
        final String description;

        Way(String letter, String description) {
            this.letter = letter;
            this.description = description;
        }

        String label() {
            return "(" + letter + ") " + description;
        }
    }

    /** One run of one way: the time to add the ports, and then to delete them. */
    record Sample(Way way, Duration add, Duration delete) {
    }

    /** A way's median add and delete times over its runs; total is their sum. */
    record Summary(Way way, int runs, Duration add, Duration delete) {
        Duration total() {
            return add.plus(delete);
        }
    }

    /**
     * A ratio of two ways' totals and the bound the issue sets for it, with the ratios of the
     * add and delete times alone for insight.
     *
     * @param atMost true if the value must not exceed {@code bound}, false if it must reach it
     */
    record Ratio(Way numerator, Way denominator, double value, double addValue, double deleteValue,
            boolean atMost, double bound) {
        boolean met() {
            return atMost ? value <= bound : value >= bound;
        }

        String name() {
            return numerator.letter + "/" + denominator.letter;
        }

        String target(String atMostSign, String atLeastSign) {
            return (atMost ? atMostSign : atLeastSign) + " " + BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
        }
    }

    private final int ports;
    private final Map<Way, Summary> summaries;

    private OvsdbReport(int ports, Map<Way, Summary> summaries) {
        this.ports = ports;
        this.summaries = summaries;
    }

    /** Medians per way from all samples; every way needs at least one. */
    static OvsdbReport of(int ports, List<Sample> samples) {
        Map<Way, Summary> summaries = new EnumMap<>(Way.class);
        for (Way way : Way.values()) {
            List<Sample> mine = samples.stream().filter(s -> s.way() == way).toList();
            if (mine.isEmpty()) {
                throw new IllegalArgumentException("no sample of " + way.label());
            }
            summaries.put(way, new Summary(way, mine.size(),
                    Stats.median(mine.stream().map(Sample::add).toList()),
                    Stats.median(mine.stream().map(Sample::delete).toList())));
        }
        return new OvsdbReport(ports, summaries);
    }

    Summary summary(Way way) {
        return summaries.get(way);
    }

    /** a/d must stay at or below 1.2, c/a must reach 50: the targets. */
    List<Ratio> ratios() {
        return List.of(ratio(Way.CLIENT_ONE_TRANSACTION, Way.VSCTL_ONE_CALL, true, 1.2),
                ratio(Way.VSCTL_PER_PORT, Way.CLIENT_ONE_TRANSACTION, false, 50));
    }

    private Ratio ratio(Way numerator, Way denominator, boolean atMost, double bound) {
        Summary top = summaries.get(numerator);
        Summary bottom = summaries.get(denominator);
        return new Ratio(numerator, denominator, divide(top.total(), bottom.total()), divide(top.add(), bottom.add()),
                divide(top.delete(), bottom.delete()), atMost, bound);
    }

    private static double divide(Duration top, Duration bottom) {
        return (double) top.toNanos() / bottom.toNanos();
    }

    /** A table for people: one line per way, then the ratios. */
    String text() {
        List<String> lines = new ArrayList<>();
        lines.add("OVSDB: " + ports + " internal ports on one bridge (datapath netdev); medians of "
                + runsNote() + "; total = add + delete");
        lines.add(String.format(Locale.ROOT, "%-40s %4s %10s %10s %10s", "way", "runs", "add", "delete", "total"));
        for (Summary summary : summaries.values()) {
            lines.add(String.format(Locale.ROOT, "%-40s %4d %10s %10s %10s", summary.way().label(), summary.runs(),
                    Stats.seconds(summary.add()) + " s", Stats.seconds(summary.delete()) + " s",
                    Stats.seconds(summary.total()) + " s"));
        }
        for (Ratio ratio : ratios()) {
            lines.add(String.format(Locale.ROOT, "%s = %s (target %s: %s); add alone %s, delete alone %s",
                    ratio.name(), Stats.number(ratio.value()), ratio.target("<=", ">="), ratio.met() ? "met" : "NOT met",
                    Stats.number(ratio.addValue()), Stats.number(ratio.deleteValue())));
        }
        return String.join("\n", lines) + "\n";
    }

    /** The same as Markdown tables, for docs/benchmarks.md. */
    String markdown() {
        List<String> lines = new ArrayList<>();
        lines.add("| Way | Runs | Add (s) | Delete (s) | Total (s) |");
        lines.add("|---|---:|---:|---:|---:|");
        for (Summary summary : summaries.values()) {
            lines.add("| " + summary.way().label() + " | " + summary.runs() + " | " + Stats.seconds(summary.add()) + " | "
                    + Stats.seconds(summary.delete()) + " | " + Stats.seconds(summary.total()) + " |");
        }
        lines.add("");
        lines.add("| Ratio | Of totals | Target | Met | Add alone | Delete alone |");
        lines.add("|---|---:|---|---|---:|---:|");
        for (Ratio ratio : ratios()) {
            lines.add("| " + ratio.name() + " | " + Stats.number(ratio.value()) + " | " + ratio.target("≤", "≥") + " | "
                    + (ratio.met() ? "yes" : "**no**") + " | " + Stats.number(ratio.addValue()) + " | "
                    + Stats.number(ratio.deleteValue()) + " |");
        }
        return String.join("\n", lines) + "\n";
    }

    private String runsNote() {
        int most = summaries.values().stream().mapToInt(Summary::runs).max().orElse(0);
        StringBuilder note = new StringBuilder(most + (most == 1 ? " run" : " runs"));
        for (Summary summary : summaries.values()) {
            if (summary.runs() != most) {
                note.append(", (").append(summary.way().letter).append(") only ").append(summary.runs());
            }
        }
        return note.toString();
    }
}
