package dev.switchboard.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.ControllerStats;
import dev.switchboard.controller.HandshakeFailure;
import dev.switchboard.controller.SwitchStats;
import dev.switchboard.ovsdb.client.TransactionStats;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;

/** The binders read the plain stats through at every scrape, and follow switches and servers as they come and go. */
class MetricsBindersTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** A switch connection's stats, settable. */
    static final class FakeSwitch implements SwitchStats {
        final DatapathId id;
        volatile long packetIns;
        volatile long flowMods;
        volatile long packetOuts;
        volatile long echoes;
        volatile long echoNanos;
        volatile long lastEchoNanos;

        FakeSwitch(long dpid) {
            this.id = DatapathId.of(dpid);
        }

        @Override
        public DatapathId id() {
            return id;
        }

        @Override
        public long packetIns() {
            return packetIns;
        }

        @Override
        public long flowMods() {
            return flowMods;
        }

        @Override
        public long packetOuts() {
            return packetOuts;
        }

        @Override
        public long echoReplies() {
            return echoes;
        }

        @Override
        public long echoRoundTripNanos() {
            return echoNanos;
        }

        @Override
        public long lastEchoRoundTripNanos() {
            return lastEchoNanos;
        }

        @Override
        public long writeStalls() {
            return 0;
        }
    }

    /** The controller's stats, settable. */
    static final class FakeController implements ControllerStats {
        final List<SwitchStats> switches = new CopyOnWriteArrayList<>();
        final Map<HandshakeFailure, Long> failures = new EnumMap<>(HandshakeFailure.class);
        final Map<String, Long> processorFailures = new LinkedHashMap<>();
        volatile long writeStalls;
        volatile long closedUnwritable;

        @Override
        public Collection<SwitchStats> switches() {
            return List.copyOf(switches);
        }

        @Override
        public int connectedSwitches() {
            return switches.size();
        }

        @Override
        public int openConnections() {
            return switches.size();
        }

        @Override
        public int pendingConnections() {
            return 0;
        }

        @Override
        public long handshakeFailures(HandshakeFailure reason) {
            return failures.getOrDefault(reason, 0L);
        }

        @Override
        public long writeStalls() {
            return writeStalls;
        }

        @Override
        public long connectionsClosedUnwritable() {
            return closedUnwritable;
        }

        @Override
        public long connectionsClosedForBadInput() {
            return 0;
        }

        @Override
        public long readPauses() {
            return 0;
        }

        @Override
        public long writesRefused() {
            return 0;
        }

        @Override
        public long unknownMessagesSkipped() {
            return 0;
        }

        @Override
        public long unhandledMessages() {
            return 0;
        }

        @Override
        public long repliesTooLarge() {
            return 0;
        }

        @Override
        public long pendingWriteBytes() {
            return 4096;
        }

        @Override
        public synchronized Map<String, Long> processorFailures() {
            return Map.copyOf(processorFailures);
        }
    }

    private String scrape(DynamicMeters... dynamic) {
        for (DynamicMeters meters : dynamic) {
            meters.refresh();
        }
        return registry.scrape();
    }

    @Test
    void controllerAndSwitchCountsAreReadAtEachScrape() {
        FakeController controller = new FakeController();
        FakeSwitch s1 = new FakeSwitch(1);
        controller.switches.add(s1);
        ControllerMetrics metrics = new ControllerMetrics(controller);
        metrics.bindTo(registry);

        s1.packetIns = 5;
        s1.flowMods = 3;
        s1.packetOuts = 2;
        s1.echoes = 2;
        s1.echoNanos = 3_000_000;
        s1.lastEchoNanos = 1_000_000;
        controller.failures.put(HandshakeFailure.TIMEOUT, 4L);
        controller.writeStalls = 6;
        controller.closedUnwritable = 1;
        String text = scrape(metrics);

        String dpid = "dpid=\"00:00:00:00:00:00:00:01\"";
        assertThat(text).contains("switchboard_switches_connected 1.0")
                .contains("switchboard_switch_packet_ins_total{" + dpid + "} 5.0")
                .contains("switchboard_switch_flow_mods_total{" + dpid + "} 3.0")
                .contains("switchboard_switch_packet_outs_total{" + dpid + "} 2.0")
                .contains("switchboard_switch_echo_rtt_seconds_count{" + dpid + "} 2")
                .contains("switchboard_switch_echo_rtt_seconds_sum{" + dpid + "} 0.003")
                .contains("switchboard_switch_echo_rtt_last_seconds{" + dpid + "} 0.001")
                .contains("switchboard_handshake_failures_total{reason=\"timeout\"} 4.0")
                .contains("switchboard_handshake_failures_total{reason=\"closed\"} 0.0")
                .contains("switchboard_write_stalls_total 6.0")
                .contains("switchboard_disconnects_slow_total 1.0")
                .contains("switchboard_pending_write_bytes 4096.0");

        s1.packetIns = 9;
        assertThat(scrape(metrics)).contains("switchboard_switch_packet_ins_total{" + dpid + "} 9.0");
    }

    @Test
    void aSwitchThatLeftLosesItsSeriesAndOneThatReconnectedIsReadFromItsNewConnection() {
        FakeController controller = new FakeController();
        FakeSwitch first = new FakeSwitch(1);
        FakeSwitch other = new FakeSwitch(2);
        controller.switches.addAll(List.of(first, other));
        ControllerMetrics metrics = new ControllerMetrics(controller);
        metrics.bindTo(registry);
        first.packetIns = 100;
        assertThat(scrape(metrics)).contains("switchboard_switch_packet_ins_total{dpid=\"00:00:00:00:00:00:00:01\"} 100.0");

        controller.switches.remove(other);
        controller.switches.remove(first);
        FakeSwitch again = new FakeSwitch(1); // a new connection of the same datapath: counts from zero
        again.packetIns = 7;
        controller.switches.add(again);
        String text = scrape(metrics);

        assertThat(text).contains("switchboard_switch_packet_ins_total{dpid=\"00:00:00:00:00:00:00:01\"} 7.0")
                .doesNotContain("00:00:00:00:00:00:00:02")
                .contains("switchboard_switches_connected 1.0");
        metrics.close();
        assertThat(registry.scrape()).doesNotContain("switchboard_switch_packet_ins_total");
    }

    @Test
    void appErrorsAreCountedByAppAndKind() {
        FakeController controller = new FakeController();
        Map<String, Long> listenerFailures = new LinkedHashMap<>(Map.of("l2-learning", 0L));
        AppMetrics metrics = new AppMetrics(controller, () -> Map.copyOf(listenerFailures));
        metrics.bindTo(registry);
        assertThat(scrape(metrics)).contains("switchboard_app_errors_total{app=\"l2-learning\",kind=\"listener\"} 0.0")
                .contains("switchboard_app_errors_total{app=\"l2-learning\",kind=\"processor\"} 0.0");

        listenerFailures.put("l2-learning", 2L);
        synchronized (controller) {
            controller.processorFailures.put("l2-learning", 3L);
            controller.processorFailures.put("a-test-hook", 1L); // not an app: gets its meter when it fails
        }
        assertThat(scrape(metrics)).contains("switchboard_app_errors_total{app=\"l2-learning\",kind=\"listener\"} 2.0")
                .contains("switchboard_app_errors_total{app=\"l2-learning\",kind=\"processor\"} 3.0")
                .contains("switchboard_app_errors_total{app=\"a-test-hook\",kind=\"processor\"} 1.0");
    }

    @Test
    void ovsdbTransactionsAreTimedByServerAndOutcome() {
        List<OvsdbMetrics.Server> servers = new ArrayList<>();
        TransactionStats stats = new TransactionStats();
        servers.add(new OvsdbMetrics.Server("unix:/run/db.sock", stats));
        OvsdbMetrics metrics = new OvsdbMetrics(() -> List.copyOf(servers));
        metrics.bindTo(registry);

        stats.record(TransactionStats.Outcome.COMMITTED, 2_000_000);
        stats.record(TransactionStats.Outcome.COMMITTED, 4_000_000);
        stats.record(TransactionStats.Outcome.REFUSED, 1_000_000);
        String server = "server=\"unix:/run/db.sock\"";
        assertThat(scrape(metrics))
                .contains("switchboard_ovsdb_transactions_seconds_count{outcome=\"committed\"," + server + "} 2")
                .contains("switchboard_ovsdb_transactions_seconds_sum{outcome=\"committed\"," + server + "} 0.006")
                .contains("switchboard_ovsdb_transactions_seconds_count{outcome=\"refused\"," + server + "} 1")
                .contains("switchboard_ovsdb_transactions_seconds_count{outcome=\"failed\"," + server + "} 0");

        servers.clear();
        assertThat(scrape(metrics)).doesNotContain("switchboard_ovsdb_transactions");
    }
}
