package dev.switchboard.ovs.runtime;

import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.hostnet.HostNetworkException;
import dev.switchboard.hostnet.Processes;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs external programs with a deadline, failing with a {@link CommandException} when one cannot start or times
 * out. A thin layer over hostnet's {@link Processes}, the one process runner, which captures output through files so
 * that daemons that detach cannot hold us up. Blocking: call it off any event loop.
 */
public final class Commands {

    private Commands() {
    }

    /**
     * Runs {@code command} to completion.
     *
     * @param command     program and arguments; a bare program name is looked up with {@link #executable}
     * @param environment variables added to (or replacing those in) this process's environment
     * @param timeout     how long to wait before the process and its descendants are killed
     * @return the exit code and output, whatever the exit code
     * @throws CommandException if the program cannot be started or does not finish in time
     */
    public static ExecResult run(List<String> command, Map<String, String> environment, Duration timeout) {
        ExecResult result;
        try {
            result = Processes.run(command, environment, null, timeout);
        } catch (HostNetworkException e) {
            throw new CommandException(command, e.getMessage(), e);
        }
        if (result.timedOut()) {
            String stderr = result.stderr().strip();
            throw new CommandException(command, "`" + display(command) + "` did not finish within "
                    + timeout.toSeconds() + " s and was killed" + (stderr.isEmpty() ? "" : "; stderr: " + stderr),
                    null);
        }
        return result;
    }

    /** {@link #run} with no extra environment. */
    public static ExecResult run(Duration timeout, String... command) {
        return run(List.of(command), Map.of(), timeout);
    }

    /**
     * Runs {@code command} and returns its standard output.
     *
     * @throws CommandException if it cannot run, times out, or exits with a non-zero status
     */
    public static String check(List<String> command, Map<String, String> environment, Duration timeout) {
        ExecResult result = run(command, environment, timeout);
        if (!result.succeeded()) {
            throw new CommandException(command, result);
        }
        return result.stdout();
    }

    /** See {@link Processes#executable}. */
    public static String executable(String name) {
        return Processes.executable(name);
    }

    /** Whether {@link #executable} finds {@code name} anywhere. */
    public static boolean isInstalled(String name) {
        return Processes.isInstalled(name);
    }

    /** The command as one might type it, for messages. */
    static String display(List<String> command) {
        return Processes.display(command);
    }
}
