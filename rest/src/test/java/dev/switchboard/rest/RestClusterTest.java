package dev.switchboard.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.ControllerRole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/** The API of one member of a controller cluster: roles, masters, {@code /cluster}, and writes to a switch it does not master. */
class RestClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeSources fakes = new FakeSources();
    private final FakeSwitch mastered = new FakeSwitch(1, OFVersion.OF_13, 1);
    private final FakeSwitch elsewhere = new FakeSwitch(2, OFVersion.OF_10, 1);
    private RestServer server;

    @BeforeEach
    void start() {
        mastered.role = ControllerRole.MASTER;
        elsewhere.role = ControllerRole.SLAVE;
        fakes.add(mastered);
        fakes.add(elsewhere);
        fakes.cluster = new ClusterInfo() {
            @Override
            public String nodeId() {
                return "sb-a";
            }

            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public SortedSet<String> members() {
                return new TreeSet<>(java.util.List.of("sb-a", "sb-b", "sb-c"));
            }

            @Override
            public Map<DatapathId, String> masters() {
                return Map.of(DatapathId.of(1), "sb-a", DatapathId.of(2), "sb-b", DatapathId.of(3), "sb-c");
            }
        };
        server = RestServer.start(new RestConfig(true, "127.0.0.1", 0, Optional.empty()), fakes.sources());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + "/api/v1" + path);
    }

    @Test
    void switchesShowThisInstancesRoleAndTheirMaster() throws Exception {
        JsonNode one = JSON.readTree(send(HttpRequest.newBuilder(uri("/switches/1"))).body());
        assertThat(one.get("role").asText()).isEqualTo("MASTER");
        assertThat(one.get("master").asText()).isEqualTo("sb-a");
        JsonNode two = JSON.readTree(send(HttpRequest.newBuilder(uri("/switches/2"))).body());
        assertThat(two.get("role").asText()).as("1.0 has roles in a cluster (Nicira)").isEqualTo("SLAVE");
        assertThat(two.get("master").asText()).isEqualTo("sb-b");
    }

    @Test
    void theClusterRouteListsMembersAndTheMasterOfEverySwitch() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/cluster")));
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode cluster = JSON.readTree(answer.body());
        assertThat(cluster.get("nodeId").asText()).isEqualTo("sb-a");
        assertThat(cluster.get("connected").asBoolean()).isTrue();
        assertThat(cluster.get("members").toString()).isEqualTo("[\"sb-a\",\"sb-b\",\"sb-c\"]");
        assertThat(cluster.get("masters")).hasSize(3);
        assertThat(cluster.get("masters").get(2).toString())
                .as("a switch only another member reaches is listed too")
                .isEqualTo("{\"dpid\":\"00:00:00:00:00:00:00:03\",\"master\":\"sb-c\",\"connected\":false}");
    }

    @Test
    void aFlowWriteToASwitchAnotherMemberMastersIsAConflictNamingTheMaster() throws Exception {
        HttpResponse<String> add = send(HttpRequest.newBuilder(uri("/switches/2/flows"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("priority=1,actions=drop\n")));
        assertThat(add.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(add.body()).get("error").asText())
                .isEqualTo("switch 00:00:00:00:00:00:00:02 is mastered by cluster member sb-b, not by sb-a: write to its master");

        HttpResponse<String> delete = send(HttpRequest.newBuilder(uri("/switches/2/flows")).DELETE());
        assertThat(delete.statusCode()).isEqualTo(409);
        assertThat(delete.body()).contains("sb-b");
    }
}
