package dev.switchboard.lab.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lab command that changes things ({@code up}, {@code down}) at a time on this host:
 * a lock on {@code <labs dir>/.lock}, which the kernel releases when the holder dies, even by
 * {@code kill -9}, so a {@code down} after a killed {@code up} never waits. It also keeps two
 * labs from starting, or one from stopping, the shared private OVS under the other's feet.
 * Within one JVM the lock is reentrant and shared by threads in turn.
 */
final class LabLock implements AutoCloseable {
    private static final ReentrantLock IN_JVM = new ReentrantLock();
    /** The file lock while some thread of this JVM holds {@link #IN_JVM}; guarded by it. */
    private static FileLock held;

    private LabLock() {
    }

    /** Waits for the lock, saying so on {@code progress} when another command holds it. */
    static LabLock acquire(PrintStream progress) {
        IN_JVM.lock();
        try {
            if (IN_JVM.getHoldCount() == 1) {
                held = lockFile(progress);
            }
            return new LabLock();
        } catch (RuntimeException | Error e) {
            IN_JVM.unlock();
            throw e;
        }
    }

    private static FileLock lockFile(PrintStream progress) {
        Path file = LabState.directory().resolve(".lock");
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    progress.println("waiting for another lab up or down to finish (" + file + ")");
                    lock = channel.lock();
                }
                return lock;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (IN_JVM.getHoldCount() == 1 && held != null) {
                try {
                    held.channel().close(); // releases the lock
                } catch (IOException ignored) {
                    // the lock goes with the channel regardless
                }
                held = null;
            }
        } finally {
            IN_JVM.unlock();
        }
    }
}
