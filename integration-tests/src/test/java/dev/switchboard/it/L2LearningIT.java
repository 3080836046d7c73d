package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.app.AppCookies;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The l2-learning app as the remote controller of real Mininet networks. */
class L2LearningIT {
    private static final String COOKIE = String.format("cookie=0x%x", AppCookies.cookie(dev.switchboard.apps.l2.L2LearningApp.COOKIE_NUMBER).getValue() >>> 40);
    private static final Pattern PORT_RX = Pattern.compile("port\\s+(\\w+): rx pkts=(\\d+)");

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource(delimiter = '|', value = {"single,4|OpenFlow13|a", "linear,4|OpenFlow10|b", "tree,2,3|OpenFlow13|c"})
    void pingallDropsNothingAndTheSecondIsServedByFlows(String topology, String protocols, String run) {
        try (AppNetwork lab = AppNetwork.start(topology, protocols, List.of("l2-learning"), Map.of(), run)) {
            lab.awaitDiscovery();
            assertThat(lab.net.pingAll()).as(lab.net.output()).isZero();
            long first = lab.dataPacketIns();

            assertThat(lab.dumpFlows("s1")).contains(COOKIE);

            assertThat(lab.net.pingAll()).isZero();
            long second = lab.dataPacketIns() - first;
            assertThat(second).as("packet-ins during the second pingall (the first took %d)", first)
                    .isLessThan(Math.max(4, first / 10));
        }
    }

    @Test
    void aRingOfFourPingsWithoutAStormAndItsTopologyIsMininets() throws Exception {
        try (AppNetwork lab = AppNetwork.start("ring,4", "OpenFlow13", List.of("l2-learning"), Map.of(), "d")) {
            lab.awaitDiscovery();
            assertThat(AppNetwork.ourLinks(lab.topology().current())).hasSize(8).isEqualTo(lab.mininetSwitchLinks());

            assertThat(lab.net.pingAll()).as(lab.net.output()).isZero();

            long before = received(lab);
            Thread.sleep(5000);
            long growth = received(lab) - before;
            // a storm would be thousands of packets a second; discovery probes are a few per port
            assertThat(growth).as("packets received by the ring's ports in 5 s of quiet").isLessThan(200);
        }
    }

    private static long received(AppNetwork lab) {
        long total = 0;
        for (String sw : List.of("s1", "s2", "s3", "s4")) {
            Matcher m = PORT_RX.matcher(lab.ofctl("dump-ports", sw));
            while (m.find()) {
                total += Long.parseLong(m.group(2));
            }
        }
        return total;
    }
}
