package dev.switchboard.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ping running in a namespace the test made ({@code ping -D -i INTERVAL}), every reply kept
 * with the time ping printed, so a test can tell when pings stopped and came back. Its output
 * is line-buffered ({@code stdbuf -oL}): into a pipe ping would otherwise print in 4 KiB bursts.
 */
final class PingMonitor implements AutoCloseable {
    private static final Pattern REPLY = Pattern.compile("^\\[(\\d+)\\.(\\d{6})\\] \\d+ bytes from .*icmp_seq=(\\d+)");

    /** A reply: its sequence number and when it arrived. */
    record Reply(long seq, Instant at) {
    }

    /** The worst interruption in a window: the longest time between two replies, and the sequence numbers never answered. */
    record Outage(Duration longestGap, long missed, Instant resumedAt) {
        @Override
        public String toString() {
            return "longest gap between replies " + longestGap.toMillis() + " ms, " + missed + " requests unanswered";
        }
    }

    private final Process process;
    private final Thread reader;
    private final List<Reply> replies = new ArrayList<>(); // guarded by itself

    private PingMonitor(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "ping-monitor");
        reader.setDaemon(true);
        reader.start();
    }

    /** Pings {@code target} from {@code namespace} every {@code interval} until closed. */
    static PingMonitor start(String namespace, String target, Duration interval) {
        String seconds = String.format(java.util.Locale.ROOT, "%.3f", interval.toMillis() / 1000.0);
        try {
            Process process = new ProcessBuilder("ip", "netns", "exec", namespace, "stdbuf", "-oL", "ping", "-D", "-n", "-i", seconds, target)
                    .redirectErrorStream(true).start();
            return new PingMonitor(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start ping in " + namespace, e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher m = REPLY.matcher(line);
                if (m.find()) {
                    Instant at = Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1000);
                    synchronized (replies) {
                        replies.add(new Reply(Long.parseLong(m.group(3)), at));
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Whether a reply arrived after {@code instant}. */
    boolean answeredAfter(Instant instant) {
        synchronized (replies) {
            return replies.stream().anyMatch(r -> r.at().isAfter(instant));
        }
    }

    /**
     * The interruption seen from {@code from} on: the longest time between consecutive replies
     * (counting from the last reply before {@code from}), and how many sequence numbers in
     * between were never answered.
     */
    Outage outageSince(Instant from) {
        List<Reply> window = new ArrayList<>();
        Reply lastBefore = null;
        synchronized (replies) {
            for (Reply reply : replies) {
                if (reply.at().isBefore(from)) {
                    lastBefore = reply;
                } else {
                    window.add(reply);
                }
            }
        }
        if (lastBefore != null) {
            window.add(0, lastBefore);
        }
        if (window.size() < 2) {
            throw new IllegalStateException("no replies around " + from);
        }
        Duration longest = Duration.ZERO;
        Instant resumed = window.get(0).at();
        long missed = 0;
        for (int i = 1; i < window.size(); i++) {
            Duration gap = Duration.between(window.get(i - 1).at(), window.get(i).at());
            if (gap.compareTo(longest) > 0) {
                longest = gap;
                resumed = window.get(i).at();
            }
            missed += Math.max(0, window.get(i).seq() - window.get(i - 1).seq() - 1);
        }
        return new Outage(longest, missed, resumed);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
