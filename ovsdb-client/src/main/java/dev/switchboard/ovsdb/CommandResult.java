package dev.switchboard.ovsdb;

/**
 * What a finished external command left behind.
 *
 * @param exitCode the process's exit status (0 is success)
 * @param stdout   everything it wrote to standard output, decoded as UTF-8
 * @param stderr   everything it wrote to standard error, decoded as UTF-8
 */
public record CommandResult(int exitCode, String stdout, String stderr) {

    public CommandResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    /** Whether the command exited with status 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }
}
