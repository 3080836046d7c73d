package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cluster.ClusterConfig;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.rest.RestConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config's {@code cluster:} section, and a server joining a real ZooKeeper (curator-test) with it. */
class ClusterConfigSectionTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return new ConfigFiles(dir).file(yaml);
    }

    private String error(String yaml) throws IOException {
        return new ConfigFiles(dir).error(yaml);
    }

    @Test
    void withoutTheSectionTheControllerIsAlone() throws IOException {
        assertThat(SwitchboardConfig.defaults().clusterConfig()).isEmpty();
        assertThat(SwitchboardConfig.load(file("rest:\n  port: 0\n")).clusterConfig()).isEmpty();
    }

    @Test
    void readsConnectNodeIdAndTheDefaults() throws IOException {
        ClusterConfig config = SwitchboardConfig.load(file("cluster:\n  connect: 127.0.0.1:2181,zk2:2181\n  nodeId: sb1\n"))
                .clusterConfig().orElseThrow();
        assertThat(config.connectString()).isEqualTo("127.0.0.1:2181,zk2:2181");
        assertThat(config.nodeId()).isEqualTo("sb1");
        assertThat(config.sessionTimeout()).isEqualTo(ClusterConfig.DEFAULT_SESSION_TIMEOUT);
        assertThat(config.root()).isEqualTo("/switchboard");

        ClusterConfig tuned = SwitchboardConfig.load(file(
                "cluster:\n  connect: zk:2181\n  nodeId: sb-2\n  sessionTimeout: 4s\n  root: /lab/sb\n")).clusterConfig().orElseThrow();
        assertThat(tuned.sessionTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(tuned.root()).isEqualTo("/lab/sb");
    }

    @Test
    void badValuesAreRefusedAtTheirKeyAndLine() throws IOException {
        assertThat(error("cluster:\n  nodeId: sb1\n")).startsWith("sb.yaml:1: cluster.connect: missing");
        assertThat(error("cluster:\n  connect: zk1\n  nodeId: sb1\n"))
                .startsWith("sb.yaml:2: cluster.connect: 'zk1' is not a ZooKeeper server as host:port");
        assertThat(error("cluster:\n  connect: zk1:99999\n  nodeId: sb1\n")).startsWith("sb.yaml:2: cluster.connect: 'zk1:99999'");
        assertThat(error("cluster:\n  connect: zk1:2181\n")).startsWith("sb.yaml:1: cluster.nodeId: missing");
        assertThat(error("cluster:\n  connect: zk1:2181\n  nodeId: \"sb 1\"\n"))
                .startsWith("sb.yaml:3: cluster.nodeId: nodeId must be 1-64 letters");
        assertThat(error("cluster:\n  connect: zk1:2181\n  nodeId: sb1\n  sessionTimeout: 100ms\n"))
                .startsWith("sb.yaml:4: cluster.sessionTimeout: sessionTimeout must be 1s..5m");
        assertThat(error("cluster:\n  connect: zk1:2181\n  nodeId: sb1\n  sessionTimeout: soon\n"))
                .startsWith("sb.yaml:4: cluster.sessionTimeout:");
        assertThat(error("cluster:\n  connect: zk1:2181\n  nodeId: sb1\n  root: /zookeeper/sb\n"))
                .startsWith("sb.yaml:4: cluster.root: root must not be under /zookeeper");
        assertThat(error("cluster:\n  connect: zk1:2181\n  nodeId: sb1\n  root: /..\n"))
                .startsWith("sb.yaml:4: cluster.root: root must not contain '.' or '..'");
        assertThat(error("cluster:\n  connect: zk1:2181\n  nodeId: sb1\n  root: switchboard\n"))
                .startsWith("sb.yaml:4: cluster.root: root must be an absolute znode path");
        assertThat(error("cluster:\n  connect: zk1:2181\n  nodeId: sb1\n  bogus: 1\n")).startsWith("sb.yaml:4: cluster.bogus");
    }

    @Test
    void aConfiguredServerJoinsAndTheApiListsTheMembers() throws Exception {
        try (TestingServer zk = new TestingServer()) {
            ClusterConfig cluster = new ClusterConfig(zk.getConnectString(), "sb-a", Duration.ofSeconds(3), "/sb-wiring");
            RestConfig rest = new RestConfig(true, "127.0.0.1", 0, Optional.empty());
            try (Switchboard a = Switchboard.start(anyPort(), SwitchboardConfig.defaults().ovsdb(), List.of(),
                    name -> AppConfig.of("apps." + name, Map.of()), rest, Optional.of(cluster))) {
                assertThat(a.cluster()).isPresent();
                URI api = URI.create("http://127.0.0.1:" + a.rest().orElseThrow().port() + "/api/v1/cluster");
                String body = await().atMost(Duration.ofSeconds(30)).until(() -> get(api).body(),
                        b -> b.contains("\"members\":[\"sb-a\"]"));
                assertThat(body).contains("\"nodeId\":\"sb-a\"", "\"connected\":true");
            }
        }
    }

    @Test
    void aServerAloneAnswersTheClusterRouteWithAConflict() throws Exception {
        RestConfig rest = new RestConfig(true, "127.0.0.1", 0, Optional.empty());
        try (Switchboard alone = Switchboard.start(anyPort(), SwitchboardConfig.defaults().ovsdb(), List.of(),
                name -> AppConfig.of("apps." + name, Map.of()), rest)) {
            HttpResponse<String> answer = get(URI.create("http://127.0.0.1:" + alone.rest().orElseThrow().port() + "/api/v1/cluster"));
            assertThat(answer.statusCode()).isEqualTo(409);
            assertThat(answer.body()).contains("runs alone");
        }
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ControllerConfig anyPort() {
        return ControllerConfig.builder().listen(List.of(new InetSocketAddress("127.0.0.1", 0))).build();
    }
}
