package dev.switchboard.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Lines written to it go to {@code target} prefixed with the seconds since {@link #restart()}. */
final class TimedLines extends OutputStream {
    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private volatile long origin = System.nanoTime();

    TimedLines(PrintStream target) {
        this.target = target;
    }

    void restart() {
        origin = System.nanoTime();
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            target.printf(Locale.ROOT, "  [+%7.3f s] %s%n", (System.nanoTime() - origin) / 1e9,
                    line.toString(StandardCharsets.UTF_8));
            line.reset();
        } else {
            line.write(b);
        }
    }
}
