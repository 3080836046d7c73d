package dev.switchboard.it;

import static dev.switchboard.it.TestSetup.config;
import static dev.switchboard.it.TestSetup.hostBehind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.ovsdb.vswitch.Change;
import dev.switchboard.ovsdb.vswitch.InterfaceType;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import dev.switchboard.ovsdb.vswitch.PortSpec;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * {@code GET /metrics} of a controller managing a private OVS through OVSDB: two declared
 * bridges (so two switches connected), two namespaces behind one of them pinging each other with
 * {@code l2-learning}, and the ports added through the controller's own OVSDB client. Scraped
 * before and after: the busy bridge's packet-in and flow-mod counters move, the quiet one's echo
 * round trips are measured, the OVSDB transaction counter moves with the ports.
 */
class MetricsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();
    private final String busy = RunNames.name("mtb");
    private final String quiet = RunNames.name("mtq");
    private final List<String> namespaces = List.of(RunNames.name("mn1"), RunNames.name("mn2"));
    private final List<String> veths = List.of(RunNames.name("mv1"), RunNames.name("mv2"));

    @Test
    void countersOfARealBridgeMoveWithItsTraffic() throws Exception {
        PrivateOvs ovs = PrivateOvs.start();
        Switchboard switchboard = null;
        try {
            SwitchboardConfig config = config("""
                    openflow:
                      listen: ["%s:0"]
                      echoInterval: 1s
                    ovsdb:
                      connect: ["%s"]
                      bridges:
                        - {name: %s, datapathType: netdev, protocols: [OpenFlow13]}
                        - {name: %s, datapathType: netdev, protocols: [OpenFlow13]}
                    apps:
                      l2-learning: {}
                    """.formatted(ovs.controllerAddress().getHostAddress(), ovs.dbTarget(), busy, quiet));
            switchboard = Switchboard.start(config.controllerConfig().build(), config.ovsdb(),
                    List.copyOf(config.apps().keySet()), config::appConfig, new RestConfig(true, "127.0.0.1", 0, Optional.empty()));
            String metricsUrl = "http://127.0.0.1:" + switchboard.rest().orElseThrow().port() + "/metrics";
            String busyDpid = dpidLabel(datapathOf(ovs, busy));
            String quietDpid = dpidLabel(datapathOf(ovs, quiet));
            String server = "outcome=\"committed\",server=\"" + ovs.dbTarget() + "\"";

            await().atMost(PATIENCE).until(() -> value(scrape(metricsUrl), "switchboard_switches_connected") == 2);
            String before = scrape(metricsUrl);
            double packetInsBefore = value(before, "switchboard_switch_packet_ins_total{" + busyDpid + "}");
            double flowModsBefore = value(before, "switchboard_switch_flow_mods_total{" + busyDpid + "}");
            double transactionsBefore = value(before, "switchboard_ovsdb_transactions_seconds_count{" + server + "}");
            assertThat(packetInsBefore).as(before).isGreaterThanOrEqualTo(0);
            assertThat(transactionsBefore).as("the declared bridges were made by a transaction").isPositive();

            // the namespaces' ports, added through the controller's own OVSDB client
            for (int i = 0; i < 2; i++) {
                hostBehind(namespaces.get(i), veths.get(i), "10.217.0." + (i + 1) + "/24");
                ovs.moveIntoNamespace(veths.get(i));
            }
            OvsdbClient client = switchboard.ovsdb().orElseThrow().clients().get(0);
            new OpenVSwitch(client).apply(List.of(
                    new Change.AddPort(PortSpec.of(busy, veths.get(0), InterfaceType.SYSTEM), false),
                    new Change.AddPort(PortSpec.of(busy, veths.get(1), InterfaceType.SYSTEM), false)))
                    .get(30, TimeUnit.SECONDS);
            assertThat(ovs.vsctl("list-ports", busy).lines()).containsExactlyInAnyOrderElementsOf(veths);

            await().atMost(PATIENCE).until(() -> Commands.run(Duration.ofSeconds(10), "ip", "netns", "exec",
                    namespaces.get(0), "ping", "-c", "1", "-W", "1", "10.217.0.2").stdout().contains(" 0% packet loss"));
            String pinged = Commands.run(Duration.ofSeconds(20), "ip", "netns", "exec", namespaces.get(0),
                    "ping", "-c", "5", "-i", "0.2", "-W", "1", "10.217.0.2").stdout();
            assertThat(pinged).contains(" 0% packet loss");
            assertThat(ovs.ofctl("-O", "OpenFlow13", "dump-flows", busy)).contains("cookie=0x534204");

            // the quiet bridge is silent for over echoInterval: the controller's echoes are answered
            await().atMost(PATIENCE).until(() -> value(scrape(metricsUrl),
                    "switchboard_switch_echo_rtt_seconds_count{" + quietDpid + "}") >= 1);
            String after = scrape(metricsUrl);
            System.out.println("METRICS after the pings:\n" + after.lines()
                    .filter(line -> line.startsWith("switchboard_")).reduce((a, b) -> a + "\n" + b).orElse(""));
            assertThat(value(after, "switchboard_switches_connected")).isEqualTo(2);
            assertThat(value(after, "switchboard_switch_packet_ins_total{" + busyDpid + "}")).isGreaterThan(packetInsBefore);
            assertThat(value(after, "switchboard_switch_flow_mods_total{" + busyDpid + "}"))
                    .as("l2-learning installed flows for the pings").isGreaterThan(flowModsBefore);
            assertThat(value(after, "switchboard_switch_packet_ins_total{" + quietDpid + "}")).isGreaterThanOrEqualTo(0);
            assertThat(value(after, "switchboard_switch_echo_rtt_seconds_sum{" + quietDpid + "}")).isPositive();
            assertThat(value(after, "switchboard_ovsdb_transactions_seconds_count{" + server + "}"))
                    .as("the ports were added by a transaction").isGreaterThan(transactionsBefore);
            assertThat(value(after, "switchboard_app_errors_total{app=\"l2-learning\",kind=\"processor\"}")).isZero();
            assertThat(value(after, "switchboard_handshake_failures_total{reason=\"protocol\"}")).isZero();
            assertThat(after).contains("jvm_memory_used_bytes{");
        } finally {
            if (switchboard != null) {
                switchboard.close();
            }
            namespaces.forEach(ns -> Commands.run(Duration.ofSeconds(10), "ip", "netns", "del", ns));
            veths.forEach(veth -> Commands.run(Duration.ofSeconds(10), "ip", "link", "del", veth));
            ovs.close();
        }
    }

    private String scrape(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** The series' value, or -1 when it is not in the scrape. */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static String dpidLabel(DatapathId dpid) {
        return "dpid=\"" + dpid + "\"";
    }

    /** The bridge's datapath id, once ovs-vswitchd created the bridge and wrote it. */
    private static DatapathId datapathOf(PrivateOvs ovs, String bridge) {
        String id = await().atMost(PATIENCE).until(() -> ovs.vsctl("get", "bridge", bridge, "datapath_id"),
                text -> text.startsWith("\""));
        return DatapathId.of(Long.parseUnsignedLong(id.replace("\"", ""), 16));
    }

}
