package dev.switchboard.server;

import dev.switchboard.hostnet.Cidr;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.LinkEnd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ping every 100 ms from a lab's first host to its last, while the cluster demo kills a master: iputils'
 * {@code ping -D -O} in the host's namespace, its output in a file, read afterwards for the longest silence.
 */
final class BackgroundPing {
    private static final Pattern ANSWER = Pattern.compile("^\\[(\\d+)\\.(\\d{6})\\] \\d+ bytes from .*icmp_seq=(\\d+)");
    private static final Pattern UNANSWERED = Pattern.compile("no answer yet for icmp_seq=(\\d+)");

    private final Process process;
    private final Path output;
    private final String description;

    private BackgroundPing(Process process, Path output, String description) {
        this.process = process;
        this.output = output;
        this.description = description;
    }

    /** Starts pinging from the spec's first host to its last host's first address. */
    static BackgroundPing start(LabSpec spec, Path output) throws IOException {
        String from = spec.hosts().get(0).name();
        String to = spec.hosts().get(spec.hosts().size() - 1).name();
        String address = spec.links().stream().flatMap(link -> java.util.stream.Stream.of(link.a(), link.b()))
                .filter(end -> end.node().equals(to)).map(LinkEnd::addresses).flatMap(List::stream).findFirst()
                .map(Cidr::address).map(java.net.InetAddress::getHostAddress)
                .orElseThrow(() -> new UserFacingException("host " + to + " of lab " + spec.name() + " has no address to ping"));
        Process process = new ProcessBuilder("ip", "netns", "exec", spec.names().namespace(from),
                "ping", "-D", "-n", "-O", "-i", "0.1", "-W", "1", address)
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new BackgroundPing(process, output, from + " -> " + to + " (" + address + ")");
    }

    /** {@code FROM -> TO (ADDRESS)}. */
    String description() {
        return description;
    }

    void stop() {
        process.destroy(); // ping writes each line as it goes: nothing is lost
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every ping of the last {@code window} was answered (at least one in ten pings' time), so that a
     * mastership change still under way (a rebalance after the takeover) does not fall into the next pings.
     *
     * @return whether it got there within {@code patience}
     */
    boolean awaitSteady(Duration window, Duration patience) throws IOException, InterruptedException {
        Pattern stamped = Pattern.compile("^\\[(\\d+)\\.(\\d{6})\\] (.*)");
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            Instant since = Instant.now().minus(window);
            int answered = 0;
            boolean missed = false;
            for (String line : Files.readAllLines(output)) {
                Matcher matcher = stamped.matcher(line);
                if (matcher.find() && !Instant.ofEpochSecond(Long.parseLong(matcher.group(1)),
                        Long.parseLong(matcher.group(2)) * 1000).isBefore(since)) {
                    if (ANSWER.matcher(line).find()) {
                        answered++;
                    } else {
                        missed = true;
                    }
                }
            }
            if (!missed && answered >= window.toMillis() / 100 - 1) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Stops it and says how many were answered and how long the longest silence after {@code killed} was. */
    String stopAndSummarize(Instant killed) throws IOException {
        stop();
        List<Instant> answers = new ArrayList<>();
        int highestSequence = 0;
        for (String line : Files.readAllLines(output)) {
            Matcher answer = ANSWER.matcher(line);
            Matcher unanswered = UNANSWERED.matcher(line);
            if (answer.find()) {
                answers.add(Instant.ofEpochSecond(Long.parseLong(answer.group(1)), Long.parseLong(answer.group(2)) * 1000));
                highestSequence = Math.max(highestSequence, Integer.parseInt(answer.group(3)));
            } else if (unanswered.find()) {
                highestSequence = Math.max(highestSequence, Integer.parseInt(unanswered.group(1)));
            }
        }
        Duration longest = Duration.ZERO;
        Instant firstAfterGap = null;
        Instant last = null;
        for (Instant answer : answers) {
            if (last != null && !answer.isBefore(killed) && Duration.between(last, answer).compareTo(longest) > 0) {
                longest = Duration.between(last, answer);
                firstAfterGap = answer;
            }
            last = answer;
        }
        String back = firstAfterGap == null ? "no answer after the kill"
                : "longest silence " + longest.toMillis() + " ms, answered again " + Duration.between(killed, firstAfterGap).toMillis()
                        + " ms after the kill";
        return "pings " + description + " every 100 ms across the kill: " + highestSequence + " sent, " + answers.size()
                + " answered; " + back;
    }
}
