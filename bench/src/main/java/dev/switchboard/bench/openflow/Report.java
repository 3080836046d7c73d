package dev.switchboard.bench.openflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lines the load generator prints: per loop, cbench's RESULT lines, and one SUMMARY for scripts. Pure. */
final class Report {

    private Report() {
    }

    static String loopLine(String label, int loop, int of, int switches, LoopFigures f) {
        return String.format(Locale.ROOT,
                "%s %d/%d: %d switches: %.0f responses/s, %.0f packet-ins answered/s"
                        + " (%d sent, %d flow-mods, %d packet-outs, %d unmatched, %d given up)%s",
                label, loop, of, switches, f.responsesPerSecond(), f.answeredPerSecond(), f.sent(),
                f.flowMods(), f.packetOuts(), f.unmatched(), f.expired(), latencyPart(f.latency()));
    }

    /** cbench's closing lines for both figures, the latency, and a key=value line for scripts. */
    static List<String> closing(LoadGenerator.Result r) {
        LoadOptions o = r.options();
        Spread responses = r.responsesPerSecond();
        Spread answered = r.answeredPerSecond();
        LatencyHistogram latency = r.latency();
        List<String> lines = new ArrayList<>();
        String head = String.format(Locale.ROOT, "RESULT: %d switches %d tests min/max/avg/stdev = ",
                o.switches(), r.measured().size());
        lines.add(head + responses.cbenchStyle() + " responses/s");
        lines.add(head + answered.cbenchStyle() + " packet-ins answered/s");
        if (latency.count() > 0) {
            lines.add(String.format(Locale.ROOT, "LATENCY: p50/p99/p99.9 = %s/%s/%s us over %d round trips",
                    micros(latency.percentile(50)), micros(latency.percentile(99)),
                    micros(latency.percentile(99.9)), latency.count()));
        } else {
            lines.add("LATENCY: no packet-in was answered");
        }
        lines.add(String.format(Locale.ROOT,
                "SUMMARY: version=%s mode=%s switches=%d macs=%d loops=%d seconds=%s learned=%d/%d"
                        + " median-responses=%.0f median-answered=%.0f flow-mods=%d packet-outs=%d"
                        + " unmatched=%d given-up=%d p50-us=%s p99-us=%s p999-us=%s",
                LoadGenerator.versionName(o.version()), o.mode().name().toLowerCase(Locale.ROOT), o.switches(),
                o.macs(), r.measured().size(), o.loopLength().toMillis() / 1000.0, r.learnedHosts(), r.totalHosts(),
                responses.median(), answered.median(), r.total(LoopFigures::flowMods),
                r.total(LoopFigures::packetOuts), r.total(LoopFigures::unmatched), r.total(LoopFigures::expired),
                latency.count() > 0 ? micros(latency.percentile(50)) : "-",
                latency.count() > 0 ? micros(latency.percentile(99)) : "-",
                latency.count() > 0 ? micros(latency.percentile(99.9)) : "-"));
        return lines;
    }

    private static String latencyPart(LatencyHistogram latency) {
        if (latency.count() == 0) {
            return "";
        }
        return String.format(Locale.ROOT, ", latency p50 %s us, p99 %s us",
                micros(latency.percentile(50)), micros(latency.percentile(99)));
    }

    /** Microseconds with one decimal. */
    static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
    }
}
