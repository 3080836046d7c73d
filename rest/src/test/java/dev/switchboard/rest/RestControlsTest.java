package dev.switchboard.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.rest.AppControl.AppState;
import dev.switchboard.rest.OvsdbAccess.Bridge;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write routes (apps, OVSDB, labs) and the security rules, over fakes of the narrow interfaces, by real HTTP. */
class RestControlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "t0ken";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeSources fakes = new FakeSources();
    private final FakeApps apps = new FakeApps();
    private final FakeOvsdb ovsdb = new FakeOvsdb();
    private final FakeLabs labs = new FakeLabs();
    private RestServer server;
    private String token;

    @BeforeEach
    void start() {
        server = RestServer.start(new RestConfig(true, "127.0.0.1", 0, Optional.empty()), fakes.sources(),
                new RestControls(apps, ovsdb, labs));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- apps

    @Test
    void anAppIsShownRunningOrNotAndEnabledAndDisabled() throws Exception {
        JsonNode hosts = send("GET", "/api/v1/apps/hosts", null, 200);
        assertThat(hosts.get("state").asText()).isEqualTo("STOPPED");
        assertThat(hosts.get("consumes").get(0).asText()).isEqualTo("TopologyService");
        assertThat(send("POST", "/api/v1/apps/hosts/enable", null, 200).get("state").asText()).isEqualTo("RUNNING");
        assertThat(apps.running).contains("hosts");
        assertThat(send("POST", "/api/v1/apps/hosts/disable", null, 200).get("state").asText()).isEqualTo("STOPPED");
        assertThat(apps.running).doesNotContain("hosts");
    }

    @Test
    void appConflictsAreNamedAndUnknownAppsAre404() throws Exception {
        JsonNode refused = send("POST", "/api/v1/apps/topology/disable", null, 409);
        assertThat(refused.get("error").asText()).contains("forwarding");
        assertThat(apps.running).contains("topology");
        send("GET", "/api/v1/apps/nosuch", null, 404);
        send("POST", "/api/v1/apps/nosuch/enable", null, 404);
        assertThat(send("GET", "/api/v1/apps/Bad%20Name", null, 400).get("field").asText()).isEqualTo("name");
    }

    // ---- OVSDB

    @Test
    void ovsdbServersAndBridgesAreListedAndChanged() throws Exception {
        JsonNode servers = send("GET", "/api/v1/ovsdb", null, 200);
        assertThat(servers.get(0).get("id").asText()).isEqualTo("unix__tmp_db.sock");
        JsonNode created = send("POST", "/api/v1/ovsdb/unix__tmp_db.sock/bridges",
                "{\"name\":\"br7\",\"datapathType\":\"netdev\",\"failMode\":\"secure\",\"controllers\":[\"tcp:127.0.0.1:6653\"]}", 201);
        assertThat(created.get("name").asText()).isEqualTo("br7");
        assertThat(ovsdb.applied.get(0)).isEqualTo(new OvsChange.AddBridge("br7", "netdev", "secure", List.of(),
                List.of("tcp:127.0.0.1:6653"), false));
        send("POST", "/api/v1/ovsdb/unix__tmp_db.sock/bridges/br7/ports",
                "{\"name\":\"vx1\",\"type\":\"vxlan\",\"options\":{\"remote_ip\":\"10.9.9.9\",\"key\":42}}", 201);
        assertThat(ovsdb.applied.get(1)).isEqualTo(new OvsChange.AddPort("br7", "vx1", "vxlan",
                Map.of("remote_ip", "10.9.9.9", "key", "42"), null, List.of(), false));
        assertThat(send("GET", "/api/v1/ovsdb/unix__tmp_db.sock/bridges/br7", null, 200).get("ports").get(0)
                .get("interfaces").get(0).get("type").asText()).isEqualTo("vxlan");
        send("PUT", "/api/v1/ovsdb/unix__tmp_db.sock/bridges/br7/fail-mode", "{\"failMode\":\"standalone\"}", 200);
        send("DELETE", "/api/v1/ovsdb/unix__tmp_db.sock/bridges/br7/ports/vx1", null, 204);
        send("DELETE", "/api/v1/ovsdb/unix__tmp_db.sock/bridges/br7", null, 204);
        assertThat(ovsdb.applied).hasSize(5).last().isEqualTo(new OvsChange.DeleteBridge("br7", false));
    }

    @Test
    void badOvsdbRequestsNameTheFieldAndChangeNothing() throws Exception {
        String bridges = "/api/v1/ovsdb/unix__tmp_db.sock/bridges";
        assertThat(send("POST", bridges, "{\"name\":\"a-name-far-too-long\"}", 400).get("field").asText()).isEqualTo("name");
        assertThat(send("POST", bridges, "{\"name\":\"br1\",\"failMode\":\"open\"}", 400).get("field").asText())
                .isEqualTo("failMode");
        assertThat(send("POST", bridges, "{\"name\":\"br1\",\"colour\":\"red\"}", 400).get("field").asText()).isEqualTo("colour");
        assertThat(send("POST", bridges, "{\"name\":", 400).get("field").asText()).isEqualTo("body");
        assertThat(send("POST", bridges + "/br0/ports", "{\"name\":\"p1\",\"tag\":5000}", 400).get("field").asText())
                .isEqualTo("tag");
        assertThat(ovsdb.applied).isEmpty();
        send("GET", "/api/v1/ovsdb/nosuch/bridges", null, 404);
        send("GET", bridges + "/nosuch", null, 404);
    }

    @Test
    void ovsdbRefusalsPassThroughAndUnexpectedFailuresHideTheirText() throws Exception {
        ovsdb.failure = ApiException.conflict("bridge br0 already exists");
        assertThat(send("POST", "/api/v1/ovsdb/unix__tmp_db.sock/bridges", "{\"name\":\"br0\"}", 409).get("error").asText())
                .isEqualTo("bridge br0 already exists");
        ovsdb.failure = new IllegalStateException("secret detail at /etc/shadow");
        JsonNode internal = send("POST", "/api/v1/ovsdb/unix__tmp_db.sock/bridges", "{\"name\":\"br0\"}", 500);
        assertThat(internal.toString()).doesNotContain("secret").doesNotContain("IllegalState");
        assertThat(internal.get("requestId").asText()).matches("[0-9a-f]{16}");
        assertThat(internal.get("error").asText()).contains(internal.get("requestId").asText());
    }

    // ---- labs

    @Test
    void aLabGoesUpAndDownInTheBackground() throws Exception {
        HttpResponse<String> accepted = raw("POST", "/api/v1/labs", "{\"topo\":\"linear,2\",\"name\":\"rl\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Location")).hasValue("/api/v1/labs/rl");
        JsonNode done = awaitOperation("rl");
        assertThat(done.get("operation").get("state").asText()).isEqualTo("DONE");
        assertThat(done.get("operation").get("progress").get(0).asText()).isEqualTo("lab rl is up");
        assertThat(done.get("status").get(0).asText()).contains("ok");
        assertThat(send("GET", "/api/v1/labs", null, 200).get(0).get("name").asText()).isEqualTo("rl");
        assertThat(raw("DELETE", "/api/v1/labs/rl", null).statusCode()).isEqualTo(202);
        assertThat(awaitOperation("rl").get("operation").get("kind").asText()).isEqualTo("down");
        assertThat(labs.up).isEmpty();
    }

    @Test
    void aBadSpecIs400WithTheSpecReadersWords() throws Exception {
        HttpResponse<String> yaml = HttpResponse.class.cast(http.send(base("/api/v1/labs")
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString("hosts: [\n")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(yaml.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(yaml.body()).get("error").asText()).startsWith("body:1:");
        assertThat(send("POST", "/api/v1/labs", "{\"topo\":\"tree,2,3\",\"name\":\"TooLongName\"}", 400).get("field").asText())
                .isEqualTo("name");
        send("DELETE", "/api/v1/labs/nolab", null, 404);
    }

    // ---- security

    @Test
    void theTokenGuardsEveryPathButTheWebViewsStaticFiles() throws Exception {
        server.close();
        server = RestServer.start(new RestConfig(true, "127.0.0.1", 0, Optional.of(TOKEN)), fakes.sources(),
                new RestControls(apps, ovsdb, labs));
        for (String path : List.of("/metrics", "/events", "/api/v1/events", "/nothing/here", "/api/v1/ovsdb")) {
            assertThat(raw("GET", path, null).statusCode()).as(path).isEqualTo(401);
        }
        for (String path : List.of("/", "/app.js")) { // no data in them; the page sends the token itself
            assertThat(raw("GET", path, null).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(raw("POST", "/api/v1/apps/hosts/enable", null).statusCode()).isEqualTo(401);
        assertThat(apps.running).doesNotContain("hosts");
        token = TOKEN;
        send("GET", "/api/v1/ovsdb", null, 200);
    }

    @Test
    void theAddressIsResolvedOnceAndTheAddressCheckedIsTheOneBound() throws Exception {
        server.close();
        AtomicInteger lookups = new AtomicInteger();
        // a name that resolves to loopback when checked and elsewhere when bound would slip past a second lookup
        server = RestServer.start(new RestConfig(true, "api.example", 0, Optional.empty()), fakes.sources(),
                RestControls.none(), config -> lookups.getAndIncrement() == 0 ? InetAddress.getLoopbackAddress()
                        : address(10, 0, 0, 1));
        assertThat(lookups).hasValue(1);
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        send("GET", "/api/v1/health", null, 200);

        RestConfig name = new RestConfig(true, "localhost", 0, Optional.empty());
        assertThatThrownBy(() -> name.checkAccess(InetAddress.getByAddress("localhost", new byte[] {10, 0, 0, 1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.1").hasMessageContaining("token");
        assertThatThrownBy(() -> RestServer.start(name, fakes.sources(), RestControls.none(), config -> address(10, 0, 0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rest.address");
    }

    private static InetAddress address(int... bytes) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) bytes[0], (byte) bytes[1], (byte) bytes[2], (byte) bytes[3]});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode awaitOperation(String lab) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode view = send("GET", "/api/v1/labs/" + lab, null, 200);
            String state = view.get("operation").get("state").asText();
            if (state.equals("DONE") || state.equals("FAILED") || System.nanoTime() > deadline) {
                return view;
            }
            Thread.sleep(20);
        }
    }

    private HttpRequest.Builder base(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> raw(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = base(path).method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode send(String method, String path, String json, int status) throws Exception {
        HttpResponse<String> response = raw(method, path, json);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    /** topology (provides TopologyService) runs with forwarding, which consumes it; hosts is stopped. */
    private static final class FakeApps implements AppControl {
        final List<String> running = new CopyOnWriteArrayList<>(List.of("topology", "forwarding"));

        @Override
        public List<AppState> all() {
            return List.of("forwarding", "hosts", "topology").stream().map(this::state).toList();
        }

        @Override
        public Optional<AppState> app(String name) {
            return all().stream().filter(a -> a.name().equals(name)).findFirst();
        }

        @Override
        public CompletableFuture<AppState> enable(String name) {
            running.add(name);
            return CompletableFuture.supplyAsync(() -> state(name));
        }

        @Override
        public CompletableFuture<AppState> disable(String name) {
            if (name.equals("topology")) {
                throw ApiException.conflict("app 'topology' provides [TopologyService] to running apps [forwarding]");
            }
            running.remove(name);
            return CompletableFuture.completedFuture(state(name));
        }

        private AppState state(String name) {
            return new AppState(name, "", running.contains(name) ? "RUNNING" : "STOPPED", "0x5342030000000000",
                    name.equals("topology") ? List.of("TopologyService") : List.of(),
                    name.equals("topology") ? List.of() : List.of("TopologyService"),
                    name.equals("topology") ? List.of("forwarding") : List.of(), Map.of());
        }
    }

    private static final class FakeOvsdb implements OvsdbAccess, OvsdbAccess.Server {
        final List<OvsChange> applied = new CopyOnWriteArrayList<>();
        final List<Bridge> bridges = new CopyOnWriteArrayList<>(List.of(bridge("br0", List.of())));
        volatile RuntimeException failure;

        static Bridge bridge(String name, List<Port> ports) {
            return new Bridge(name, "u-" + name, "netdev", null, "secure", List.of(), Map.of(), Map.of(), List.of(), ports);
        }

        @Override
        public List<Server> servers() {
            return List.of(this);
        }

        @Override
        public String id() {
            return "unix__tmp_db.sock";
        }

        @Override
        public String name() {
            return "unix:/tmp/db.sock";
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public List<Bridge> bridges() {
            return List.copyOf(bridges);
        }

        @Override
        public CompletableFuture<Void> apply(OvsChange change) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            applied.add(change);
            if (change instanceof OvsChange.AddBridge add) {
                bridges.add(bridge(add.name(), List.of()));
            } else if (change instanceof OvsChange.AddPort add) {
                bridges.replaceAll(b -> b.name().equals(add.bridge()) ? bridge(b.name(), List.of(new Port(add.name(), "p",
                        add.tag(), add.trunks(), List.of(new Interface(add.name(), "i", add.type(), add.options(), 1L, null)))))
                        : b);
            }
            return CompletableFuture.supplyAsync(() -> null);
        }
    }

    private static final class FakeLabs implements LabControl {
        final List<String> up = new CopyOnWriteArrayList<>();

        @Override
        public List<String> labs() {
            return List.copyOf(up);
        }

        @Override
        public Optional<List<String>> status(String lab) {
            return up.contains(lab) ? Optional.of(List.of("host h1 namespace " + lab + "-h1 ok")) : Optional.empty();
        }

        @Override
        public PreparedLab prepare(String source, String name, String controller) {
            if (!source.startsWith("topo:")) {
                throw ApiException.badRequest("body", "body:1: hosts: the YAML ends inside a list");
            }
            if (name != null && name.length() > 6) {
                throw ApiException.badRequest("name", "lab name too long");
            }
            String lab = name == null ? "mn" : name;
            return new PreparedLab() {
                @Override
                public String name() {
                    return lab;
                }

                @Override
                public void up(Consumer<String> progress) {
                    up.add(lab);
                    progress.accept("lab " + lab + " is up");
                }
            };
        }

        @Override
        public boolean down(String lab, Consumer<String> progress) {
            return up.remove(lab);
        }
    }
}
