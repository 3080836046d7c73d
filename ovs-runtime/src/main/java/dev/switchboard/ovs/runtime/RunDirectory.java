package dev.switchboard.ovs.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run directory of a private OVS: its length limit (unix socket paths), creating a fresh one, accepting an
 * earlier run's, and deleting it.
 */
final class RunDirectory {

    private static final Logger log = LoggerFactory.getLogger(RunDirectory.class);

    /**
     * Longest run directory: a unix socket path holds at most 107 bytes, and the longest socket
     * inside it is {@code /BRIDGE.snoop} with a 15-character bridge name.
     */
    static final int MAX_LENGTH = 107 - "/123456789012345.snoop".length();

    private RunDirectory() {
    }

    static void checkLength(Path dir) {
        int length = dir.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("run directory " + dir + " is " + length + " bytes long; unix socket "
                    + "paths inside it must stay under 108 bytes, so it may be at most "
                    + MAX_LENGTH);
        }
    }

    static Path createTempRunDirectory() {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "sbovs-");
            checkLength(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run directory under /tmp", e);
        }
    }

    /**
     * Creates {@code dir}, or accepts it if empty, or clears the files of an earlier private OVS
     * whose daemons are gone. Refuses anything else, since {@link #close()} deletes the directory.
     */
    static Path prepareRunDirectory(Path dir) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir);
                return dir;
            }
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("run directory " + dir + " exists and is not a directory");
            }
            if (isEmpty(dir)) {
                return dir;
            }
            if (!Files.exists(dir.resolve("conf.db"))) {
                throw new IllegalArgumentException("run directory " + dir + " is not empty and holds no earlier OVS "
                        + "run (no conf.db); refusing to use it, as closing would delete it");
            }
            List<String> stillRunning = new ArrayList<>();
            for (PrivateOvs.Daemon daemon : PrivateOvs.Daemon.values()) {
                DaemonProcesses.readPidfile(daemon.pidfile(dir))
                        .filter(pid -> DaemonProcesses.isAlive(pid, daemon.program))
                        .ifPresent(pid -> stillRunning.add(daemon.program + " pid " + pid));
            }
            if (!stillRunning.isEmpty()) {
                throw new IllegalStateException("an OVS from an earlier run still runs in " + dir + " ("
                        + String.join(", ", stillRunning) + "); stop it with `ovs-appctl -t "
                        + PrivateOvs.Daemon.OVS_VSWITCHD.control(dir) + " exit --cleanup` and `ovs-appctl -t "
                        + PrivateOvs.Daemon.OVSDB_SERVER.control(dir) + " exit`");
            }
            log.warn("Removing the files of an earlier private OVS run from {}", dir);
            try (Stream<Path> children = Files.list(dir)) {
                for (Path child : (Iterable<Path>) children::iterator) {
                    deleteRecursively(child);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare run directory " + dir, e);
        }
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.warn("Cannot delete {}: {}", p, e.toString());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("Cannot delete {}: {}", path, e.toString());
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }
}
