package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import dev.switchboard.topology.TopologyService;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/events} of a controller with a real Mininet network: switch and link events
 * arrive live, and a client that reconnects with its Last-Event-ID gets the ones it missed; the
 * link and host events of apps enabled over the API after it started arrive too.
 */
class LiveEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "it-token-" + RunNames.PREFIX;
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void switchAndLinkEventsLiveAndResumedAfterAReconnect() throws Exception {
        RestConfig rest = new RestConfig(true, "127.0.0.1", 0, Optional.of(TOKEN));
        try (PrivateOvs ovs = PrivateOvs.start();
                Switchboard switchboard = Switchboard.start(
                        ControllerConfig.builder().listen(List.of(new InetSocketAddress(ovs.controllerAddress(), 0))).build(),
                        SwitchboardConfig.defaults().ovsdb(), List.of("forwarding"), name -> AppConfig.of("apps." + name, Map.of()), rest)) {
            String events = "http://127.0.0.1:" + switchboard.rest().orElseThrow().port() + "/api/v1/events";
            long lastSeen;
            try (SseReader live = SseReader.open(http, events, TOKEN, null);
                    MininetNetwork net = MininetNetwork.start(ovs, "linear,2", switchboard.openflowAddresses().get(0).getPort(),
                            "OpenFlow13", RunNames.name("v"))) {
                List<JsonNode> seen = live.until(linkBetween("link.added", 1, 2), LIMIT);
                assertThat(seen).as(SseReader.types(seen).toString()).anySatisfy(e -> {
                    assertThat(e.get("type").asText()).isEqualTo("switch.connected");
                    assertThat(e.get("data").get("version").asText()).isEqualTo("1.3");
                });
                assertThat(seen).extracting(e -> e.get("id").asLong()).isSorted().doesNotHaveDuplicates();
                AppNetwork.awaitDiscovery(() -> switchboard.service(TopologyService.class).orElseThrow().current(), net.topology());
                live.close();
                // the newest event so far: the client's last id when it went away
                List<JsonNode> all = awaitJson(events + "?format=json&since=0", e -> true);
                assertThat(all.get(0).get("type").asText()).isNotEqualTo("reset");
                lastSeen = all.get(all.size() - 1).get("id").asLong();

                // missed while no client listens: the link goes down
                net.link("s1", "s2", false);
                List<JsonNode> missed = awaitJson(events + "?format=json&since=" + lastSeen,
                        linkBetween("link.removed", 1, 2));
                assertThat(missed).extracting(e -> e.get("type").asText()).contains("port.changed");

                try (SseReader resumed = SseReader.open(http, events, TOKEN, Long.toString(lastSeen))) {
                    List<JsonNode> replay = resumed.until(linkBetween("link.removed", 1, 2), LIMIT);
                    assertThat(replay.get(0).get("id").asLong()).as(SseReader.types(replay).toString()).isEqualTo(lastSeen + 1);
                    assertThat(replay).extracting(e -> e.get("type").asText()).contains("port.changed").doesNotContain("reset");
                }
            }
            // an id from no run of this controller: the client is told to re-read the state
            try (SseReader stale = SseReader.open(http, events, TOKEN, "1")) {
                assertThat(stale.until(e -> true, LIMIT).get(0).get("type").asText()).isEqualTo("reset");
            }
        }
    }

    /**
     * No app runs when the API starts; topology, hosts and forwarding are enabled over the API
     * afterwards, with the network already connected: the stream follows the services they
     * publish, so the links they discover and the hosts they learn arrive live.
     */
    @Test
    void linkAndHostEventsOfAppsEnabledAfterTheApiStarted() throws Exception {
        RestConfig rest = new RestConfig(true, "127.0.0.1", 0, Optional.of(TOKEN));
        try (PrivateOvs ovs = PrivateOvs.start();
                Switchboard switchboard = Switchboard.start(
                        ControllerConfig.builder().listen(List.of(new InetSocketAddress(ovs.controllerAddress(), 0))).build(),
                        SwitchboardConfig.defaults().ovsdb(), List.of(), name -> AppConfig.of("apps." + name, Map.of()), rest)) {
            String base = "http://127.0.0.1:" + switchboard.rest().orElseThrow().port() + "/api/v1";
            try (SseReader live = SseReader.open(http, base + "/events", TOKEN, null);
                    MininetNetwork net = MininetNetwork.start(ovs, "linear,2", switchboard.openflowAddresses().get(0).getPort(),
                            "OpenFlow13", RunNames.name("w"))) {
                for (String app : List.of("topology", "hosts", "forwarding")) {
                    HttpResponse<String> enabled = http.send(HttpRequest.newBuilder(URI.create(base + "/apps/" + app + "/enable"))
                            .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
                }
                List<JsonNode> seen = new ArrayList<>(live.until(linkBetween("link.added", 1, 2), LIMIT));
                assertThat(seen).as(SseReader.types(seen).toString()).extracting(e -> e.get("type").asText())
                        .contains("switch.connected");

                // forwarding enabled over the API forwards once discovery is done, as when it starts with the
                // controller: the first pingall after enabling, no traffic before it but what the hosts sent themselves
                AppNetwork.awaitDiscovery(() -> switchboard.service(TopologyService.class).orElseThrow().current(), net.topology());
                assertThat(net.pingAll()).as(net.output()).isZero();

                String h1Mac = net.topology().get("hosts").get("h1").get("mac").asText();
                Predicate<JsonNode> h1Learned = e -> e.get("type").asText().equals("host.added")
                        && e.get("data").get("host").get("mac").asText().equalsIgnoreCase(h1Mac);
                if (seen.stream().noneMatch(h1Learned)) { // a host may speak (IPv6) before the pings
                    seen.addAll(live.until(h1Learned, LIMIT));
                }
                assertThat(seen).extracting(e -> e.get("id").asLong()).isSorted().doesNotHaveDuplicates();
            }
        }
    }

    /** Polls the JSON listing until it holds the wanted event; returns the listing. */
    private List<JsonNode> awaitJson(String url, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (;;) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            List<JsonNode> listed = JSON.readerForListOf(JsonNode.class).readValue(response.body());
            if (listed.stream().anyMatch(wanted)) {
                return listed;
            }
            assertThat(System.nanoTime()).as("the event listed within " + LIMIT + "; listed: " + SseReader.types(listed))
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static Predicate<JsonNode> linkBetween(String type, long a, long b) {
        return e -> {
            if (!e.get("type").asText().equals(type)) {
                return false;
            }
            JsonNode link = e.get("data").get("link");
            long src = dpid(link.get("src").get("dpid").asText());
            long dst = dpid(link.get("dst").get("dpid").asText());
            return (src == a && dst == b) || (src == b && dst == a);
        };
    }

    private static long dpid(String text) {
        return Long.parseUnsignedLong(text.replace(":", ""), 16);
    }
}
