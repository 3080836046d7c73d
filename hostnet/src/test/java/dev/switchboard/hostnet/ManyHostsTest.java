package dev.switchboard.hostnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A lab of many namespace hosts on one Linux bridge, applied as one batch of changes, as the lab benchmark will. */
class ManyHostsTest extends RealKernelTest {

    private static final Logger log = LoggerFactory.getLogger(ManyHostsTest.class);
    private static final int HOSTS = 64;

    private final String sw = P + "sw";
    private final Netns swNs = Netns.named(sw);

    private static String host(int i) {
        return P + "h" + i;
    }

    /** Each host: namespace, veth eth0 to port pI on bridge br0 in the switch namespace, address 10.1.0.I/16. */
    private Changes lab(Changes changes) {
        changes.createNamespace(sw).createBridge(BridgeSpec.builder("br0").namespace(swNs).build());
        for (int i = 1; i <= HOSTS; i++) {
            Netns h = Netns.named(host(i));
            changes.createNamespace(host(i))
                    .createVeth(VethSpec.builder("eth0", "p" + i).namespace(h).peerNamespace(swNs).build())
                    .enslave(swNs, "p" + i, "br0")
                    .addAddress(h, "eth0", Cidr.parse("10.1.0." + i + "/16"))
                    .setDefaultGateway(h, IpAddresses.parse("10.1.255.254"));
        }
        return changes;
    }

    @Test
    void planGroupsIndependentChangesIntoFewProcesses() {
        Planner planner = new Planner(new IpRoute2(Duration.ofSeconds(10)), () -> {
            throw new AssertionError("no feature needed");
        });
        // plan only: validate and turn into steps, without applying anything
        Changes changes = lab(net.changes());
        assertThat(changes.size()).isEqualTo(2 + 5 * HOSTS);
        changes.planInto(planner);
        int batches = StepRunner.group(planner.steps()).size();
        // one root batch (namespaces, veths), one for the switch namespace, one per host namespace
        assertThat(batches).isEqualTo(2 + HOSTS);
        assertThat(namespacesWithPrefix()).isEmpty();
    }

    @Test
    void sixtyFourHostsOnABridgeInOneApply() {
        long start = System.nanoTime();
        lab(net.changes()).apply();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("{} hosts with veths, bridge ports, addresses and routes applied in {} ms", HOSTS, took.toMillis());

        assertThat(namespacesWithPrefix()).hasSize(HOSTS + 1);
        assertThat(linkNames(sw)).hasSize(HOSTS + 2);
        assertThat(linkJson(sw, "p" + HOSTS).path("master").asText()).isEqualTo("br0");
        assertThat(addressesOf(host(HOSTS), "eth0")).contains("10.1.0." + HOSTS + "/16");
        assertPings(host(1), "10.1.0." + HOSTS);
        assertPings(host(HOSTS), "10.1.0.1");
    }
}
