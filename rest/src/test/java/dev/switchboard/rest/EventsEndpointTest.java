package dev.switchboard.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.TopologyEvent;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/** {@code /api/v1/events} and the web view's files, by real HTTP over fake services. */
class EventsEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeSources fakes = new FakeSources();
    private final FakeSwitch s1 = new FakeSwitch(1, OFVersion.OF_13, 1, 2);
    private RestServer server;

    @BeforeEach
    void start() {
        fakes.add(s1);
        server = RestServer.start(new RestConfig(true, "127.0.0.1", 0, Optional.empty()), fakes.sources());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void streamsSwitchEventsAndResumesAfterLastEventId() throws Exception {
        long firstId;
        try (EventReader live = open(null)) {
            fakes.switchListeners.forEach(l -> l.switchAdded(s1));
            JsonNode connected = live.next();
            assertThat(connected.get("type").asText()).isEqualTo("switch.connected");
            assertThat(connected.get("data").get("dpid").asText()).isEqualTo("00:00:00:00:00:00:00:01");
            assertThat(connected.get("data").get("version").asText()).isEqualTo("1.3");
            firstId = connected.get("id").asLong();
            assertThat(live.lastId).isEqualTo(firstId);
        }
        // missed while disconnected
        fakes.switchListeners.forEach(l -> l.portRemoved(s1, s1.ports().values().iterator().next()));
        fakes.switchListeners.forEach(l -> l.switchRemoved(s1));

        try (EventReader resumed = open(Long.toString(firstId))) {
            JsonNode port = resumed.next();
            assertThat(port.get("type").asText()).isEqualTo("port.removed");
            assertThat(port.get("id").asLong()).isEqualTo(firstId + 1);
            assertThat(port.get("data").get("port").get("number").asLong()).isPositive();
            assertThat(resumed.next().get("type").asText()).isEqualTo("switch.disconnected");
        }

        JsonNode all = getJson("/events?format=json&since=0");
        assertThat(all).extracting(e -> e.get("type").asText())
                .containsExactly("switch.connected", "port.removed", "switch.disconnected");
        assertThat(getJson("/events?format=json&since=" + (firstId + 1))).extracting(e -> e.get("type").asText())
                .containsExactly("switch.disconnected");
    }

    @Test
    void anUnknownIdGetsAResetTellingTheClientToReReadTheState() throws Exception {
        try (EventReader stale = open("5")) {
            JsonNode reset = stale.next();
            assertThat(reset.get("type").asText()).isEqualTo("reset");
            assertThat(reset.get("data").get("reason").asText()).contains("not from this controller's run");
            fakes.switchListeners.forEach(l -> l.switchAdded(s1));
            assertThat(stale.next().get("type").asText()).isEqualTo("switch.connected");
        }
    }

    /**
     * The topology app stopped when the API started, then enabled: its link events reach the
     * stream; stopped again, it is let go; a service that stays is not registered on twice.
     */
    @Test
    void followsTheTopologyOfAnAppEnabledAfterTheApiStarted() throws Exception {
        server.close();
        fakes.topologyRunning = false;
        server = RestServer.start(new RestConfig(true, "127.0.0.1", 0, Optional.empty()), fakes.sources());
        assertThat(fakes.topologyListeners).isEmpty();

        fakes.topologyRuns(true);
        fakes.topologyRuns(true); // another app changed: the topology stays followed once
        assertThat(fakes.topologyListeners).hasSize(1);
        Link link = new Link(new SwitchPort(s1.id(), OFPort.of(1)), new SwitchPort(DatapathId.of(2), OFPort.of(1)),
                Link.Kind.DIRECT);
        fakes.topologyListeners.forEach(l -> l.topologyChanged(
                new TopologyEvent(null, null, Set.of(), Set.of(), Set.of(link), Set.of())));
        JsonNode all = getJson("/events?format=json&since=0");
        assertThat(all).extracting(e -> e.get("type").asText()).containsExactly("link.added");
        assertThat(all.get(0).get("data").get("link").get("dst").get("dpid").asText()).isEqualTo("00:00:00:00:00:00:00:02");

        fakes.topologyRuns(false);
        assertThat(fakes.topologyListeners).isEmpty();
        server.close();
        server = null;
        assertThat(fakes.appChangeListeners).isEmpty();
    }

    @Test
    void aMalformedIdOrFormatIsABadRequest() throws Exception {
        HttpResponse<String> since = get("/api/v1/events?since=abc");
        assertThat(since.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(since.body()).get("field").asText()).isEqualTo("since");
        HttpResponse<String> format = get("/api/v1/events?format=xml");
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(format.body()).get("field").asText()).isEqualTo("format");
    }

    @Test
    void servesTheWebViewAtTheRoot() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<svg id=\"topology\"");
        assertThat(get("/app.js").body()).contains("/api/v1/events");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = get("/api/v1" + path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Opens the stream and waits for its first bytes, so events after this are seen by it. */
    private EventReader open(String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/events"));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        return new EventReader(response.body());
    }

    /** Reads SSE frames on a thread of its own into a queue. */
    private static final class EventReader implements AutoCloseable {
        private final InputStream body;
        private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        private final Thread thread;
        private volatile long lastId = -1;

        EventReader(InputStream body) throws Exception {
            this.body = body;
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String retry = lines.readLine(); // the stream opens with its retry hint: it is subscribed
            assertThat(retry).startsWith("retry:");
            thread = new Thread(() -> {
                try {
                    List<String> frame = new ArrayList<>();
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (!line.isEmpty()) {
                            frame.add(line);
                            continue;
                        }
                        for (String field : frame) {
                            if (field.startsWith("id: ")) {
                                lastId = Long.parseLong(field.substring(4));
                            } else if (field.startsWith("data: ")) {
                                events.add(JSON.readTree(field.substring(6)));
                            }
                        }
                        frame.clear();
                    }
                } catch (Exception e) {
                    // closed by the test
                }
            }, "sse-reader");
            thread.setDaemon(true);
            thread.start();
        }

        JsonNode next() throws InterruptedException {
            JsonNode event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("an event within 10 s").isNotNull();
            return event;
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }
}
