package dev.switchboard.ovs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.hostnet.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void capturesExitCodeAndBothStreamsWithExtraEnvironment() {
        ExecResult result = Commands.run(List.of("sh", "-c", "echo out $SB_X; echo err >&2; exit 3"),
                Map.of("SB_X", "x"), TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out x\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.succeeded()).isFalse();
    }

    @Test
    void largeOutputOnBothStreamsDoesNotDeadlock() {
        ExecResult result = Commands.run(TIMEOUT, "sh", "-c",
                "head -c 1000000 /dev/zero | tr '\\0' a; head -c 1000000 /dev/zero | tr '\\0' b >&2");

        assertThat(result.stdout()).hasSize(1_000_000);
        assertThat(result.stderr()).hasSize(1_000_000);
    }

    @Test
    void checkThrowsNamingCommandStatusAndStderr() {
        assertThatThrownBy(() -> Commands.check(List.of("sh", "-c", "echo broken >&2; exit 7"), Map.of(), TIMEOUT))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("sh -c 'echo broken >&2; exit 7'")
                .hasMessageContaining("status 7")
                .hasMessageContaining("broken");
    }

    @Test
    void timeoutKillsTheProcess() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> Commands.run(Duration.ofMillis(300), "sleep", "30"))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("did not finish");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void missingProgramIsACommandException() {
        assertThatThrownBy(() -> Commands.run(TIMEOUT, "sb-no-such-program"))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("cannot run `sb-no-such-program`");
    }

    @Test
    void findsProgramsInSbinEvenOffThePath() {
        assertThat(Commands.executable("sh")).startsWith("/").endsWith("/sh");
        assertThat(Commands.executable("./relative")).isEqualTo("./relative");
        assertThat(Commands.isInstalled("sb-no-such-program")).isFalse();
    }
}
