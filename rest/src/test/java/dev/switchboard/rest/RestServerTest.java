package dev.switchboard.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.SwitchDisconnectedException;
import dev.switchboard.hosts.Host;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.VlanVid;

/** The API over fake services, by real HTTP on a free loopback port. */
class RestServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-token";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeSources fakes = new FakeSources();
    private final FakeSwitch s1 = new FakeSwitch(1, OFVersion.OF_13, 1, 2);
    private final FakeSwitch s2 = new FakeSwitch(2, OFVersion.OF_10, 1);
    private RestServer server;

    @BeforeEach
    void start() {
        fakes.add(s1);
        fakes.add(s2);
        SwitchPort s1p2 = new SwitchPort(s1.id(), OFPort.of(2));
        SwitchPort s2p1 = new SwitchPort(s2.id(), OFPort.of(1));
        fakes.links = List.of(new Link(s1p2, s2p1, Link.Kind.DIRECT), new Link(s2p1, s1p2, Link.Kind.DIRECT));
        Instant seen = Instant.parse("2026-12-05T08:01:00Z");
        fakes.hosts = List.of(
                new Host(MacAddress.of("00:00:00:00:00:01"), VlanVid.ZERO, new SwitchPort(s1.id(), OFPort.of(1)),
                        Set.of(IPv4Address.of("10.0.0.1")), Set.of(), seen, seen),
                new Host(MacAddress.of("00:00:00:00:00:02"), VlanVid.ZERO, new SwitchPort(s2.id(), OFPort.of(1)),
                        Set.of(IPv4Address.of("10.0.0.2")), Set.of(), seen, seen));
        fakes.apps = List.of(new AppCatalog.AppInfo("l2-learning", "learns MACs", "0x5342040000000000", List.of(),
                Map.of("idleTimeout", "30s")));
        server = RestServer.start(new RestConfig(true, "127.0.0.1", 0, Optional.empty()), fakes.sources());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void listsSwitchesWithVersionDescriptionConnectedSinceRoleAndPorts() throws Exception {
        JsonNode switches = getJson("/switches", 200);
        assertThat(switches).hasSize(2);
        JsonNode first = switches.get(0);
        assertThat(first.get("dpid").asText()).isEqualTo("00:00:00:00:00:00:00:01");
        assertThat(first.get("version").asText()).isEqualTo("1.3");
        assertThat(first.get("connectedSince").asText()).isEqualTo(FakeSwitch.CONNECTED.toString());
        assertThat(first.get("role").asText()).isEqualTo("EQUAL");
        assertThat(first.get("description").get("hardware").asText()).isEqualTo("Open vSwitch");
        assertThat(first.get("ports")).extracting(p -> p.get("name").asText()).containsExactly("s1-eth1", "s1-eth2");
        assertThat(switches.get(1).get("version").asText()).isEqualTo("1.0");
        assertThat(switches.get(1).has("role")).as("1.0 has no roles").isFalse();
    }

    @Test
    void oneSwitchByEitherDpidForm() throws Exception {
        assertThat(getJson("/switches/00:00:00:00:00:00:00:02", 200).get("dpid").asText()).isEqualTo("00:00:00:00:00:00:00:02");
        assertThat(getJson("/switches/0x2", 200).get("dpid").asText()).isEqualTo("00:00:00:00:00:00:00:02");
    }

    @Test
    void malformedDpidIs400NamingTheField() throws Exception {
        JsonNode error = getJson("/switches/not-a-dpid", 400);
        assertThat(error.get("field").asText()).isEqualTo("dpid");
        assertThat(error.get("error").asText()).contains("not-a-dpid");
        assertThat(getJson("/switches/zz/flows", 400).get("field").asText()).isEqualTo("dpid");
    }

    @Test
    void unknownDpidIs404() throws Exception {
        assertThat(getJson("/switches/99", 404).get("error").asText()).contains("00:00:00:00:00:00:00:99");
        getJson("/switches/99/ports", 404);
        getJson("/switches/99/flows", 404);
    }

    @Test
    void portsCarryTheCountersTheSwitchReports() throws Exception {
        CompletableFuture<HttpResponse<String>> response = sendAsync("/switches/1/ports");
        awaitRequest(s1);
        assertThat(s1.lastRequest).isInstanceOf(OFPortStatsRequest.class);
        OFFactory f = s1.factory();
        s1.pending.complete(List.of(f.buildPortStatsReply().setEntries(List.of(
                f.buildPortStatsEntry().setPortNo(OFPort.of(1)).setRxPackets(U64.of(11)).setTxPackets(U64.of(12))
                        .setRxBytes(U64.of(1100)).setTxBytes(U64.of(1200)).setRxDropped(U64.ZERO).setTxDropped(U64.ZERO)
                        .setRxErrors(U64.ZERO).setTxErrors(U64.ZERO).build())).build()));
        JsonNode ports = parse(response.get(5, TimeUnit.SECONDS), 200);
        assertThat(ports).hasSize(2);
        assertThat(ports.get(0).get("port").get("number").asLong()).isEqualTo(1);
        assertThat(ports.get(0).get("counters").get("rxPackets").asLong()).isEqualTo(11);
        assertThat(ports.get(0).get("counters").get("txBytes").asLong()).isEqualTo(1200);
        assertThat(ports.get(1).has("counters")).as("port 2 not reported").isFalse();
    }

    @Test
    void theReplyIsTurnedIntoJsonOffTheThreadThatCompletedIt() throws Exception {
        CompletableFuture<HttpResponse<String>> response = sendAsync("/switches/1/ports");
        awaitRequest(s1);
        Thread eventLoop = new Thread(() -> s1.pending.complete(List.of(s1.factory().buildPortStatsReply().build())),
                "fake-event-loop");
        eventLoop.start();
        eventLoop.join();
        parse(response.get(5, TimeUnit.SECONDS), 200);
        assertThat(s1.portsReadOn).startsWith("rest-");
    }

    @Test
    void aReplyAfterTheApiStoppedDoesNotThrowIntoTheCompletingThread() throws Exception {
        CompletableFuture<HttpResponse<String>> response = sendAsync("/switches/1/flows");
        awaitRequest(s1);
        server.close();
        server = null;
        // the controller failing its pending requests as it stops, on its event loop
        s1.pending.completeExceptionally(new SwitchDisconnectedException("controller stopping"));
        assertThat(response).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    void flowsAreReadFromTheSwitch() throws Exception {
        CompletableFuture<HttpResponse<String>> response = sendAsync("/switches/1/flows");
        awaitRequest(s1);
        assertThat(s1.lastRequest).isInstanceOf(OFFlowStatsRequest.class);
        OFFactory f = s1.factory();
        s1.pending.complete(List.of(f.buildFlowStatsReply().setEntries(List.of(
                f.buildFlowStatsEntry().setTableId(TableId.of(0)).setPriority(100).setCookie(U64.of(0x5342040000000001L))
                        .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build())
                        .setInstructions(List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(2), 0xffff)))))
                        .setPacketCount(U64.of(5)).setByteCount(U64.of(500)).build())).build()));
        JsonNode flows = parse(response.get(5, TimeUnit.SECONDS), 200);
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).get("priority").asInt()).isEqualTo(100);
        assertThat(flows.get(0).get("cookie").asText()).isEqualTo("0x5342040000000001");
        assertThat(flows.get(0).get("match").get("in_port").asText()).isEqualTo("1");
        assertThat(flows.get(0).get("actions").get(0).asText()).isEqualTo("output:2");
        assertThat(flows.get(0).get("packetCount").asLong()).isEqualTo(5);
    }

    @Test
    void groupsAndMetersAreReadFromTheSwitchOr409WhereTheVersionHasNone() throws Exception {
        CompletableFuture<HttpResponse<String>> response = sendAsync("/switches/1/groups");
        awaitRequest(s1);
        OFFactory f = s1.factory();
        s1.pending.complete(List.of(f.buildGroupDescStatsReply().setEntries(List.of(f.buildGroupDescStatsEntry()
                .setGroup(org.projectfloodlight.openflow.types.OFGroup.of(7))
                .setGroupType(org.projectfloodlight.openflow.protocol.OFGroupType.ALL)
                .setBuckets(List.of(f.buildBucket().setWatchPort(OFPort.ANY)
                        .setWatchGroup(org.projectfloodlight.openflow.types.OFGroup.ANY)
                        .setActions(List.of(f.actions().output(OFPort.of(2), 0))).build())).build())).build()));
        JsonNode groups = parse(response.get(5, TimeUnit.SECONDS), 200);
        assertThat(groups.get(0).get("groupId").asLong()).isEqualTo(7);
        assertThat(groups.get(0).get("type").asText()).isEqualTo("ALL");
        assertThat(groups.get(0).get("buckets").get(0).get("actions").get(0).asText()).isEqualTo("output:2");

        s1.pending = null;
        response = sendAsync("/switches/1/meters");
        awaitRequest(s1);
        s1.pending.complete(List.of(f.buildMeterConfigStatsReply().setEntries(List.of(f.buildMeterConfig().setMeterId(3)
                .setEntries(List.of(f.meterBands().drop(1000, 0))).build())).build()));
        assertThat(parse(response.get(5, TimeUnit.SECONDS), 200).get(0).get("meterId").asLong()).isEqualTo(3);

        assertThat(getJson("/switches/2/groups", 409).get("error").asText()).contains("1.0", "no groups");
        assertThat(getJson("/switches/2/meters", 409).get("error").asText()).contains("no meters");
    }

    @Test
    void aSwitchThatGoesAwayIs503() throws Exception {
        s1.connected = false;
        assertThat(getJson("/switches/1/flows", 503).get("error").asText()).contains("disconnected");
        s1.connected = true;
        CompletableFuture<HttpResponse<String>> response = sendAsync("/switches/1/ports");
        awaitRequest(s1);
        s1.pending.completeExceptionally(new SwitchDisconnectedException("gone"));
        assertThat(parse(response.get(5, TimeUnit.SECONDS), 503).get("error").asText()).contains("disconnected");
    }

    @Test
    void linksHostsAndThePathBetweenTwoHosts() throws Exception {
        JsonNode links = getJson("/links", 200);
        assertThat(links).hasSize(2);
        assertThat(links.get(0).get("src").get("dpid").asText()).isEqualTo("00:00:00:00:00:00:00:01");
        assertThat(links.get(0).get("kind").asText()).isEqualTo("DIRECT");
        JsonNode hosts = getJson("/hosts", 200);
        assertThat(hosts).extracting(h -> h.get("mac").asText()).containsExactly("00:00:00:00:00:01", "00:00:00:00:00:02");
        assertThat(hosts.get(0).get("ipv4").get(0).asText()).isEqualTo("10.0.0.1");
        JsonNode path = getJson("/paths?src=00:00:00:00:00:01&dst=10.0.0.2", 200);
        assertThat(path.get("links")).hasSize(1);
        assertThat(path.get("links").get(0).get("src").get("port").asLong()).isEqualTo(2);
        assertThat(path.get("dst").get("mac").asText()).isEqualTo("00:00:00:00:00:02");
    }

    @Test
    void pathErrorsNameTheField() throws Exception {
        assertThat(getJson("/paths?src=garbage&dst=10.0.0.2", 400).get("field").asText()).isEqualTo("src");
        assertThat(getJson("/paths?src=10.0.0.1", 400).get("field").asText()).isEqualTo("dst");
        assertThat(getJson("/paths?src=10.0.0.1&dst=10.9.9.9", 404).get("error").asText()).contains("dst");
        fakes.links = List.of();
        assertThat(getJson("/paths?src=10.0.0.1&dst=10.0.0.2", 404).get("error").asText()).contains("no path");
    }

    @Test
    void anAppThatDoesNotRunIs409() throws Exception {
        fakes.hostsRunning = false;
        fakes.topologyRunning = false;
        assertThat(getJson("/hosts", 409).get("error").asText()).contains("hosts app");
        assertThat(getJson("/links", 409).get("error").asText()).contains("topology app");
    }

    @Test
    void appsWithSettingsAndHealth() throws Exception {
        JsonNode apps = getJson("/apps", 200);
        assertThat(apps.get(0).get("name").asText()).isEqualTo("l2-learning");
        assertThat(apps.get(0).get("settings").get("idleTimeout").asText()).isEqualTo("30s");
        JsonNode health = getJson("/health", 200);
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("switches").asInt()).isEqualTo(2);
    }

    @Test
    void unknownRouteIsJson404() throws Exception {
        assertThat(getJson("/nothing-here", 404).get("error").asText()).contains("not found");
    }

    @Test
    void openApiDescriptionListsEveryPath() throws Exception {
        JsonNode openapi = getJson("/openapi.json", 200);
        assertThat(openapi.get("openapi").asText()).startsWith("3.");
        assertThat(openapi.get("paths").fieldNames()).toIterable().contains("/api/v1/switches", "/api/v1/switches/{dpid}",
                "/api/v1/switches/{dpid}/ports", "/api/v1/switches/{dpid}/flows", "/api/v1/links", "/api/v1/hosts",
                "/api/v1/paths", "/api/v1/apps", "/api/v1/health", "/api/v1/switches/{dpid}/groups",
                "/api/v1/switches/{dpid}/meters");
    }

    @Test
    void withATokenEveryRequestNeedsIt() throws Exception {
        server.close();
        server = RestServer.start(new RestConfig(true, "127.0.0.1", 0, Optional.of(TOKEN)), fakes.sources());
        HttpResponse<String> none = http.send(request("/health").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).get("field").asText()).isEqualTo("Authorization");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        HttpResponse<String> wrong = http.send(request("/health").header("Authorization", "Bearer nope").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(http.send(request("/openapi.json").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> right = http.send(request("/health").header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).isEqualTo(200);
    }

    @Test
    void aNonLoopbackAddressWithoutTokenIsRefused() {
        assertThatThrownBy(() -> RestServer.start(new RestConfig(true, "0.0.0.0", 0, Optional.empty()), fakes.sources()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rest.token");
        RestConfig disabled = new RestConfig(false, "0.0.0.0", 0, Optional.empty());
        disabled.checkAccess(); // a disabled API exposes nothing
    }

    @Test
    void aTakenPortIsAClearError() {
        RestConfig same = new RestConfig(true, "127.0.0.1", server.port(), Optional.empty());
        assertThatThrownBy(() -> RestServer.start(same, fakes.sources()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot listen on 127.0.0.1:" + server.port());
    }

    private static void awaitRequest(FakeSwitch sw) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sw.pending == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(sw.pending).as("the API asked the switch").isNotNull();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1" + path))
                .timeout(Duration.ofSeconds(10));
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String path) {
        return http.sendAsync(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path, int status) throws IOException, InterruptedException {
        return parse(http.send(request(path).build(), HttpResponse.BodyHandlers.ofString()), status);
    }

    private static JsonNode parse(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        return JSON.readTree(response.body());
    }
}
