package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.bench.MininetRun.Line;
import dev.switchboard.bench.MininetRun.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MininetRunTest {

    private static final long S = 1_000_000_000L;

    /** What mn prints for single,2 (abridged), at 1 s, up at 3 s, checks, down at 4 s; it exits at 6 s. */
    private static List<Line> output() {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line(1 * S, "*** Creating network"));
        lines.add(new Line(1 * S + 1, "*** Adding controller"));
        lines.add(new Line(1 * S + 2, "Unable to contact the remote controller at 127.0.0.1:6653"));
        lines.add(new Line(2 * S, "*** Starting 1 switches"));
        lines.add(new Line(2 * S + 1, "*** Starting CLI:"));
        lines.add(new Line(3 * S, "sbbench-up"));
        lines.add(new Line(3 * S + 1, "sbbench-if s1-eth1,1"));
        lines.add(new Line(3 * S + 2, "sbbench-if \"s1-eth2\",2"));
        lines.add(new Line(3 * S + 3, "sbbench-if s1,65534"));
        lines.add(new Line(3 * S + 4, "sbbench-ns 2"));
        lines.add(new Line(4 * S, "sbbench-down"));
        lines.add(new Line(4 * S + 1, "*** Stopping 1 controllers"));
        lines.add(new Line(5 * S, "*** Done"));
        lines.add(new Line(5 * S + 1, "completed in 4.500 seconds"));
        return lines;
    }

    @Test
    void upEndsAtTheFirstMarkerAndDownStartsAtTheSecond() {
        Result result = MininetRun.parse(0, 6 * S, 0, output());

        assertThat(result.up()).isEqualTo(Duration.ofSeconds(3));
        assertThat(result.down()).isEqualTo(Duration.ofSeconds(2));
        assertThat(result.startup()).isEqualTo(Duration.ofSeconds(1));
        assertThat(result.completedIn()).contains(Duration.ofMillis(4500));
        assertThat(result.namespaces()).isEqualTo(OptionalInt.of(2));
        assertThat(result.interfaces()).containsOnlyKeys("s1-eth1", "s1-eth2", "s1");
    }

    @Test
    void aRunIsCheckedAgainstTheTopology() {
        Result result = MininetRun.parse(0, 6 * S, 0, output());

        assertThat(MininetRun.problem(result, 2, 3)).isEmpty();
        assertThat(MininetRun.problem(result, 3, 4)).isEqualTo("expected the hosts in 3 network namespaces, found 2; "
                + "expected 4 OVS interfaces, each with an OpenFlow port number, found 3");
        Result noCount = new Result(Duration.ZERO, Duration.ZERO, Duration.ZERO, Optional.empty(), result.interfaces(),
                OptionalInt.empty());
        assertThat(MininetRun.problem(noCount, 2, 3)).contains("found no count");
    }

    @Test
    void mininetsCaughtExceptionFailsTheRunThoughItExitsWithZero() {
        List<Line> lines = new ArrayList<>(output().subList(0, 3));
        lines.add(new Line(2 * S, "Caught exception. Cleaning up..."));
        lines.add(new Line(2 * S + 1, "Exception: Error creating interface pair (s1-eth1,h1-eth0): RTNETLINK answers: File exists"));

        assertThatThrownBy(() -> MininetRun.parse(0, 3 * S, 0, lines)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mn failed (exit 0): Caught exception");
    }

    @Test
    void aRunWithoutMarkersOrWithAFailedExitFails() {
        List<Line> noDown = output().stream().filter(l -> !l.text().equals("sbbench-down")).toList();

        assertThatThrownBy(() -> MininetRun.parse(0, 6 * S, 0, noDown)).hasMessageContaining("no sbbench-down");
        assertThatThrownBy(() -> MininetRun.parse(0, 6 * S, 1, output())).hasMessageContaining("exit 1");
        assertThatThrownBy(() -> MininetRun.parse(0, 6 * S, 0, List.of())).hasMessageContaining("it printed nothing");
    }

    @Test
    void theCommandAndTheScriptAreWhatMininetTakes() {
        assertThat(MininetRun.command("tree,2,8", Path.of("/tmp/x/post.mn"))).containsExactly("mn", "--topo", "tree,2,8",
                "--switch", "ovs,datapath=user", "--controller", "remote", "--test", "none", "--post", "/tmp/x/post.mn");
        assertThat(MininetRun.postScript().lines().toList()).first().isEqualTo("py 'sbbench-up'");
        assertThat(MininetRun.postScript().lines().toList()).last().isEqualTo("py 'sbbench-down'");
    }
}
