package dev.switchboard.ovs.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code /proc} and pidfiles say about detached daemons: whether a pid still runs a given program (a reused
 * pid does not count, nor a zombie nobody may reap), and waiting for one to go.
 */
final class DaemonProcesses {

    private static final Logger log = LoggerFactory.getLogger(DaemonProcesses.class);
    private static final Path PROC = Path.of("/proc");

    private DaemonProcesses() {
    }

    /**
     * Whether process {@code pid} runs {@code program}: it exists in /proc, is not a zombie
     * (nobody may reap a detached daemon here), and its name matches, so a reused pid does not count.
     */
    static boolean isAlive(long pid, String program) {
        Path proc = PROC.resolve(Long.toString(pid));
        try {
            String comm = Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).strip();
            return comm.equals(program) && !isZombie(proc);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isZombie(Path proc) throws IOException {
        String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
        // "pid (comm) S ...": the state follows the last ')' since comm may hold one.
        int close = stat.lastIndexOf(')');
        char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
        return state == 'Z' || state == 'X';
    }

    /** Pids of live (non-zombie) processes whose name is {@code program}. */
    static List<Long> processesNamed(String program) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                long pid;
                try {
                    pid = Long.parseLong(entry.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (isAlive(pid, program)) {
                    pids.add(pid);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list processes in " + PROC, e);
        }
        pids.sort(null);
        return pids;
    }

    static Optional<Long> readPidfile(Path pidfile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidfile, StandardCharsets.US_ASCII).strip()));
        } catch (NoSuchFileException | NumberFormatException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("Cannot read pidfile {}: {}", pidfile, e.toString());
            return Optional.empty();
        }
    }

    static boolean waitUntilGone(long pid, String program, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(pid, program)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive(pid, program);
            }
        }
        return true;
    }
}
