package dev.switchboard.hostnet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a program to completion: stdin written and stdout/stderr drained on their own threads (so a chatty or silent
 * program can never deadlock us), killed with its descendants when the timeout passes.
 */
final class Processes {

    /** How long to wait for the output readers after the process ended (a descendant may still hold the pipe). */
    private static final long READER_GRACE_MILLIS = 2_000;
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Processes() {
    }

    /**
     * Runs {@code command}.
     *
     * @param stdin text for its standard input, or null for none (it reads end-of-file)
     * @throws HostNetworkException if the program cannot be started
     */
    static ExecResult run(List<String> command, String stdin, Duration timeout) {
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("LC_ALL", "C");
        env.put("PATH", PATH + (env.containsKey("PATH") ? ":" + env.get("PATH") : ""));
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new HostNetworkException("cannot start '" + command.get(0) + "': " + e.getMessage(), e);
        }
        AtomicBoolean truncated = new AtomicBoolean();
        Drain out = new Drain(process.getInputStream(), truncated);
        Drain err = new Drain(process.getErrorStream(), truncated);
        Thread outThread = daemon(out, "hostnet-stdout");
        Thread errThread = daemon(err, "hostnet-stderr");
        if (stdin != null) {
            daemon(() -> {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the program exited without reading all of it; its exit status tells why
                }
            }, "hostnet-stdin");
        } else {
            closeQuietly(process.getOutputStream());
        }
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                timedOut = true;
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(READER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
            outThread.join(READER_GRACE_MILLIS);
            errThread.join(READER_GRACE_MILLIS);
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HostNetworkException("interrupted while running '" + command.get(0) + "'", e);
        }
        int exit = process.isAlive() ? -1 : process.exitValue();
        return new ExecResult(command, exit, out.text(), err.text(), timedOut, truncated.get(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Reads a stream to its end, keeping the first {@link ExecResult#OUTPUT_LIMIT} bytes. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final AtomicBoolean truncated;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Drain(InputStream in, AtomicBoolean truncated) {
            this.in = in;
            this.truncated = truncated;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        int room = ExecResult.OUTPUT_LIMIT - kept.size();
                        if (n > room) {
                            truncated.set(true);
                        }
                        kept.write(buffer, 0, Math.max(0, Math.min(n, room)));
                    }
                }
            } catch (IOException ignored) {
                // the pipe was closed under us (process killed); keep what was read
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
