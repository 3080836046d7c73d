package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.app.AppCookies;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Shortest-path forwarding on real Mininet: two equal paths, one taken down, the other used. */
class ForwardingIT {
    private static final String COOKIE = String.format("cookie=0x%x", AppCookies.cookie(dev.switchboard.apps.forwarding.ForwardingApp.COOKIE_NUMBER).getValue() >>> 40);

    @ParameterizedTest(name = "over {0}")
    @CsvSource({"OpenFlow13, e", "OpenFlow10, f"})
    void aLinkDownOnThePathMovesTheTrafficToTheOtherPath(String protocols, String run) {
        try (AppNetwork lab = AppNetwork.start("diamond", protocols, List.of("forwarding"), Map.of(), run)) {
            lab.awaitDiscovery();
            assertThat(lab.net.pingAll()).as(lab.net.output()).isZero();

            // each direction takes one of the two middle switches; cut the first one in use
            String via = lab.dumpFlows("s2").contains(COOKIE) ? "s2" : "s3";
            String other = via.equals("s2") ? "s3" : "s2";
            assertThat(lab.dumpFlows(via)).contains(COOKIE);

            lab.net.link("s1", via, false);
            long down = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ZERO)
                    .until(() -> lab.net.run("h1", "ping -c 1 -W 1 " + ip(lab, "h2")).contains(" 0% packet loss"));
            double seconds = (System.nanoTime() - down) / 1e9;
            System.out.printf("forwarding over %s: pings resumed %.1f s after link s1-%s went down%n", protocols, seconds, via);

            assertThat(lab.dumpFlows(other)).as("after the reroute").contains(COOKIE);
            assertThat(lab.dumpFlows(via)).doesNotContain(COOKIE);
            assertThat(lab.net.run("h1", "ping -c 5 -i 0.2 -W 1 " + ip(lab, "h2"))).contains(" 0% packet loss");
        }
    }

    static String ip(AppNetwork lab, String host) {
        return lab.mininetTopology().path("hosts").path(host).path("ip").asText();
    }
}
