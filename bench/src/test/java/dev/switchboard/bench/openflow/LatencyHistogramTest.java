package dev.switchboard.bench.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesOfAUniformSpreadAreWithinThreePercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (long micros = 1; micros <= 10_000; micros++) {
            h.record(micros * 1_000);
        }
        assertThat(h.count()).isEqualTo(10_000);
        assertThat((double) h.percentile(50)).isCloseTo(5_000_000, within(5_000_000 * 0.03));
        assertThat((double) h.percentile(99)).isCloseTo(9_900_000, within(9_900_000 * 0.03));
        assertThat((double) h.percentile(99.9)).isCloseTo(9_990_000, within(9_990_000 * 0.03));
        assertThat(h.percentile(100)).isEqualTo(10_000_000);
    }

    @Test
    void aFewSlowRoundTripsShowOnlyInTheHighPercentiles() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 990; i++) {
            h.record(100_000);
        }
        for (int i = 0; i < 10; i++) {
            h.record(50_000_000);
        }
        assertThat((double) h.percentile(50)).isCloseTo(100_000, within(3_000.0));
        assertThat((double) h.percentile(99)).isCloseTo(100_000, within(3_000.0));
        assertThat((double) h.percentile(99.9)).isCloseTo(50_000_000, within(1_500_000.0));
    }

    @Test
    void smallValuesAreExactAndOneValueIsEveryPercentile() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(37);
        assertThat(h.percentile(0)).isEqualTo(37);
        assertThat(h.percentile(50)).isEqualTo(37);
        assertThat(h.percentile(99.9)).isEqualTo(37);
    }

    @Test
    void mergedHistogramsCountBoth() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(1_000);
        b.record(1_000_000);
        b.record(1_000_000);
        a.add(b);
        assertThat(a.count()).isEqualTo(3);
        assertThat((double) a.percentile(50)).isCloseTo(1_000_000, within(30_000.0));
        assertThat(a.percentile(1)).isEqualTo(1_000);
    }

    @Test
    void bucketsCoverEveryValueWithoutGapsOrOverlaps() {
        for (long v : new long[] {0, 1, 63, 64, 65, 127, 128, 1_000, 123_456_789, Long.MAX_VALUE}) {
            int index = LatencyHistogram.index(v);
            long low = LatencyHistogram.lowestValue(index);
            assertThat(v).isBetween(low, low + LatencyHistogram.bucketWidth(index) - 1);
            assertThat(LatencyHistogram.bucketWidth(index)).isLessThanOrEqualTo(Math.max(1, low / 32));
        }
    }

    @Test
    void anEmptyHistogramHasNoPercentile() {
        assertThatThrownBy(() -> new LatencyHistogram().percentile(50)).isInstanceOf(IllegalStateException.class);
    }
}
