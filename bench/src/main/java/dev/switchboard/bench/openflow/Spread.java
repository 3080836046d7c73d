package dev.switchboard.bench.openflow;

import java.util.Arrays;

/**
 * Minimum, maximum, mean, population standard deviation (as cbench reports them) and median of
 * per-loop rates. Pure.
 */
record Spread(double min, double max, double average, double stdev, double median) {

    static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double average = sum / sorted.length;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - average) * (v - average);
        }
        int middle = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(sorted[0], sorted[sorted.length - 1], average, Math.sqrt(squares / sorted.length), median);
    }

    /** cbench's {@code min/max/avg/stdev}, two decimals each. */
    String cbenchStyle() {
        return String.format(java.util.Locale.ROOT, "%.2f/%.2f/%.2f/%.2f", min, max, average, stdev);
    }
}
