package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * iperf between two hosts whose path crosses three switches (Mininet linear,3: h1 on s1,
 * h3 on s3) under the forwarding app. The rate is printed for docs/benchmarks.md; nothing
 * asserts a speed.
 */
@RunsAlone("measures a rate for docs/benchmarks.md: tests beside it would take its CPU")
class IperfIT {

    @Test
    void iperfAcrossThreeSwitchesReportsARate() {
        try (AppNetwork lab = AppNetwork.start("linear,3", "OpenFlow13", List.of("forwarding"), Map.of(), "i")) {
            lab.awaitDiscovery();
            String rate = lab.net.iperf("h1", "h3", 5);
            System.out.println("iperf h1-h3 over linear,3 (forwarding, userspace OVS): " + rate);
            assertThat(rate).matches("[0-9.]+ [KMG]?bits/sec");
        }
    }
}
