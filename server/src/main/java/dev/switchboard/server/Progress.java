package dev.switchboard.server;

import dev.switchboard.lab.run.LabProgress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress of a long command on the terminal: {@link #start} a step of known size,
 * {@link #advance} it, {@link #finish} with a summary, which gets the time since this was
 * made: {@code "lab up: 64 hosts, 80 links in 2.1 s"}.
 *
 * <p>On a terminal the step is one line redrawn in place ({@code \r}, then erase to its end),
 * ended when the step is complete or the next begins. Elsewhere (a pipe, a file, a test) the
 * output stays readable as a log: a step prints a line only after it ran for
 * {@link #QUIET_NANOS} since its start or its last line, so a short command prints its summary
 * alone. One thread at a time; not for event loops (it writes to the terminal).
 */
public final class Progress implements LabProgress {
    /** Off a terminal, a running step prints at most one line this often. */
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** On a terminal, redraws at most this often (and when a step completes). */
    private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long startedAt;

    private String label;
    private int total;
    private int done;
    /** On a terminal: a step's line is drawn and not yet ended. */
    private boolean lineOpen;
    private long lastOutputAt;

    /** Progress on {@code out}, drawn in place when this process runs on a terminal. */
    public static Progress on(PrintWriter out) {
        return new Progress(out, System.console() != null, System::nanoTime);
    }

    /** Progress drawn in place on {@code out}, for a caller that knows its output is a terminal. */
    public static Progress onTerminal(PrintWriter out) {
        return new Progress(out, true, System::nanoTime);
    }

    Progress(PrintWriter out, boolean terminal, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.startedAt = clock.getAsLong();
    }

    @Override
    public void start(String label, int total) {
        endLine();
        this.label = label;
        this.total = Math.max(0, total);
        this.done = 0;
        lastOutputAt = clock.getAsLong();
        if (terminal) {
            draw();
        }
    }

    @Override
    public void advance(int n) {
        if (label == null || n <= 0) {
            return;
        }
        done = (int) Math.min(total, (long) done + n);
        long now = clock.getAsLong();
        if (terminal) {
            if (done == total || now - lastOutputAt >= REDRAW_NANOS) {
                lastOutputAt = now;
                draw();
            }
            if (done == total) {
                endLine();
            }
        } else if (now - lastOutputAt >= QUIET_NANOS) {
            lastOutputAt = now;
            out.println(stepText());
            out.flush();
        }
    }

    @Override
    public void finish(String summary) {
        endLine();
        label = null;
        out.println(summary + " in " + seconds(clock.getAsLong() - startedAt));
        out.flush();
    }

    /** {@code "2.1 s"}. */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private String stepText() {
        long percent = total == 0 ? 100 : done * 100L / total;
        return label + ": " + done + "/" + total + " (" + percent + "%)";
    }

    private void draw() {
        out.print("\r" + stepText() + "\033[K");
        out.flush();
        lineOpen = true;
    }

    private void endLine() {
        if (lineOpen) {
            out.println();
            out.flush();
            lineOpen = false;
        }
    }
}
