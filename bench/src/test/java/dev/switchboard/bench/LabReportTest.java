package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.bench.LabReport.Growth;
import dev.switchboard.bench.LabReport.OvsSample;
import dev.switchboard.bench.LabReport.Phase;
import dev.switchboard.bench.LabReport.Ratio;
import dev.switchboard.bench.LabReport.Sample;
import dev.switchboard.bench.LabReport.Summary;
import dev.switchboard.bench.LabReport.Tool;
import dev.switchboard.bench.LabReport.Topo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabReportTest {

    private static final Topo SMALL = new Topo("tree,2,4", 16, 5);
    private static final Topo MEDIUM = new Topo("tree,2,8", 64, 9);
    private static final Topo LARGE = new Topo("tree,3,6", 216, 43);
    private static final List<Topo> TOPOS = List.of(SMALL, MEDIUM, LARGE);

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /**
     * Switchboard: 10 ms per host up and 5 down, exactly linear, with one slow run on the medium
     * size. Mininet: 50 ms per host up and 30 down, plus 2 s and 1 s fixed.
     */
    private static List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            for (Topo topo : TOPOS) {
                long extra = run == 1 && topo == MEDIUM ? 9000 : 0;
                samples.add(new Sample(topo.name(), Tool.SWITCHBOARD, ms(10L * topo.hosts() + extra), ms(5L * topo.hosts())));
                samples.add(new Sample(topo.name(), Tool.MININET, ms(2000 + 50L * topo.hosts()), ms(1000 + 30L * topo.hosts())));
            }
        }
        return samples;
    }

    private static LabReport report() {
        return LabReport.of(TOPOS, samples(), List.of(new OvsSample(Tool.SWITCHBOARD, ms(400), ms(300)),
                new OvsSample(Tool.MININET, ms(200), ms(100))));
    }

    @Test
    void summariesAreMediansPerTopologyAndToolAndTotalIsTheirSum() {
        Summary medium = report().summary("tree,2,8", Tool.SWITCHBOARD);

        assertThat(medium.runs()).isEqualTo(3);
        assertThat(medium.up()).isEqualTo(ms(640));
        assertThat(medium.down()).isEqualTo(ms(320));
        assertThat(medium.total()).isEqualTo(ms(960));
        assertThat(medium.perHost()).isEqualTo(ms(15));
    }

    @Test
    void ratiosDivideSwitchboardByMininetAndAreMetAtHalfOrLess() {
        List<Ratio> ratios = report().ratios();

        assertThat(ratios).extracting(r -> r.topo().name()).containsExactly("tree,2,4", "tree,2,8", "tree,3,6");
        // tree,2,4: 240 ms against 2800 + 1480 ms
        assertThat(ratios.get(0).total()).isCloseTo(240.0 / 4280, within(1e-9));
        assertThat(ratios.get(0).up()).isCloseTo(160.0 / 2800, within(1e-9));
        assertThat(ratios.get(0).met()).isTrue();
        assertThat(new Ratio(SMALL, 0.5, 1, 0).met()).isTrue();
        assertThat(new Ratio(SMALL, 0.51, 0, 0).met()).isFalse();
    }

    @Test
    void linearGrowthHasExponentOneAndFixedCostsGiveLess() {
        Growth ours = report().growth(Tool.SWITCHBOARD);
        Growth theirs = report().growth(Tool.MININET);

        assertThat(ours.bySize()).extracting(s -> s.topo().name()).containsExactly("tree,2,4", "tree,2,8", "tree,3,6");
        assertThat(ours.exponents()).hasSize(2).allSatisfy(e -> assertThat(e).isCloseTo(1.0, within(1e-9)));
        assertThat(ours.overall().orElseThrow()).isCloseTo(1.0, within(1e-9));
        assertThat(ours.linear()).isTrue();
        assertThat(theirs.exponents()).allSatisfy(e -> assertThat(e).isLessThan(1.0));
        assertThat(theirs.linear()).isTrue();
    }

    @Test
    void growthFasterThanLinearIsSaidSo() {
        List<Sample> samples = new ArrayList<>(samples());
        // quadratic on the large size: 216 / 64 hosts, 11.4 times the time
        samples.replaceAll(s -> s.tool() == Tool.SWITCHBOARD && s.topo().equals("tree,3,6")
                ? new Sample(s.topo(), s.tool(), ms(10_935), ms(0)) : s);
        LabReport report = LabReport.of(TOPOS, samples, List.of());

        assertThat(report.growth(Tool.SWITCHBOARD).exponents().get(1)).isCloseTo(2.0, within(0.01));
        assertThat(report.growth(Tool.SWITCHBOARD).linear()).isFalse();
        assertThat(report.text()).contains("(NOT linear)");
        assertThat(report.markdown()).contains("| Switchboard | 15.0 | 15.0 | 50.6 | 1.00, 2.00 (overall 1.47) | **no** |");
    }

    @Test
    void growthIsOrderedBySizeWhateverTheOrderGiven() {
        List<Topo> shuffled = List.of(LARGE, SMALL, MEDIUM);
        Growth growth = LabReport.of(shuffled, samples(), List.of()).growth(Tool.MININET);

        assertThat(growth.bySize()).extracting(s -> s.topo().hosts()).containsExactly(16, 64, 216);
    }

    @Test
    void textHasALinePerTopologyAndToolThenRatiosAndGrowth() {
        String text = report().text();

        assertThat(text).startsWith("Labs: up and down of Mininet topologies");
        assertThat(text).contains("medians of 3 runs; total = up + down");
        assertThat(text).containsPattern("tree,2,8 +64 +9 +Switchboard +3 +0\\.640 s +0\\.320 s +0\\.960 s +15\\.0 ms");
        assertThat(text).containsPattern("tree,2,8 +64 +9 +Mininet +3 +5\\.200 s +2\\.920 s +8\\.120 s +126\\.9 ms");
        assertThat(text).contains("tree,2,8     total 0.12 (met); up alone 0.12, down alone 0.11");
        assertThat(text).contains("Switchboard tree,2,4 15.0 ms/host, tree,2,8 15.0 ms/host, tree,3,6 15.0 ms/host; "
                + "exponents 1.00, 1.00 (overall 1.00) (linear)");
        assertThat(text).contains("Switchboard 0.400 s / 0.300 s, Mininet 0.200 s / 0.100 s.");
    }

    @Test
    void markdownHasTheMediansTheRatiosAndTheGrowth() {
        List<String> lines = report().markdown().lines().toList();

        assertThat(lines).startsWith(
                "| Topology | Hosts | Switches | Tool | Runs | Up (s) | Down (s) | Total (s) |",
                "|---|---:|---:|---|---:|---:|---:|---:|",
                "| tree,2,4 | 16 | 5 | Switchboard | 3 | 0.160 | 0.080 | 0.240 |",
                "| tree,2,4 | 16 | 5 | Mininet | 3 | 2.800 | 1.480 | 4.280 |");
        assertThat(lines).contains(
                "| Topology | Switchboard / Mininet, total | Target | Met | Up alone | Down alone |",
                "| tree,3,6 | 0.16 | ≤ 0.5 | yes | 0.17 | 0.14 |",
                "| Tool | tree,2,4 (16 hosts), ms/host | tree,2,8 (64 hosts), ms/host | tree,3,6 (216 hosts), ms/host "
                        + "| Growth exponents | Linear (≤ 1.1) |",
                "| Switchboard | 15.0 | 15.0 | 15.0 | 1.00, 1.00 (overall 1.00) | yes |");
    }

    @Test
    void aMissedTargetIsSaidSo() {
        List<Sample> samples = new ArrayList<>(samples());
        samples.replaceAll(s -> s.tool() == Tool.SWITCHBOARD && s.topo().equals("tree,2,4")
                ? new Sample(s.topo(), s.tool(), ms(3000), ms(1000)) : s);
        LabReport report = LabReport.of(TOPOS, samples, List.of());

        assertThat(report.text()).contains("tree,2,4     total 0.93 (NOT met)");
        assertThat(report.markdown()).contains("| tree,2,4 | 0.93 | ≤ 0.5 | **no** | 1.07 | 0.68 |");
        assertThat(report.ovsNote()).isEmpty();
    }

    @Test
    void fewerRunsOfOneSideAreNamedInTheHeading() {
        List<Sample> samples = new ArrayList<>(samples());
        samples.remove(samples.size() - 1); // the last run of Mininet on tree,3,6

        assertThat(LabReport.of(TOPOS, samples, List.of()).text()).contains("medians of 3 runs, Mininet on tree,3,6 only 2;");
    }

    @Test
    void everyToolNeedsASampleOfEveryTopology() {
        List<Sample> samples = samples().stream().filter(s -> !(s.tool() == Tool.MININET && s.topo().equals("tree,2,4")))
                .toList();

        assertThatThrownBy(() -> LabReport.of(TOPOS, samples, List.of())).hasMessageContaining("Mininet on tree,2,4");
    }

    @Test
    void topologiesOfTheSameSizeCannotShowGrowth() {
        List<Topo> same = List.of(SMALL, new Topo("linear,16", 16, 16));

        assertThatThrownBy(() -> LabReport.of(same, List.of(), List.of())).hasMessageContaining("number of hosts");
    }

    @Test
    void bringUpGrowsOnItsOwnTooFromUpAlone() {
        List<Sample> samples = new ArrayList<>(samples());
        // Switchboard's up: 10 ms per host plus 800 ms fixed, so its up per host falls with size
        samples.replaceAll(s -> s.tool() == Tool.SWITCHBOARD ? new Sample(s.topo(), s.tool(), s.up().plusMillis(800), s.down()) : s);
        LabReport report = LabReport.of(TOPOS, samples, List.of());

        Growth up = report.growth(Tool.SWITCHBOARD, Phase.UP);
        // 16 hosts: 960 ms, 64: 1440 ms, 216: 2960 ms
        assertThat(up.exponents().get(0)).isCloseTo(Math.log(1440.0 / 960) / Math.log(4), within(1e-9));
        assertThat(up.exponents().get(1)).isCloseTo(Math.log(2960.0 / 1440) / Math.log(216.0 / 64), within(1e-9));
        assertThat(report.text()).contains("up alone Switchboard tree,2,4 60.0 ms/host, tree,2,8 22.5 ms/host, "
                + "tree,3,6 13.7 ms/host; exponents 0.29, 0.59 (overall 0.43) (linear)");
        assertThat(report.markdown().lines().toList()).contains(
                "| Tool, up alone | tree,2,4 (16 hosts), ms/host | tree,2,8 (64 hosts), ms/host "
                        + "| tree,3,6 (216 hosts), ms/host | Growth exponents | Linear (≤ 1.1) |",
                "| Switchboard | 60.0 | 22.5 | 13.7 | 0.29, 0.59 (overall 0.43) | yes |",
                "| Mininet | 175.0 | 81.3 | 59.3 | 0.45, 0.74 (overall 0.58) | yes |");
    }
}
