package dev.switchboard.ovs.runtime;

import dev.switchboard.hostnet.ExecResult;
import java.util.List;
import java.util.Optional;

/**
 * An external command could not be started, timed out, or exited with a non-zero status.
 * The message names the command, its exit code and its standard error.
 */
public class CommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> command;
    private final transient ExecResult result;

    /** The command ran and failed; {@code result} holds its exit code and output. */
    public CommandException(List<String> command, ExecResult result) {
        this(command, result, failureMessage(command, result), null);
    }

    /** The command did not finish (could not start, or timed out); there is no exit code. */
    public CommandException(List<String> command, String message, Throwable cause) {
        this(command, null, message, cause);
    }

    protected CommandException(List<String> command, ExecResult result, String message, Throwable cause) {
        super(message, cause);
        this.command = List.copyOf(command);
        this.result = result;
    }

    /** The command line, program first. */
    public List<String> command() {
        return command;
    }

    /** The exit code and output, when the command ran to completion. */
    public Optional<ExecResult> result() {
        return Optional.ofNullable(result);
    }

    static String failureMessage(List<String> command, ExecResult result) {
        String stderr = result.stderr().strip();
        return "`" + Commands.display(command) + "` exited with status " + result.exitCode()
                + (stderr.isEmpty() ? " and no error output" : ": " + stderr);
    }
}
