package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import dev.switchboard.topology.TopologyService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The REST API of a controller running in this JVM, with a real Mininet network on a private
 * OVS connected to it: every resource and every error status, by real HTTP.
 */
class RestApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "it-token-" + RunNames.PREFIX;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyResourceAndErrorAgainstRealOvs() throws Exception {
        RestConfig rest = new RestConfig(true, "127.0.0.1", 0, Optional.of(TOKEN));
        // the switches live in the private OVS's namespace and reach the controller over its uplink
        try (PrivateOvs ovs = PrivateOvs.start();
                Switchboard switchboard = Switchboard.start(listenOn(ovs.controllerAddress()), SwitchboardConfig.defaults().ovsdb(),
                List.of("forwarding"), name -> AppConfig.of("apps." + name,
                        name.equals("forwarding") ? Map.of("idleTimeout", "45s") : Map.of()), rest);
                MininetNetwork net = MininetNetwork.start(ovs, "linear,2", switchboard.openflowAddresses().get(0).getPort(),
                        "OpenFlow13", RunNames.name("r"))) {
            String base = "http://127.0.0.1:" + switchboard.rest().orElseThrow().port() + "/api/v1";
            AppNetwork.awaitDiscovery(() -> switchboard.service(TopologyService.class).orElseThrow().current(), net.topology());
            assertThat(net.pingAll()).as(net.output()).isZero();

            // the auth rule: a token is configured, so a request without it is refused
            assertThat(send(base + "/health", false).statusCode()).isEqualTo(401);

            JsonNode health = get(base + "/health", 200);
            assertThat(health.get("status").asText()).isEqualTo("UP");
            assertThat(health.get("switches").asInt()).isEqualTo(2);

            JsonNode switches = get(base + "/switches", 200);
            assertThat(switches).extracting(s -> s.get("dpid").asText())
                    .containsExactly("00:00:00:00:00:00:00:01", "00:00:00:00:00:00:00:02");
            JsonNode s1 = switches.get(0);
            assertThat(s1.get("version").asText()).isEqualTo("1.3");
            assertThat(s1.get("role").asText()).isEqualTo("EQUAL");
            assertThat(s1.get("connectedSince").asText()).isNotEmpty();
            assertThat(s1.get("description").get("manufacturer").asText()).contains("Nicira");
            String s1Name = net.kernelName("s1");
            assertThat(s1.get("ports")).extracting(p -> p.get("name").asText()).contains(s1Name + "-eth1", s1Name + "-eth2");

            assertThat(get(base + "/switches/1", 200).get("dpid").asText()).isEqualTo("00:00:00:00:00:00:00:01");

            // counters from a real port-stats reply: h1's pings went in at s1-eth1
            JsonNode ports = get(base + "/switches/00:00:00:00:00:00:00:01/ports", 200);
            JsonNode eth1 = find(ports, p -> p.get("port").get("name").asText().equals(s1Name + "-eth1"));
            assertThat(eth1.get("counters").get("rxPackets").asLong()).isPositive();
            assertThat(eth1.get("counters").get("txBytes").asLong()).isPositive();

            // flows from a real flow-stats reply: the table-miss flow and forwarding's own
            JsonNode flows = get(base + "/switches/1/flows", 200);
            assertThat(flows).anySatisfy(f -> {
                assertThat(f.get("priority").asInt()).isZero();
                assertThat(f.get("actions").get(0).asText().toLowerCase()).startsWith("output:controller");
            });
            assertThat(flows).anySatisfy(f -> assertThat(f.get("cookie").asText()).startsWith("0x5342"));

            // groups and meters: read from the switch, as ovs-ofctl made them there
            assertThat(get(base + "/switches/1/groups", 200)).isEmpty();
            assertThat(get(base + "/switches/1/meters", 200)).isEmpty();
            ovs.ofctl("-O", "OpenFlow13", "add-group", s1Name,
                    "group_id=7,type=select,bucket=weight:3,actions=output:1,bucket=weight:5,actions=output:2");
            ovs.ofctl("-O", "OpenFlow13", "add-meter", s1Name, "meter=3,kbps,burst,band=type=drop,rate=1000,burst_size=100");
            JsonNode groups = get(base + "/switches/1/groups", 200);
            assertThat(groups).hasSize(1);
            assertThat(groups.get(0).get("groupId").asLong()).isEqualTo(7);
            assertThat(groups.get(0).get("type").asText()).isEqualTo("SELECT");
            assertThat(groups.get(0).get("buckets")).extracting(b -> b.get("weight").asInt() + " " + b.get("actions").get(0).asText())
                    .containsExactly("3 output:1", "5 output:2");
            JsonNode meters = get(base + "/switches/1/meters", 200);
            assertThat(meters).hasSize(1);
            assertThat(meters.get(0).get("meterId").asLong()).isEqualTo(3);
            assertThat(meters.get(0).get("flags")).extracting(JsonNode::asText).contains("KBPS", "BURST");
            assertThat(meters.get(0).get("bands").get(0).asText()).contains("rate=1000").contains("burstSize=100");
            assertThat(get(base + "/switches/2/groups", 200)).isEmpty();
            get(base + "/switches/00:00:00:00:00:00:00:99/groups", 404);
            get(base + "/switches/00:00:00:00:00:00:00:99/meters", 404);

            JsonNode links = get(base + "/links", 200);
            assertThat(links).hasSize(2);
            assertThat(links).extracting(l -> l.get("src").get("dpid").asText() + "/" + l.get("src").get("port").asLong())
                    .containsExactlyInAnyOrder("00:00:00:00:00:00:00:01/2", "00:00:00:00:00:00:00:02/2");

            JsonNode hosts = get(base + "/hosts", 200);
            assertThat(hosts).extracting(h -> h.get("ipv4").toString()).contains("[\"10.0.0.1\"]", "[\"10.0.0.2\"]");

            JsonNode path = get(base + "/paths?src=10.0.0.1&dst=10.0.0.2", 200);
            assertThat(path.get("links")).hasSize(1);
            assertThat(path.get("links").get(0).get("src").get("dpid").asText()).isEqualTo("00:00:00:00:00:00:00:01");
            assertThat(path.get("links").get(0).get("dst").get("dpid").asText()).isEqualTo("00:00:00:00:00:00:00:02");

            JsonNode apps = get(base + "/apps", 200);
            assertThat(apps).extracting(a -> a.get("name").asText()).containsExactly("topology", "hosts", "forwarding");
            // an app's settings: its config section as written, in the list and on its own page
            assertThat(find(apps, a -> a.get("name").asText().equals("forwarding")).get("settings").get("idleTimeout").asText())
                    .isEqualTo("45s");
            JsonNode forwarding = get(base + "/apps/forwarding", 200);
            assertThat(forwarding.get("state").asText()).isEqualTo("RUNNING");
            assertThat(forwarding.get("settings").get("idleTimeout").asText()).isEqualTo("45s");
            assertThat(forwarding.get("consumes")).extracting(JsonNode::asText).contains("TopologyService", "HostService");
            assertThat(get(base + "/apps/l2-learning", 200).get("state").asText()).isEqualTo("STOPPED");
            get(base + "/apps/nosuch", 404);
            // 409: topology cannot stop while hosts and forwarding consume it
            assertThat(post(base + "/apps/topology/disable", 409).get("error").asText()).contains("hosts", "forwarding");

            JsonNode openapi = get(base + "/openapi.json", 200);
            List<String> paths = new ArrayList<>();
            openapi.get("paths").fieldNames().forEachRemaining(paths::add);
            assertThat(paths).contains("/api/v1/switches", "/api/v1/switches/{dpid}", "/api/v1/switches/{dpid}/ports",
                    "/api/v1/switches/{dpid}/flows", "/api/v1/links", "/api/v1/hosts", "/api/v1/paths", "/api/v1/apps",
                    "/api/v1/health", "/api/v1/switches/{dpid}/groups", "/api/v1/switches/{dpid}/meters",
                    "/api/v1/apps/{name}", "/api/v1/apps/{name}/enable", "/api/v1/apps/{name}/disable");

            // errors
            assertThat(get(base + "/switches/not-a-dpid", 400).get("field").asText()).isEqualTo("dpid");
            assertThat(get(base + "/paths?src=10.0.0.1&dst=nonsense", 400).get("field").asText()).isEqualTo("dst");
            get(base + "/switches/00:00:00:00:00:00:00:99", 404);
            get(base + "/paths?src=10.0.0.1&dst=10.0.0.99", 404);

            // 503: the switch goes away while its flow-stats request is pending
            ovs.pauseSwitchDaemon();
            try {
                CompletableFuture<HttpResponse<String>> pending = http.sendAsync(
                        authorized(base + "/switches/2/flows").build(), HttpResponse.BodyHandlers.ofString());
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !pending.isDone());
                switchboard.controller().switches().getSwitch(DatapathId.of(2)).orElseThrow().disconnect();
                HttpResponse<String> gone = pending.get(10, TimeUnit.SECONDS);
                assertThat(gone.statusCode()).as(gone.body()).isEqualTo(503);
                assertThat(JSON.readTree(gone.body()).get("error").asText()).contains("disconnected");
            } finally {
                ovs.resumeSwitchDaemon();
            }
        }
    }

    @Test
    void anAppThatDoesNotRunIsAConflict() throws Exception {
        RestConfig rest = new RestConfig(true, "127.0.0.1", 0, Optional.empty());
        try (Switchboard switchboard = Switchboard.start(anyPort(), SwitchboardConfig.defaults().ovsdb(), List.of(),
                name -> AppConfig.of("apps." + name, Map.of()), rest)) {
            String base = "http://127.0.0.1:" + switchboard.rest().orElseThrow().port() + "/api/v1";
            HttpResponse<String> hosts = http.send(HttpRequest.newBuilder(URI.create(base + "/hosts")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hosts.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(hosts.body()).get("error").asText()).contains("hosts app is not running");
        }
    }

    @Test
    void aControllerOnANonLoopbackAddressWithoutTokenRefusesToStart() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.switchboard.server.Main", "controller", "--address", "127.0.0.1", "--port", "0",
                "--rest-address", "0.0.0.0", "--rest-port", "0", "--apps", "l2-learning")
                .redirectErrorStream(true).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the controller exits").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(output).isNotZero();
            assertThat(output).contains("0.0.0.0").contains("needs a bearer token");
        } finally {
            process.destroyForcibly();
        }
    }

    private HttpRequest.Builder authorized(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + TOKEN);
    }

    private HttpResponse<String> send(String uri, boolean withToken) throws IOException, InterruptedException {
        HttpRequest.Builder request = withToken ? authorized(uri) : HttpRequest.newBuilder(URI.create(uri));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String uri, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = send(uri, true);
        assertThat(response.statusCode()).as(uri + ": " + response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private JsonNode post(String uri, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(authorized(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri + ": " + response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static JsonNode find(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode node : array) {
            if (test.test(node)) {
                return node;
            }
        }
        throw new AssertionError("none matches in " + array);
    }

    private static ControllerConfig anyPort() {
        return listenOn(java.net.InetAddress.getLoopbackAddress());
    }

    private static ControllerConfig listenOn(java.net.InetAddress address) {
        return ControllerConfig.builder().listen(List.of(new InetSocketAddress(address, 0))).build();
    }
}
