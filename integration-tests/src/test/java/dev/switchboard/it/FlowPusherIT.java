package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The static flow pusher ({@code POST}, {@code PUT}, {@code DELETE /api/v1/switches/{dpid}/flows})
 * of a controller in this JVM against bridges of a real private OVS, checked from outside with
 * {@code ovs-ofctl dump-flows}: 1,000 flows on OpenFlow 1.3 (batches) and 1.4/1.5 (one bundle),
 * a flow OVS refuses, modify, delete by match and by cookie, and each error status.
 */
class FlowPusherIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int FLOWS = 1000;
    private static final String COOKIE = "0xf1";

    private static PrivateOvs ovs;
    private static Switchboard switchboard;
    private static String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        // the bridges live in the private OVS's namespace and reach the controller over its uplink
        ovs = PrivateOvs.start();
        switchboard = Switchboard.start(
                ControllerConfig.builder().listen(List.of(new InetSocketAddress(ovs.controllerAddress(), 0))).build(),
                SwitchboardConfig.defaults().ovsdb(), List.of(), name -> AppConfig.of("apps." + name, Map.of()),
                new RestConfig(true, "127.0.0.1", 0, Optional.empty()));
        base = "http://127.0.0.1:" + switchboard.rest().orElseThrow().port() + "/api/v1";
    }

    @AfterAll
    static void stop() {
        if (switchboard != null) {
            switchboard.close();
        }
        if (ovs != null) {
            ovs.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"OpenFlow13", "OpenFlow14", "OpenFlow15"})
    void postPutAndDeleteReachOvs(String protocol) throws Exception {
        boolean bundle = !protocol.equals("OpenFlow13");
        String bridge = RunNames.name("fp" + protocol.substring(protocol.length() - 2));
        DatapathId dpid = DatapathId.of(0xf100 + Integer.parseInt(protocol.substring(protocol.length() - 2)));
        try {
            connect(bridge, dpid, protocol);
            String flows = base + "/switches/" + dpid + "/flows";

            JsonNode added = expect(send("POST", flows, "text/plain", file(FLOWS)), 200);
            assertThat(added.get("requested").asInt()).isEqualTo(FLOWS);
            assertThat(added.get("installed").asInt()).isEqualTo(FLOWS);
            assertThat(added.get("failed")).isEmpty();
            assertThat(added.get("method").asText()).isEqualTo(bundle ? "bundle" : "batches");
            assertThat(ours(protocol, bridge)).isEqualTo(FLOWS);

            // PUT: the matching flow's actions change, and only its
            expect(send("PUT", flows, "text/plain", "ip,nw_dst=10.0.5.1,actions=output:3\n"), 200);
            assertThat(dump(protocol, bridge, "ip,nw_dst=10.0.5.1")).contains("actions=output:3");
            assertThat(dump(protocol, bridge, "ip,nw_dst=10.0.6.1")).contains("output:").doesNotContain("actions=output:3");
            expect(send("PUT", flows + "?strict=true", "application/json",
                    "[{\"priority\": 10, \"match\": {\"ip\": true, \"nw_dst\": \"10.0.6.1\"}, \"actions\": [\"drop\"]}]"), 200);
            assertThat(dump(protocol, bridge, "ip,nw_dst=10.0.6.1")).contains("actions=drop");

            // DELETE by match: the 256 flows of 10.1.x.1 go, the others stay
            expect(send("DELETE", flows + "?match=" + encode("ip,nw_dst=10.1.0.0/16"), null, null), 200);
            assertThat(ours(protocol, bridge)).isEqualTo(FLOWS - 256);
            assertThat(dump(protocol, bridge, "ip,nw_dst=10.0.5.1")).contains("output:3");

            // one flow OVS refuses (goto_table back to an earlier table)
            String withBadOne = file(10) + "\ncookie=" + COOKIE + ",table=5,priority=7,actions=goto_table:1\n";
            JsonNode refused = expect(send("POST", flows, "text/plain", withBadOne), 422);
            assertThat(refused.get("failed")).hasSize(1);
            JsonNode failed = refused.get("failed").get(0);
            assertThat(failed.get("index").asInt()).isEqualTo(10);
            assertThat(failed.get("line").asInt()).isEqualTo(12);
            assertThat(failed.get("flow").asText()).contains("goto_table:1");
            assertThat(failed.get("error").asText()).startsWith("BAD_INSTRUCTION");
            assertThat(refused.get("error").asText()).isNotEmpty();
            assertThat(refused.get("installed").asInt()).isEqualTo(bundle ? 0 : 10);
            assertThat(dump(protocol, bridge, "table=5")).doesNotContain("goto_table");

            // DELETE by cookie: every flow of ours goes, the controller's table-miss flow stays
            JsonNode deleted = expect(send("DELETE", flows + "?cookie=" + COOKIE + "/-1", null, null), 200);
            assertThat(deleted.get("deleted").asText()).isEqualTo("matching flows");
            assertThat(ours(protocol, bridge)).isZero();
            assertThat(dump(protocol, bridge, "")).contains("actions=CONTROLLER");
        } finally {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    /**
     * A body is parsed while its bundle is already being sent: a bad line after the first batches
     * still leaves nothing installed (the bundle is discarded), and the connection takes the next one.
     */
    @Test
    void aBadLineAfterFlowsWereSentDiscardsTheBundle() throws Exception {
        String bridge = RunNames.name("fplate");
        DatapathId dpid = DatapathId.of(0xf1a7);
        try {
            connect(bridge, dpid, "OpenFlow14");
            String flows = base + "/switches/" + dpid + "/flows";

            JsonNode bad = expect(send("POST", flows, "text/plain", file(5000) + "\npriority=1,ip,nw_dst=10.0.0.300,actions=drop\n"), 400);

            assertThat(bad.get("error").asText()).startsWith("line 5002: 'nw_dst=10.0.0.300'");
            assertThat(ours("OpenFlow14", bridge)).as("the bundle was discarded").isZero();
            assertThat(expect(send("POST", flows, "text/plain", file(10)), 200).get("installed").asInt()).isEqualTo(10);
            assertThat(ours("OpenFlow14", bridge)).isEqualTo(10);
        } finally {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    /** 100,000 flows (about 9 MB of text) in one request, one bundle; counted as {@code dump-flows | wc -l}. */
    @Test
    void aHundredThousandFlowsInOneRequest() throws Exception {
        String bridge = RunNames.name("fp100k");
        DatapathId dpid = DatapathId.of(0xf10c);
        int count = 100_000;
        try {
            // 1.3 too, so the count below can be ovs-ofctl -O OpenFlow13's; the controller picks 1.4, a bundle
            connect(bridge, dpid, "OpenFlow13,OpenFlow14");
            String body = IntStream.range(0, count)
                    .mapToObj(i -> "cookie=" + COOKIE + ",priority=10,ip,nw_dst=10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "."
                            + (i & 0xff) + ",actions=mod_dl_dst:00:00:00:00:00:01,output:" + (1 + i % 2))
                    .collect(Collectors.joining("\n", "", "\n"));

            JsonNode added = expect(send("POST", base + "/switches/" + dpid + "/flows", "text/plain", body), 200);

            assertThat(added.get("requested").asInt()).isEqualTo(count);
            assertThat(added.get("installed").asInt()).isEqualTo(count);
            assertThat(added.get("method").asText()).isEqualTo("bundle");
            // OVS's own count: a dump of 100,000 flows is ~15 MB, beyond what a captured command output keeps
            assertThat(ourFlowCount("OpenFlow13", bridge)).isEqualTo(count);
            assertThat(dump("OpenFlow13", bridge, "ip,nw_dst=10.1.134.159"))
                    .as("the last flow, 99,999 = 1.134.159").contains("output:2");
        } finally {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    @Test
    void errorStatuses() throws Exception {
        String bridge = RunNames.name("fperr");
        DatapathId dpid = DatapathId.of(0xf1ee);
        try {
            connect(bridge, dpid, "OpenFlow13");
            String flows = base + "/switches/" + dpid + "/flows";

            JsonNode bad = expect(send("POST", flows, "text/plain", file(5) + "\npriority=1,ip,nw_dst=10.0.0.300,actions=drop\n"), 400);
            assertThat(bad.get("error").asText()).startsWith("line 7: 'nw_dst=10.0.0.300'");
            assertThat(ours("OpenFlow13", bridge)).as("nothing sent for a body with a bad line").isZero();

            expect(send("POST", base + "/switches/00:00:00:00:00:00:f1:99/flows", "text/plain", file(5)), 404);

            JsonNode tooLarge = expect(send("POST", flows, "text/plain", "#".repeat((16 << 20) + 1)), 413);
            assertThat(tooLarge.get("error").asText()).contains("16 MiB");

            // 503: the switch goes away while its flows are being installed
            OFSwitch sw = switchboard.controller().switches().getSwitch(dpid).orElseThrow();
            ovs.pauseSwitchDaemon();
            try {
                CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request("POST", flows, "text/plain", file(FLOWS)),
                        HttpResponse.BodyHandlers.ofString());
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !pending.isDone());
                sw.disconnect();
                HttpResponse<String> gone = pending.get(20, TimeUnit.SECONDS);
                assertThat(gone.statusCode()).as(gone.body()).isEqualTo(503);
                assertThat(JSON.readTree(gone.body()).get("error").asText()).contains("disconnected");
            } finally {
                ovs.resumeSwitchDaemon();
            }
        } finally {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    private static void connect(String bridge, DatapathId dpid, String protocol) {
        ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev",
                "protocols=" + protocol, "fail_mode=secure",
                "other-config:datapath-id=" + dpid.toString().replace(":", ""),
                "--", "set-controller", bridge, ovs.controllerTarget(switchboard.openflowAddresses().get(0).getPort()),
                "--", "set", "controller", bridge, "max_backoff=1000");
        await().atMost(PATIENCE).until(() -> switchboard.controller().switches().getSwitch(dpid).isPresent());
    }

    /** {@code count} flows to 10.(i / 256).(i % 256).1, a comment first: line N + 2 holds flow N. */
    private static String file(int count) {
        return "# generated by FlowPusherIT\n" + IntStream.range(0, count)
                .mapToObj(i -> "cookie=" + COOKIE + ",priority=10,ip,nw_dst=10." + (i >> 8) + "." + (i & 0xff) + ".1,"
                        + "actions=mod_dl_dst:00:00:00:00:00:01,output:" + (1 + i % 2))
                .collect(Collectors.joining("\n"));
    }

    private static long ours(String protocol, String bridge) {
        return ovs.ofctl("-O", protocol, "dump-flows", bridge, "cookie=" + COOKIE + "/-1").lines()
                .filter(line -> line.contains("cookie=" + COOKIE + ","))
                .count();
    }

    /** {@code ovs-ofctl dump-aggregate BRIDGE cookie=COOKIE/-1}'s flow_count. */
    private static long ourFlowCount(String protocol, String bridge) {
        String reply = ovs.ofctl("-O", protocol, "dump-aggregate", bridge, "cookie=" + COOKIE + "/-1");
        Matcher count = Pattern.compile("flow_count=(\\d+)").matcher(reply);
        assertThat(count.find()).as("flow_count in %s", reply).isTrue();
        return Long.parseLong(count.group(1));
    }

    private static String dump(String protocol, String bridge, String match) {
        return match.isEmpty() ? ovs.ofctl("-O", protocol, "dump-flows", bridge) : ovs.ofctl("-O", protocol, "dump-flows", bridge, match);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static HttpRequest request(String method, String uri, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request.build();
    }

    private HttpResponse<String> send(String method, String uri, String contentType, String body) throws IOException, InterruptedException {
        return http.send(request(method, uri, contentType, body), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode expect(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.request().method() + " " + response.uri() + ": " + response.body())
                .isEqualTo(status);
        return JSON.readTree(response.body());
    }
}
