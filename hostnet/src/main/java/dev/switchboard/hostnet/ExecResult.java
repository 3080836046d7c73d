package dev.switchboard.hostnet;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a command run with {@link HostNetwork#exec} did.
 *
 * @param command   the command as given
 * @param exitCode  its exit status; after a timeout, the status of the killed process (usually 137)
 * @param stdout    its standard output (UTF-8, truncated to the first {@value #OUTPUT_LIMIT} bytes)
 * @param stderr    its standard error (same limit)
 * @param timedOut  whether it was killed because the timeout passed
 * @param truncated whether output beyond the limit was discarded
 * @param elapsed   how long it ran
 */
public record ExecResult(
        List<String> command, int exitCode, String stdout, String stderr, boolean timedOut, boolean truncated,
        Duration elapsed) {

    /** Bytes kept of each of stdout and stderr; more is read and discarded so the process never blocks. */
    public static final int OUTPUT_LIMIT = 8 * 1024 * 1024;

    public ExecResult {
        command = List.copyOf(command);
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Exit status 0 and no timeout. */
    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }
}
