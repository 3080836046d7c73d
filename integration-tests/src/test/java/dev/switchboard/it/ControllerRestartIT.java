package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A controller restart is no outage: a fast ping from h1 to h4 across the four switches of
 * Mininet's linear,4 runs while the controller (every app, its state, its listening socket)
 * is stopped and a new one is started on the same port. The switches (fail_mode=secure) keep
 * forwarding on the apps' flows while it is away, and the new run reconciles those flows
 * instead of sweeping them: the ping loses at most what was in flight, the flows carrying it
 * keep their age and counters, and a flow for a port removed while the controller was away
 * is deleted.
 */
class ControllerRestartIT {
    /** Packets that may be lost in flight: none are expected, a couple are tolerated. */
    private static final int IN_FLIGHT = 2;
    private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern DURATION = Pattern.compile("duration=([0-9.]+)s");
    private static final Pattern PACKETS = Pattern.compile("n_packets=(\\d+)");

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"forwarding, OpenFlow13, ra", "l2-learning, OpenFlow13, rb", "forwarding, OpenFlow10, rc",
            "l2-learning, OpenFlow10, rd"})
    void aPingAcrossFourSwitchesLosesNothingThroughAControllerRestart(String app, String protocols, String run)
            throws Exception {
        // long idle timeouts: a flow that goes must go because it is stale, not because it idled out
        Map<String, Map<String, Object>> configs = Map.of(app, Map.of("idleTimeout", "300s"));
        try (AppNetwork lab = AppNetwork.start("linear,4", protocols, List.of(app), configs, run)) {
            for (String sw : List.of("s1", "s2", "s3", "s4")) {
                lab.ovs.vsctl("set-fail-mode", lab.net.kernelName(sw), "secure");
                assertThat(lab.ovs.vsctl("get-fail-mode", lab.net.kernelName(sw))).isEqualTo("secure");
            }
            lab.awaitDiscovery();
            assertThat(lab.net.pingAll()).as(lab.net.output()).isZero();
            String cookie = String.format("cookie=0x%x", AppCookies.cookie(AppRuntime.available(getClass().getClassLoader()).get(app)).getValue() >>> 40);
            String h1 = mac(lab, "h1");
            String h4 = mac(lab, "h4");
            String h3 = mac(lab, "h3");
            int h3Port = hostPort(lab, "h3", "s3");

            Path pingLog = lab.ovs.runDirectory().resolve("restart-ping.log");
            String pid = lab.net.run("h1", "ping -D -O -i 0.02 -W 1 " + ForwardingIT.ip(lab, "h4") + " > " + pingLog
                    + " 2>&1 & echo $!").trim();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> replies(pingLog) >= 50);
                String before = flow(lab, "s2", cookie, h1, h4);
                assertThat(before).as("the flow carrying h1 -> h4 on s2").isNotNull();

                Map<String, Double> timeline = new java.util.LinkedHashMap<>();
                long stop = System.nanoTime();
                timeline.put("stopping", now());
                lab.stopController();
                timeline.put("stopped", now());
                await().atMost(Duration.ofSeconds(30)).until(() -> !anyConnected(lab));
                // while the controller is away: h3 is unplugged, its flows on s3 are left pointing at nothing
                lab.ovs.vsctl("del-port", lab.net.kernelName("s3"), lab.net.kernelName("s3") + "-eth" + h3Port);
                timeline.put("h3 unplugged", now());
                List<String> staleBefore = portFlows(lab, "s3", cookie, h3, h3Port);
                long repliesWhileDown = replies(pingLog);
                await().atMost(Duration.ofSeconds(5)).until(() -> replies(pingLog) > repliesWhileDown + 25);

                long start = System.nanoTime();
                timeline.put("starting", now());
                lab.startController();
                await().atMost(Duration.ofSeconds(30)).until(() -> allConnected(lab)
                        && lab.switchboard.controller().switches().switches().size() == 4);
                timeline.put("all connected", now());
                double away = (System.nanoTime() - stop) / 1e9;
                double back = (System.nanoTime() - start) / 1e9;
                long repliesAfter = replies(pingLog);
                await().atMost(Duration.ofSeconds(10)).until(() -> replies(pingLog) >= repliesAfter + 100);

                lab.net.run("h1", "kill -INT " + pid);
                await().atMost(Duration.ofSeconds(10)).until(() -> PING_SUMMARY.matcher(Files.readString(pingLog)).find());
                Matcher summary = PING_SUMMARY.matcher(Files.readString(pingLog));
                assertThat(summary.find()).isTrue();
                long sent = Long.parseLong(summary.group(1));
                long received = Long.parseLong(summary.group(2));
                System.out.printf("controller restart under %s over %s: %d pings sent, %d received, %d lost;"
                        + " controller away %.2f s, all four switches back %.2f s after the start;"
                        + " unanswered %s; timeline %s%n",
                        app, protocols, sent, received, sent - received, away, back, unanswered(pingLog), timeline);
                assertThat(sent - received).as("pings lost of %d across a %.2f s restart; unanswered %s; timeline %s",
                                sent, away, unanswered(pingLog), timeline)
                        .isLessThanOrEqualTo(IN_FLIGHT);

                String after = flow(lab, "s2", cookie, h1, h4);
                assertThat(after).as("the flow carrying h1 -> h4 on s2 after the restart").isNotNull();
                assertThat(seconds(after)).as("kept, not re-installed: its age goes on (%s then %s)", before, after)
                        .isGreaterThan(seconds(before) + away - 1);
                assertThat(packets(after)).as("and it carried the ping throughout").isGreaterThan(packets(before));

                assertThat(staleBefore).as("h3's flows on s3 after its port went, before the restart").isNotEmpty();
                await().atMost(Duration.ofSeconds(10)).until(() -> portFlows(lab, "s3", cookie, h3, h3Port).isEmpty());
            } finally {
                lab.net.run("h1", "kill " + pid + " 2>/dev/null");
            }
        }
    }

    private static double now() {
        return System.currentTimeMillis() / 1e3;
    }

    private static final Pattern UNANSWERED = Pattern.compile("\\[([0-9.]+)\\] no answer yet for icmp_seq=(\\d+)");

    /** The pings ping -O reported unanswered, as runs of sequence numbers with the time of the first. */
    private static List<String> unanswered(Path log) throws java.io.IOException {
        List<String> runs = new ArrayList<>();
        long first = -1;
        long last = -1;
        String since = "";
        for (String line : Files.readAllLines(log)) {
            Matcher m = UNANSWERED.matcher(line);
            if (!m.find()) {
                continue;
            }
            long seq = Long.parseLong(m.group(2));
            if (seq != last + 1 && first >= 0) {
                runs.add(first + ".." + last + "@" + since);
                first = -1;
            }
            if (first < 0) {
                first = seq;
                since = m.group(1);
            }
            last = seq;
        }
        if (first >= 0) {
            runs.add(first + ".." + last + "@" + since);
        }
        return runs;
    }

    /** Echo replies in the ping log so far. */
    private static long replies(Path log) throws java.io.IOException {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains("bytes from")).count() : 0;
    }

    private static boolean anyConnected(AppNetwork lab) {
        return lab.ovs.vsctl("--columns=is_connected", "list", "controller").contains("true");
    }

    private static boolean allConnected(AppNetwork lab) {
        String states = lab.ovs.vsctl("--columns=is_connected", "list", "controller");
        return states.contains("true") && !states.contains("false");
    }

    /** The app's flow on {@code sw} from {@code src} to {@code dst}, as ovs-ofctl prints it, or null. */
    private static String flow(AppNetwork lab, String sw, String cookie, String src, String dst) {
        for (String line : dumpFlows(lab, sw)) {
            if (line.contains(cookie) && line.contains("dl_src=" + src) && line.contains("dl_dst=" + dst)) {
                return line;
            }
        }
        return null;
    }

    /** The app's flows on {@code sw} that involve {@code mac} and its port {@code port}. */
    private static List<String> portFlows(AppNetwork lab, String sw, String cookie, String mac, int port) {
        List<String> flows = new ArrayList<>();
        for (String line : dumpFlows(lab, sw)) {
            if (line.contains(cookie) && line.contains(mac)
                    && (line.contains("in_port=" + port + ",") || line.matches(".*actions=output:" + port + "\\b.*"))) {
                flows.add(line);
            }
        }
        return flows;
    }

    private static List<String> dumpFlows(AppNetwork lab, String sw) {
        return lab.ovs.ofctl("-O", protocolsOf(lab), "--no-names", "dump-flows", lab.net.kernelName(sw)).lines().toList();
    }

    private static String protocolsOf(AppNetwork lab) {
        return lab.protocols();
    }

    private static double seconds(String flow) {
        Matcher m = DURATION.matcher(flow);
        assertThat(m.find()).as(flow).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static long packets(String flow) {
        Matcher m = PACKETS.matcher(flow);
        assertThat(m.find()).as(flow).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String mac(AppNetwork lab, String host) {
        return lab.mininetTopology().path("hosts").path(host).path("mac").asText();
    }

    /** The port of {@code sw} that {@code host} hangs on. */
    private static int hostPort(AppNetwork lab, String host, String sw) {
        for (JsonNode link : lab.mininetTopology().path("links")) {
            for (int i = 0; i < 2; i++) {
                if (link.get(i).path("node").asText().equals(sw) && link.get(1 - i).path("node").asText().equals(host)) {
                    return link.get(i).path("port").asInt();
                }
            }
        }
        throw new IllegalStateException(host + " is not on " + sw);
    }
}
