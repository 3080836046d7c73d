package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.bench.OvsdbReport.Ratio;
import dev.switchboard.bench.OvsdbReport.Sample;
import dev.switchboard.bench.OvsdbReport.Way;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OvsdbReportTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** (a) 1 s + 1 s, (b) 3 s + 3 s, (c) 60 s + 60 s, (d) 0.9 s + 0.9 s, with a noisy run of (a). */
    private static List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            Duration a = run == 1 ? ms(5000) : ms(1000);
            samples.add(new Sample(Way.CLIENT_ONE_TRANSACTION, a, ms(1000)));
            samples.add(new Sample(Way.CLIENT_PER_PORT, ms(3000), ms(3000)));
            samples.add(new Sample(Way.VSCTL_PER_PORT, ms(60_000), ms(60_000)));
            samples.add(new Sample(Way.VSCTL_ONE_CALL, ms(900), ms(900)));
        }
        return samples;
    }

    @Test
    void summariesAreMediansPerWayAndTotalIsTheirSum() {
        OvsdbReport report = OvsdbReport.of(1000, samples());

        OvsdbReport.Summary a = report.summary(Way.CLIENT_ONE_TRANSACTION);
        assertThat(a.runs()).isEqualTo(3);
        assertThat(a.add()).isEqualTo(ms(1000));
        assertThat(a.total()).isEqualTo(ms(2000));
    }

    @Test
    void ratiosCompareTotalsAgainstTheTargets() {
        List<Ratio> ratios = OvsdbReport.of(1000, samples()).ratios();

        assertThat(ratios).extracting(Ratio::name).containsExactly("a/d", "c/a");
        assertThat(ratios.get(0).value()).isCloseTo(2000.0 / 1800, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ratios.get(0).met()).isTrue();
        assertThat(ratios.get(1).value()).isEqualTo(60.0);
        assertThat(ratios.get(1).met()).isTrue();
    }

    @Test
    void aMissedTargetIsSaidSo() {
        List<Sample> samples = new ArrayList<>(samples());
        samples.replaceAll(s -> s.way() == Way.VSCTL_ONE_CALL ? new Sample(s.way(), ms(500), ms(500)) : s);
        OvsdbReport report = OvsdbReport.of(1000, samples);

        assertThat(report.text()).contains("a/d = 2.00 (target <= 1.2: NOT met); add alone 2.00, delete alone 2.00");
        assertThat(report.markdown()).contains("| a/d | 2.00 | ≤ 1.2 | **no** | 2.00 | 2.00 |");
    }

    @Test
    void textTableHasALinePerWayInSeconds() {
        String text = OvsdbReport.of(1000, samples()).text();

        assertThat(text).startsWith("OVSDB: 1000 internal ports on one bridge (datapath netdev); medians of 3 runs;");
        assertThat(text).containsPattern("\\(a\\) our client, one transaction +3 +1\\.000 s +1\\.000 s +2\\.000 s");
        assertThat(text).contains("c/a = 60.0 (target >= 50: met)");
    }

    @Test
    void markdownTableHasAHeaderAndARowPerWay() {
        String markdown = OvsdbReport.of(1000, samples()).markdown();

        assertThat(markdown.lines().toList()).startsWith(
                "| Way | Runs | Add (s) | Delete (s) | Total (s) |",
                "|---|---:|---:|---:|---:|",
                "| (a) our client, one transaction | 3 | 1.000 | 1.000 | 2.000 |",
                "| (b) our client, a transaction per port | 3 | 3.000 | 3.000 | 6.000 |",
                "| (c) ovs-vsctl, a call per port | 3 | 60.000 | 60.000 | 120.000 |",
                "| (d) ovs-vsctl, one call for all ports | 3 | 0.900 | 0.900 | 1.800 |");
    }

    @Test
    void aWayWithFewerRunsIsNamedInTheHeading() {
        List<Sample> samples = new ArrayList<>(samples());
        samples.remove(samples.size() - 2); // the last run of (c)

        assertThat(OvsdbReport.of(1000, samples).text()).contains("medians of 3 runs, (c) only 2;");
    }

    @Test
    void everyWayNeedsASample() {
        List<Sample> samples = samples().stream().filter(s -> s.way() != Way.CLIENT_PER_PORT).toList();

        assertThatThrownBy(() -> OvsdbReport.of(1000, samples)).hasMessageContaining("(b)");
    }

    @Test
    void theSlowWayRunsLessOftenOnlyWhenAllRunsWouldExceedTheBudget() {
        Duration budget = Duration.ofMinutes(15);
        // a run takes 330 s, 180 s of it (c): 3 * 150 + k * 180 <= 900 for k = 2
        assertThat(OvsdbBench.slowWayRuns(3, budget, Duration.ofSeconds(330), Duration.ofSeconds(180))).isEqualTo(2);
        assertThat(OvsdbBench.slowWayRuns(3, budget, Duration.ofSeconds(60), Duration.ofSeconds(40))).isEqualTo(3);
        assertThat(OvsdbBench.slowWayRuns(3, budget, Duration.ofSeconds(1000), Duration.ofSeconds(900))).isEqualTo(1);
    }
}
