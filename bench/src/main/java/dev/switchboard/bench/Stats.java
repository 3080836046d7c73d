package dev.switchboard.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Medians and the number formats the benchmark reports share. Pure. */
final class Stats {

    private Stats() {
    }

    /** The middle value; the mean of the two middle ones for an even count. */
    static Duration median(List<Duration> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the median of nothing");
        }
        List<Duration> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        if (sorted.size() % 2 == 1) {
            return sorted.get(middle);
        }
        return sorted.get(middle - 1).plus(sorted.get(middle)).dividedBy(2);
    }

    /** Seconds with three decimals: {@code 1.234}. */
    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9);
    }

    /** Two decimals below 10, one below 100, none above: enough for a ratio. */
    static String number(double value) {
        String pattern = value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
