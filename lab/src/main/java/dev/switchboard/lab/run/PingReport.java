package dev.switchboard.lab.run;

import java.util.List;
import java.util.Map;

/**
 * The outcome of pinging every host from every other, as Mininet's {@code pingall}.
 *
 * @param reached for each host, in order, the hosts it reached ("X" where it did not)
 */
public record PingReport(List<String> hosts, Map<String, List<String>> reached, int sent, int received) {

    public PingReport {
        hosts = List.copyOf(hosts);
        reached = Map.copyOf(reached);
    }

    public boolean failed() {
        return received < sent;
    }

    public int droppedPercent() {
        return sent == 0 ? 0 : (int) Math.round(100.0 * (sent - received) / sent);
    }

    /** Mininet's closing line: {@code *** Results: 0% dropped (12/12 received)}. */
    public String summary() {
        return String.format("*** Results: %d%% dropped (%d/%d received)", droppedPercent(), received, sent);
    }
}
