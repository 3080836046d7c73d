package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.lab.run.LabRunner;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The REST API's write routes against the real thing: bridges and ports made over REST on a
 * private OVS (checked with ovs-vsctl), an app enabled and disabled over REST (checked by its
 * flows in ovs-ofctl dump-flows), a lab brought up and down over REST (checked with ip netns; its
 * switch connects to the controller, which listens on loopback only, from the labs' private OVS),
 * and the token on every path of a server bound beyond loopback.
 */
class RestWritesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "it-token-" + RunNames.PREFIX;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void bridgesPortsAndAppsChangedOverRestShowInOvs() throws Exception {
        String bridge = RunNames.name("rb");
        String tunnel = RunNames.name("vx");
        try (PrivateOvs ovs = PrivateOvs.start()) {
            SwitchboardConfig.Ovsdb ovsdb = new SwitchboardConfig.Ovsdb(List.of(ovs.dbTarget()), null, null, null, null,
                    null, null, null, null, null);
            ControllerConfig openflow = ControllerConfig.builder()
                    .listen(List.of(new InetSocketAddress(ovs.controllerAddress(), 0))).build();
            try (Switchboard switchboard = Switchboard.start(openflow, ovsdb, List.of(),
                    name -> AppConfig.of("apps." + name, Map.of()), new RestConfig(true, "127.0.0.1", 0, Optional.of(TOKEN)))) {
                String base = "http://127.0.0.1:" + switchboard.rest().orElseThrow().port() + "/api/v1";
                String controller = ovs.controllerTarget(switchboard.openflowAddresses().get(0).getPort());

                JsonNode servers = await().atMost(PATIENCE).until(() -> send("GET", base + "/ovsdb", null, 200),
                        s -> s.size() == 1 && s.get(0).get("connected").asBoolean());
                String server = base + "/ovsdb/" + servers.get(0).get("id").asText();

                JsonNode created = send("POST", server + "/bridges", """
                        {"name": "%s", "datapathType": "netdev", "failMode": "secure", "protocols": ["OpenFlow13"],
                         "controllers": ["%s"]}""".formatted(bridge, controller), 201);
                assertThat(created.get("name").asText()).isEqualTo(bridge);
                assertThat(ovs.vsctl("list-br").lines()).contains(bridge);
                assertThat(ovs.vsctl("get", "bridge", bridge, "fail_mode")).isEqualTo("secure");
                assertThat(ovs.vsctl("get-controller", bridge)).isEqualTo(controller);
                assertThat(send("POST", server + "/bridges", "{\"name\": \"" + bridge + "\"}", 409).get("error").asText())
                        .contains("already exists");

                send("POST", server + "/bridges/" + bridge + "/ports", """
                        {"name": "%s", "type": "vxlan", "options": {"remote_ip": "192.0.2.9", "key": "42"}}"""
                        .formatted(tunnel), 201);
                assertThat(ovs.vsctl("get", "interface", tunnel, "type")).isEqualTo("vxlan");
                assertThat(ovs.vsctl("get", "interface", tunnel, "options")).contains("remote_ip=\"192.0.2.9\"")
                        .contains("key=\"42\"");
                JsonNode shown = send("GET", server + "/bridges/" + bridge, null, 200);
                assertThat(shown.get("ports").findValuesAsText("type")).contains("vxlan");
                assertThat(send("POST", server + "/bridges/" + bridge + "/ports", "{\"name\": \"x1\", \"type\": \"geneve\"}", 400)
                        .get("field").asText()).isEqualTo("options.remote_ip");
                send("GET", server + "/bridges/nosuch", null, 404);

                // an app enabled over REST serves the switch already connected: its flow appears, then goes
                String dpidText = await().atMost(PATIENCE).until(() -> ovs.vsctl("get", "bridge", bridge, "datapath_id"),
                        text -> text.startsWith("\""));
                DatapathId dpid = DatapathId.of(Long.parseUnsignedLong(dpidText.replace("\"", ""), 16));
                await().atMost(PATIENCE).until(() -> switchboard.controller().switches().getSwitch(dpid).isPresent());
                assertThat(send("POST", base + "/apps/l2-learning/enable", null, 409).get("error").asText())
                        .contains("'topology'");
                assertThat(send("POST", base + "/apps/normal/enable", null, 200).get("state").asText()).isEqualTo("RUNNING");
                await().atMost(PATIENCE).until(() -> ovs.ofctl("-O", "OpenFlow13", "dump-flows", bridge)
                        .contains("cookie=0x5342010000000000"));
                assertThat(send("GET", base + "/apps/normal", null, 200).get("state").asText()).isEqualTo("RUNNING");
                assertThat(send("POST", base + "/apps/normal/disable", null, 200).get("state").asText()).isEqualTo("STOPPED");
                assertThat(ovs.ofctl("-O", "OpenFlow13", "dump-flows", bridge)).doesNotContain("cookie=0x534201");

                send("PUT", server + "/bridges/" + bridge + "/fail-mode", "{\"failMode\": \"standalone\"}", 200);
                assertThat(ovs.vsctl("get", "bridge", bridge, "fail_mode")).isEqualTo("standalone");
                send("DELETE", server + "/bridges/" + bridge + "/ports/" + tunnel, null, 204);
                assertThat(ovs.vsctl("list-ports", bridge).lines()).doesNotContain(tunnel);
                send("DELETE", server + "/bridges/" + bridge, null, 204);
                assertThat(ovs.vsctl("list-br").lines()).doesNotContain(bridge);
                send("DELETE", server + "/bridges/" + bridge, null, 404);
            } finally {
                ovs.vsctl("--if-exists", "del-br", bridge);
            }
        }
    }

    @Test
    void aLabComesUpAndGoesDownOverRestAndEveryPathNeedsTheToken() throws Exception {
        Path labs = Files.createTempDirectory(Path.of("/tmp"), "sblabs-");
        System.setProperty("switchboard.labs", labs.toString());
        String lab = "r" + String.format("%02x", new SecureRandom().nextInt(256));
        // beyond loopback: allowed only with a token, and then every path wants it
        RestConfig rest = new RestConfig(true, "0.0.0.0", 0, Optional.of(TOKEN));
        ControllerConfig openflow = ControllerConfig.builder()
                .listen(List.of(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))).build();
        try (Switchboard switchboard = Switchboard.start(openflow, SwitchboardConfig.defaults().ovsdb(), List.of(),
                name -> AppConfig.of("apps." + name, Map.of()), rest)) {
            String root = "http://127.0.0.1:" + switchboard.rest().orElseThrow().port();
            for (String path : List.of("/metrics", "/api/v1/labs", "/api/v1/events", "/api/v1/openapi.json", "/no/such/path")) {
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(root + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).as(path).isEqualTo(401);
            }
            // the web view's page holds no data: a browser loads it, then sends the token itself
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(root + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("app.js").doesNotContain("00:00:00");
            String base = root + "/api/v1";
            assertThat(send("POST", base + "/labs", "{\"topo\": \"single,2\", \"name\": \"" + lab + "\", \"colour\": 1}", 400)
                    .get("field").asText()).isEqualTo("colour");
            // its switch is given this controller on loopback, where alone the controller listens; the labs'
            // private OVS runs in a namespace of its own and reaches it on its uplink, where the controller listens too
            String controller = "tcp:127.0.0.1:" + switchboard.openflowAddresses().get(0).getPort();
            HttpResponse<String> accepted = raw("POST", base + "/labs", "{\"topo\": \"single,2\", \"name\": \"" + lab
                    + "\", \"controller\": \"" + controller + "\"}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(accepted.headers().firstValue("Location")).hasValue("/api/v1/labs/" + lab);
            JsonNode up = awaitOperation(base, lab);
            assertThat(up.get("operation").get("state").asText()).as(up.toString()).isEqualTo("DONE");
            assertThat(namespaces()).contains(lab + "-h1", lab + "-h2");
            assertThat(up.get("status")).extracting(JsonNode::asText).allMatch(line -> line.contains("ok"));
            JsonNode switches = await().atMost(PATIENCE).until(() -> send("GET", base + "/switches", null, 200),
                    listed -> listed.size() == 1);
            assertThat(switches.get(0).get("dpid").asText()).isEqualTo("00:00:00:00:00:00:00:01");

            assertThat(raw("DELETE", base + "/labs/" + lab, null).statusCode()).isEqualTo(202);
            JsonNode down = awaitOperation(base, lab);
            assertThat(down.get("operation").get("kind").asText()).isEqualTo("down");
            assertThat(down.get("operation").get("state").asText()).as(down.toString()).isEqualTo("DONE");
            assertThat(namespaces()).noneMatch(ns -> ns.startsWith(lab + "-"));
            await().atMost(PATIENCE).until(() -> send("GET", base + "/switches", null, 200), JsonNode::isEmpty);
        } finally {
            new LabRunner(new HostNetwork(), new PrintStream(OutputStream.nullOutputStream())).down(lab);
            PrivateOvs.attach(labs.resolve("ovs")).ifPresent(PrivateOvs::close);
            System.clearProperty("switchboard.labs");
            try (Stream<Path> files = Files.walk(labs)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static List<String> namespaces() throws Exception {
        Process ip = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String out = new String(ip.getInputStream().readAllBytes());
        ip.waitFor();
        return out.lines().map(line -> line.split(" ")[0]).toList();
    }

    private JsonNode awaitOperation(String base, String lab) {
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> send("GET", base + "/labs/" + lab, null, 200),
                        view -> !view.get("operation").get("state").asText().matches("QUEUED|RUNNING"));
    }

    private HttpResponse<String> raw(String method, String uri, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode send(String method, String uri, String json, int status) throws Exception {
        HttpResponse<String> response = raw(method, uri, json);
        assertThat(response.statusCode()).as(method + " " + uri + ": " + response.body()).isEqualTo(status);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }
}
