package dev.switchboard.hostnet;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * The one runner of external programs in Switchboard (iproute2 here, the OVS tools and daemons in ovs-runtime):
 * runs a program to completion, with its stdin written on a thread of its own, killed with its descendants when the
 * timeout passes.
 *
 * <p>Standard output and error go to temporary files rather than pipes, so a chatty program cannot fill a pipe and
 * block, and a daemon that forks ({@code --detach}) and keeps the descriptors open cannot make us wait for an end of
 * file that never comes. Blocking: call it off any event loop.
 */
public final class Processes {

    /** Directories searched after {@code PATH}: daemons and ip live in sbin, often missing from a user's PATH. */
    private static final List<String> EXTRA_BIN_DIRS =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final String PATH = String.join(":", EXTRA_BIN_DIRS);
    private static final long KILL_GRACE_MILLIS = 2_000;

    private Processes() {
    }

    /** {@link #run(List, Map, String, Duration)} with no extra environment. */
    public static ExecResult run(List<String> command, String stdin, Duration timeout) {
        return run(command, Map.of(), stdin, timeout);
    }

    /**
     * Runs {@code command} with {@code LC_ALL=C} and the sbin directories on its {@code PATH}.
     *
     * @param command     program and arguments; a bare program name is looked up with {@link #executable}
     * @param environment variables added to (or replacing those in) this process's environment
     * @param stdin       text for its standard input, or null for none (it reads end-of-file)
     * @return the exit code and output, whatever the exit code; after the timeout {@link ExecResult#timedOut()}
     * @throws HostNetworkException if the program cannot be started (its cause is the {@link IOException}) or the
     *                              thread is interrupted
     */
    public static ExecResult run(List<String> command, Map<String, String> environment, String stdin,
            Duration timeout) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        long start = System.nanoTime();
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, executable(command.get(0)));
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("sbcmd-", ".out");
            err = Files.createTempFile("sbcmd-", ".err");
            ProcessBuilder builder = new ProcessBuilder(resolved)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Map<String, String> env = builder.environment();
            env.put("LC_ALL", "C");
            env.put("PATH", (env.containsKey("PATH") ? env.get("PATH") + ":" : "") + PATH);
            env.putAll(environment);
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new HostNetworkException("cannot run `" + display(command) + "`: " + e.getMessage(), e);
            }
            if (stdin != null) {
                writeInBackground(process, stdin);
            }
            boolean timedOut = false;
            try {
                if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    timedOut = true;
                    kill(process);
                }
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
                throw new HostNetworkException("interrupted while running `" + display(command) + "`", e);
            }
            int exit = process.isAlive() ? -1 : process.exitValue();
            boolean[] truncated = new boolean[1];
            String stdout = read(out, truncated);
            String stderr = read(err, truncated);
            return new ExecResult(command, exit, stdout, stderr, timedOut, truncated[0],
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new HostNetworkException("cannot capture the output of `" + display(command) + "`: "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * The absolute path of program {@code name}, searched in {@code PATH} and then in the usual bin and sbin
     * directories; {@code name} itself if it contains a slash or is found nowhere (starting it then fails with a clear
     * error).
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

    /** The command as one might type it in a shell, for messages. */
    public static String display(List<String> command) {
        return command.stream()
                .map(arg -> arg.isEmpty() || arg.matches(".*[\\s'\"\\\\$].*") ? "'" + arg.replace("'", "'\\''") + "'"
                        : arg)
                .collect(Collectors.joining(" "));
    }

    private static void writeInBackground(Process process, String stdin) {
        Thread writer = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the program exited without reading all of it; its exit status tells why
            }
        }, "process-stdin");
        writer.setDaemon(true);
        writer.start();
    }

    /** The first {@link ExecResult#OUTPUT_LIMIT} bytes of {@code file}, noting in {@code truncated} if there were more. */
    private static String read(Path file, boolean[] truncated) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] kept = in.readNBytes(ExecResult.OUTPUT_LIMIT);
            if (in.read() >= 0) {
                truncated[0] = true;
            }
            return new String(kept, StandardCharsets.UTF_8);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
