package dev.switchboard.ovsdb;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs external programs with a deadline and captures what they print.
 *
 * <p>Standard output and error go to temporary files rather than pipes, so a chatty
 * program cannot fill a pipe and block, and a daemon that forks ({@code --detach}) and
 * keeps the descriptors open cannot make us wait for an end of file that never comes.
 * Standard input is {@code /dev/null}. Blocking: call it off any event loop.
 */
public final class Commands {

    /** Directories searched after {@code PATH}: daemons live in sbin, often missing from a user's PATH. */
    private static final List<String> EXTRA_BIN_DIRS =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

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
    public static CommandResult run(List<String> command, Map<String, String> environment, Duration timeout) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, executable(command.get(0)));
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("sbcmd-", ".out");
            err = Files.createTempFile("sbcmd-", ".err");
            ProcessBuilder builder = new ProcessBuilder(resolved)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new CommandException(command, "cannot run `" + display(command) + "`: " + e.getMessage(), e);
            }
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
                throw new CommandException(command, "interrupted while running `" + display(command) + "`", e);
            }
            if (!finished) {
                kill(process);
                String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
                throw new CommandException(command, "`" + display(command) + "` did not finish within "
                        + timeout.toSeconds() + " s and was killed" + (stderr.isEmpty() ? "" : "; stderr: " + stderr),
                        null);
            }
            return new CommandResult(process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CommandException(command, "cannot capture the output of `" + display(command) + "`: "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** {@link #run} with no extra environment. */
    public static CommandResult run(Duration timeout, String... command) {
        return run(List.of(command), Map.of(), timeout);
    }

    /**
     * Runs {@code command} and returns its standard output.
     *
     * @throws CommandException if it cannot run, times out, or exits with a non-zero status
     */
    public static String check(List<String> command, Map<String, String> environment, Duration timeout) {
        CommandResult result = run(command, environment, timeout);
        if (!result.succeeded()) {
            throw new CommandException(command, result);
        }
        return result.stdout();
    }

    /**
     * The absolute path of program {@code name}, searched in {@code PATH} and then in the usual
     * bin and sbin directories; {@code name} itself if it contains a slash or is found nowhere
     * (starting it then fails with a clear error).
     */
    public static String executable(String name) {
        if (name.contains("/")) {
            return name;
        }
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(dir);
                }
            }
        }
        dirs.addAll(EXTRA_BIN_DIRS);
        for (String dir : dirs) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return name;
    }

    /** Whether {@link #executable} finds {@code name} anywhere. */
    public static boolean isInstalled(String name) {
        return !executable(name).equals(name) || (name.contains("/") && Files.isExecutable(Path.of(name)));
    }

    /** The command as one might type it, for messages. */
    static String display(List<String> command) {
        return command.stream()
                .map(arg -> arg.isEmpty() || arg.matches(".*[\\s'\"\\\\$].*") ? "'" + arg.replace("'", "'\\''") + "'" : arg)
                .collect(Collectors.joining(" "));
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover empty temp file is harmless.
            }
        }
    }
}
