package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import dev.switchboard.rest.RestConfig;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/** {@code GET /metrics} of a running server, by real HTTP, with an emulated switch and l2-learning. */
class MetricsEndpointTest {
    private static final String TOKEN = "metrics-test-token";
    private static final String DPID = "dpid=\"00:00:00:00:00:00:00:07\"";

    private final HttpClient http = HttpClient.newHttpClient();

    private static byte[] frame(long dst, long src) {
        ByteBuffer frame = ByteBuffer.allocate(64);
        frame.putShort((short) (dst >>> 32)).putInt((int) dst);
        frame.putShort((short) (src >>> 32)).putInt((int) src);
        frame.putShort((short) 0x0800);
        return frame.array();
    }

    private HttpResponse<String> scrape(int port, boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (withToken) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void servesTheControllersAppsAndJvmsMetricsBehindTheToken() throws Exception {
        ControllerConfig openflow = ControllerConfig.builder().listen(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopThreads(1).build();
        MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (Switchboard switchboard = Switchboard.start(openflow, SwitchboardConfig.defaults().ovsdb(),
                List.of("l2-learning"), name -> AppConfig.of("apps." + name,
                        name.equals("topology") ? Map.of("quarantine", "0ms") : Map.of()),
                new RestConfig(true, "127.0.0.1", 0, Optional.of(TOKEN)))) {
            int port = switchboard.rest().orElseThrow().port();
            String before = scrape(port, true).body();
            assertThat(value(before, "switchboard_switches_connected")).isZero();

            EmulatedSwitch sw = EmulatedSwitch.prepare(EmulatedSwitchOptions.builder().datapathId(DatapathId.of(7))
                    .supportedVersions(Set.of(OFVersion.OF_13)).build()).connectTo(loops, switchboard.openflowAddresses().get(0));
            await().atMost(Duration.ofSeconds(10)).until(() -> switchboard.controller().switches()
                    .getSwitch(DatapathId.of(7)).filter(switchboard::serves).isPresent());
            sw.sendPacketIn(OFPort.of(2), frame(0xa, 0xb)); // b learnt at 2, a unknown: flooded
            sw.sendPacketIn(OFPort.of(1), frame(0xb, 0xa)); // b known: a flow
            await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(port, true).body(),
                    "switchboard_switch_flow_mods_total{" + DPID + "}") >= 1);

            HttpResponse<String> response = scrape(port, true);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
            String text = response.body();
            assertThat(value(text, "switchboard_switches_connected")).isEqualTo(1);
            assertThat(value(text, "switchboard_switch_packet_ins_total{" + DPID + "}")).isEqualTo(2);
            assertThat(value(text, "switchboard_app_errors_total{app=\"l2-learning\",kind=\"processor\"}")).isZero();
            assertThat(value(text, "switchboard_handshake_failures_total{reason=\"timeout\"}")).isZero();
            assertThat(text).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "process_uptime_seconds",
                    "system_cpu_count");

            assertThat(scrape(port, false).statusCode()).isEqualTo(401);
            sw.close();
        } finally {
            loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
