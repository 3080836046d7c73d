package dev.switchboard.ovs.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * The host-wide lock under which a private OVS's uplink subnet is chosen and taken, so that processes creating
 * namespaces at once (test forks running side by side, a lab beside a demo) never pick the same /30: the choice reads
 * the addresses in use, and only the lock keeps another process from taking the same one before ours is added.
 *
 * <p>Two locks, because a file lock is the process's: threads of this JVM wait on a monitor, and the one holding it
 * waits for the other processes on {@link #FILE} (a {@code fcntl} record lock; the kernel drops it if the process
 * dies, so a crash never leaves it held). Blocking: call off any event loop.
 */
final class UplinkLock {

    /** In {@code /run} (tmpfs, root's, never a private per-service /tmp), else the temp directory. */
    static final Path FILE = (Files.isDirectory(Path.of("/run")) ? Path.of("/run") : Path.of(System.getProperty("java.io.tmpdir")))
            .resolve("switchboard-ovs-uplinks.lock");

    private static final Object IN_THIS_JVM = new Object();

    private UplinkLock() {
    }

    /** Runs {@code action} holding the lock; the lock file stays (deleting it would let two holders in). */
    static <T> T holding(Supplier<T> action) {
        synchronized (IN_THIS_JVM) {
            try (FileChannel channel = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                return action.get();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + FILE + " to choose an uplink subnet", e);
            }
        }
    }
}
