package dev.switchboard.bench.openflow;

import java.util.Arrays;

/**
 * Round-trip times in nanoseconds, counted in log-linear buckets: exact below 64 ns, then 32
 * buckets per power of two, so a percentile read back is within about 3% of the true value. Fixed
 * size (2,048 counters), no allocation per value. Not thread-safe: each switch records into its
 * own on its event loop, and the main thread merges snapshots.
 */
final class LatencyHistogram {
    private static final int SUB_BUCKET_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = 64 * SUB_BUCKETS;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long min = Long.MAX_VALUE;
    private long max;

    void record(long nanos) {
        long value = Math.max(0, nanos);
        counts[index(value)]++;
        count++;
        min = Math.min(min, value);
        max = Math.max(max, value);
    }

    /** Adds {@code other}'s values to this one's. */
    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    long count() {
        return count;
    }

    /**
     * The value below or at which {@code percent} of the values lie (nearest rank), read as the
     * middle of its bucket and kept within the smallest and largest value recorded.
     *
     * @throws IllegalStateException if nothing was recorded
     */
    long percentile(double percent) {
        if (count == 0) {
            throw new IllegalStateException("no values recorded");
        }
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent out of range: " + percent);
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                long middle = lowestValue(i) + (bucketWidth(i) - 1) / 2;
                return Math.min(max, Math.max(min, middle));
            }
        }
        return max;
    }

    @Override
    public String toString() {
        return "LatencyHistogram[count=" + count + ", nonEmptyBuckets="
                + Arrays.stream(counts).filter(c -> c > 0).count() + "]";
    }

    static int index(long value) {
        if (value < 2 * SUB_BUCKETS) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int subBucket = (int) (value >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + subBucket;
    }

    static long lowestValue(int index) {
        if (index < 2 * SUB_BUCKETS) {
            return index;
        }
        int exponent = index / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
        long subBucket = index % SUB_BUCKETS;
        return (SUB_BUCKETS + subBucket) << (exponent - SUB_BUCKET_BITS);
    }

    static long bucketWidth(int index) {
        if (index < 2 * SUB_BUCKETS) {
            return 1;
        }
        int exponent = index / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
        return 1L << (exponent - SUB_BUCKET_BITS);
    }
}
