package dev.switchboard.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchDescription;
import dev.switchboard.controller.SwitchFeatures;
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
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowModify;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * The flow writes over fake services, by real HTTP: the statuses, and what reaches the switch
 * (a switch that records what it is sent and answers each BARRIER at once). Installing into a
 * real OVS, and a switch refusing flows, are {@code FlowPusherIT}'s.
 */
class FlowsResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeSources fakes = new FakeSources();
    private final RecordingSwitch s1 = new RecordingSwitch(1);
    private RestServer server;

    @BeforeEach
    void start() {
        fakes.add(s1);
        server = RestServer.start(new RestConfig(true, "127.0.0.1", 0, Optional.empty()), fakes.sources());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postedFlowsGoToTheSwitchInBarrierFencedBatches() throws Exception {
        String file = "# two flows\npriority=10,ip,nw_dst=10.0.0.1,actions=output:2\n\npriority=11,arp,actions=normal # comment\n";

        JsonNode result = json(send("POST", "/switches/1/flows", "text/plain", file), 200);

        assertThat(result.get("requested").asInt()).isEqualTo(2);
        assertThat(result.get("installed").asInt()).isEqualTo(2);
        assertThat(result.get("failed")).isEmpty();
        assertThat(result.get("method").asText()).isEqualTo("batches");
        assertThat(result.has("millis")).isTrue();
        assertThat(result.has("error")).isFalse();
        assertThat(s1.sent(OFFlowAdd.class)).extracting(OFFlowAdd::getPriority).containsExactly(10, 11);
        assertThat(s1.sent(OFBarrierRequest.class)).hasSize(1);
    }

    @Test
    void jsonBodiesAndPutAsModify() throws Exception {
        String json = "{\"flows\": [{\"priority\": 5, \"match\": {\"tcp\": true, \"tp_dst\": 80}, \"actions\": [\"output:3\"]}]}";

        assertThat(json(send("PUT", "/switches/1/flows", "application/json", json), 200).get("installed").asInt()).isEqualTo(1);

        OFFlowModify modify = s1.sent(OFFlowModify.class).get(0);
        assertThat(modify.getMatch().get(MatchField.TCP_DST)).isEqualTo(TransportPort.of(80));
        assertThat(modify.getTableId()).isEqualTo(TableId.ZERO);
        json(send("PUT", "/switches/1/flows?strict=true", "text/plain", "priority=5,tcp,actions=drop"), 200);
        assertThat(s1.sent(org.projectfloodlight.openflow.protocol.OFFlowModifyStrict.class)).hasSize(1);
    }

    @Test
    void deleteSendsOneFencedDeleteOfTheMatch() throws Exception {
        String match = URLEncoder.encode("priority=100,tcp,tp_dst=80", StandardCharsets.UTF_8);

        JsonNode result = json(send("DELETE", "/switches/1/flows?match=" + match + "&strict=true&table=3&cookie=0x1f/-1", null, null), 200);

        assertThat(result.get("deleted").asText()).isEqualTo("matching flows");
        assertThat(result.get("match").asText()).isEqualTo("priority=100,tcp,tp_dst=80");
        OFFlowDeleteStrict delete = s1.sent(OFFlowDeleteStrict.class).get(0);
        assertThat(delete.getPriority()).isEqualTo(100);
        assertThat(delete.getTableId()).isEqualTo(TableId.of(3));
        assertThat(delete.getCookie()).isEqualTo(U64.of(0x1f));
        assertThat(delete.getCookieMask()).isEqualTo(U64.NO_MASK);
        assertThat(s1.sent(OFBarrierRequest.class)).hasSize(1);

        assertThat(json(send("DELETE", "/switches/1/flows", null, null), 200).get("deleted").asText()).isEqualTo("all flows");
    }

    @Test
    void aBadLineIs400NamingLineAndTokenAndNothingIsSent() throws Exception {
        String file = "priority=1,actions=drop\npriority=2,ip,nw_dst=10.0.0.300,actions=drop\n";

        JsonNode error = json(send("POST", "/switches/1/flows", "text/plain", file), 400);

        assertThat(error.get("field").asText()).isEqualTo("body");
        assertThat(error.get("error").asText()).startsWith("line 2: 'nw_dst=10.0.0.300'");
        assertThat(json(send("POST", "/switches/1/flows", "text/plain", "actions=learn(table=1\n"), 400).get("error").asText())
                .contains("line 1", "never closed");
        assertThat(json(send("POST", "/switches/1/flows", "application/json", "[{\"match\": {}}]"), 400).get("error").asText())
                .startsWith("flow 1: 'actions': missing");
        assertThat(json(send("POST", "/switches/1/flows", "text/plain", "# nothing\n\n"), 400).get("error").asText())
                .contains("no flows");
        assertThat(s1.messages).as("nothing reached the switch").isEmpty();
    }

    @Test
    void badQueryParametersAre400NamingThem() throws Exception {
        assertThat(json(send("DELETE", "/switches/1/flows?match=" + URLEncoder.encode("ip,actions=drop", StandardCharsets.UTF_8),
                null, null), 400).get("field").asText()).isEqualTo("match");
        assertThat(json(send("DELETE", "/switches/1/flows?table=300", null, null), 400).get("field").asText()).isEqualTo("table");
        assertThat(json(send("DELETE", "/switches/1/flows?cookie=0x1f", null, null), 400).get("field").asText()).isEqualTo("cookie");
        assertThat(json(send("PUT", "/switches/1/flows?strict=maybe", "text/plain", "actions=drop"), 400).get("field").asText())
                .isEqualTo("strict");
        assertThat(s1.messages).isEmpty();
    }

    @Test
    void unknownSwitchIs404AndADisconnectedOne503() throws Exception {
        assertThat(json(send("POST", "/switches/99/flows", "text/plain", "actions=drop"), 404).get("error").asText())
                .contains("00:00:00:00:00:00:00:99");
        json(send("DELETE", "/switches/99/flows", null, null), 404);
        assertThat(json(send("POST", "/switches/zz/flows", "text/plain", "actions=drop"), 400).get("field").asText()).isEqualTo("dpid");
        s1.connected = false;
        assertThat(json(send("POST", "/switches/1/flows", "text/plain", "actions=drop"), 503).get("error").asText())
                .contains("disconnected");
        json(send("DELETE", "/switches/1/flows", null, null), 503);
    }

    @Test
    void aBodyOfAHundredThousandFlowsFitsAndOneTooLargeIs413() throws Exception {
        String line = "cookie=0x1,priority=10,ip,nw_dst=10.0.0.1,actions=mod_dl_dst:00:00:00:00:00:01,output:2\n";
        String hundredThousand = line.repeat(100_000);
        assertThat(hundredThousand.length()).isLessThan(FlowsResource.MAX_BODY_BYTES);
        assertThat(json(send("POST", "/switches/1/flows", "text/plain", hundredThousand), 200).get("installed").asInt())
                .isEqualTo(100_000);

        s1.messages.clear();
        String tooLarge = "#".repeat(FlowsResource.MAX_BODY_BYTES + 1);
        JsonNode error = json(send("POST", "/switches/1/flows", "text/plain", tooLarge), 413);
        assertThat(error.get("error").asText()).contains("16 MiB");
        assertThat(s1.messages).isEmpty();
    }

    @Test
    void theWriteEndpointsAreInTheOpenApiDescription() throws Exception {
        JsonNode flows = json(send("GET", "/openapi.json", null, null), 200).get("paths").get("/api/v1/switches/{dpid}/flows");
        assertThat(flows.fieldNames()).toIterable().contains("get", "post", "put", "delete");
        assertThat(flows.get("post").get("requestBody").get("content").fieldNames()).toIterable()
                .contains("text/plain", "application/json");
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.request().method() + " " + response.uri() + ": " + response.body())
                .isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /** An OpenFlow 1.3 switch that keeps what it is sent and answers a BARRIER at once. */
    private static final class RecordingSwitch implements OFSwitch {
        private final DatapathId id;
        private final OFFactory factory = OFFactories.getFactory(OFVersion.OF_13);
        final Queue<OFMessage> messages = new ConcurrentLinkedQueue<>();
        volatile boolean connected = true;

        RecordingSwitch(long dpid) {
            this.id = DatapathId.of(dpid);
        }

        <T extends OFMessage> List<T> sent(Class<T> type) {
            return messages.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
        }

        @Override
        public DatapathId id() {
            return id;
        }

        @Override
        public OFVersion version() {
            return factory.getVersion();
        }

        @Override
        public OFFactory factory() {
            return factory;
        }

        @Override
        public SwitchFeatures features() {
            return new SwitchFeatures(0, (short) 254, Set.of());
        }

        @Override
        public SwitchDescription description() {
            return new SwitchDescription("test", "recording switch", "1", "None", "s" + id.getLong());
        }

        @Override
        public Map<OFPort, OFPortDesc> ports() {
            return Map.of();
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40001);
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public void write(OFMessage message) {
            messages.add(asReceived(message));
        }

        @Override
        public void writeAll(Iterable<? extends OFMessage> batch) {
            batch.forEach(this::write);
        }

        /** As the switch would read it: bulk installs send messages already encoded. */
        private OFMessage asReceived(OFMessage message) {
            io.netty.buffer.ByteBuf bytes = io.netty.buffer.Unpooled.buffer();
            try {
                message.writeTo(bytes);
                return factory.getReader().readFrom(bytes);
            } catch (org.projectfloodlight.openflow.exceptions.OFParseError e) {
                throw new AssertionError("sent a message that does not parse: " + message, e);
            } finally {
                bytes.release();
            }
        }

        @Override
        public <R extends OFMessage> CompletableFuture<R> request(OFRequest<R> request) {
            return request(request, Duration.ofSeconds(10));
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R extends OFMessage> CompletableFuture<R> request(OFRequest<R> request, Duration timeout) {
            messages.add(request);
            if (request instanceof OFBarrierRequest) {
                return CompletableFuture.completedFuture((R) factory.buildBarrierReply().setXid(request.getXid()).build());
            }
            return CompletableFuture.failedFuture(new UnsupportedOperationException(request.getType().toString()));
        }

        @Override
        public <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public <R extends OFStatsReply> CompletableFuture<List<R>> requestStats(OFStatsRequest<R> request, Duration timeout) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public void disconnect() {
            connected = false;
        }
    }
}
