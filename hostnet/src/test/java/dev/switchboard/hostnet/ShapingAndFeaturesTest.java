package dev.switchboard.hostnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Traffic shaping with tc, and the kernel feature probe. */
class ShapingAndFeaturesTest extends RealKernelTest {

    private final String nsName = P + "s0";
    private final Netns ns = Netns.named(nsName);

    @BeforeEach
    void vethInANamespace() {
        net.createNamespace(nsName);
        net.createVeth(VethSpec.builder("a", "b").namespace(ns).build());
    }

    private JsonNode rootQdisc(String link) {
        for (JsonNode q : json("tc", "-n", nsName, "-json", "qdisc", "show", "dev", link)) {
            if (q.path("root").asBoolean()) {
                return q;
            }
        }
        throw new AssertionError("no root qdisc on " + link);
    }

    @Test
    void rateLimitWithTbfIsVisibleInTc() {
        net.shape(ns, "a", Shaping.builder().rateMbit(10).build());
        JsonNode q = rootQdisc("a");
        assertThat(q.path("kind").asText()).isEqualTo("tbf");
        assertThat(q.path("options").path("rate").asLong()).as("bytes per second").isEqualTo(1_250_000);
        assertThat(q.path("options").path("burst").asLong()).isEqualTo(15_000);

        net.shape(ns, "a", Shaping.builder().rateMbit(100).burstBytes(64_000).build());
        q = rootQdisc("a");
        assertThat(q.path("options").path("rate").asLong()).as("replaced").isEqualTo(12_500_000);
        assertThat(q.path("options").path("burst").asLong()).isEqualTo(64_000);

        net.clearShaping(ns, "a");
        assertThat(rootQdisc("a").path("kind").asText()).isEqualTo("noqueue");
        net.clearShaping(ns, "a");
    }

    @Test
    void rateLimitWithHtbHasOneClass() {
        net.shape(ns, "b", Shaping.builder().rateMbit(5).limiter(Shaping.RateLimiter.HTB).build());
        assertThat(rootQdisc("b").path("kind").asText()).isEqualTo("htb");
        // tc 6.1 prints htb classes as text even with -json
        String classes = sh("tc", "-n", nsName, "class", "show", "dev", "b").strip();
        assertThat(classes.lines()).hasSize(1);
        assertThat(classes).startsWith("class htb 5:1 root").contains(" rate 5Mbit ");
    }

    @Test
    void aQueueWithoutNetemIsAFifoLimitUnderTheRateOrAtTheRoot() {
        net.shape(ns, "b", Shaping.builder().rateMbit(5).limiter(Shaping.RateLimiter.HTB).queuePackets(100).build());
        JsonNode fifo = null;
        for (JsonNode q : json("tc", "-n", nsName, "-json", "qdisc", "show", "dev", "b")) {
            if (q.path("kind").asText().equals("pfifo")) {
                fifo = q;
            }
        }
        assertThat(fifo).as("a pfifo under the htb class").isNotNull();
        assertThat(fifo.path("parent").asText()).isEqualTo("5:1");
        assertThat(fifo.path("options").path("limit").asInt()).isEqualTo(100);

        net.shape(ns, "a", Shaping.builder().queuePackets(7).build());
        JsonNode root = rootQdisc("a");
        assertThat(root.path("kind").asText()).isEqualTo("pfifo");
        assertThat(root.path("options").path("limit").asInt()).isEqualTo(7);
    }

    @Test
    void aLossOfZeroNeedsNoNetemAndChangesNothing() {
        Shaping none = Shaping.builder().lossPercent(0).build();
        assertThat(none.needsNetem()).isFalse();
        String before = rootQdisc("a").toString();
        net.shape(ns, "a", none);
        assertThat(rootQdisc("a").toString()).isEqualTo(before);
    }

    @Test
    void shapedLinkStillCarriesTraffic() {
        String other = P + "s1";
        net.createNamespace(other);
        net.changes()
                .createVeth(VethSpec.builder("c", "d").namespace(ns).peerNamespace(Netns.named(other)).build())
                .addAddress(ns, "c", Cidr.parse("10.0.5.1/24"))
                .addAddress(Netns.named(other), "d", Cidr.parse("10.0.5.2/24"))
                .shape(ns, "c", Shaping.builder().rateMbit(1).build())
                .apply();
        assertPings(nsName, "10.0.5.2");
    }

    @Test
    void delayAndLossNeedNetemAndAreRefusedBeforeAnythingChanges() {
        assumeFalse(net.kernelFeatures().has(KernelFeature.NETEM), "this kernel has netem");
        String before = rootQdisc("a").toString();

        assertThatThrownBy(() -> net.shape(ns, "a", Shaping.builder().rateMbit(10).delay(Duration.ofMillis(5)).build()))
                .isInstanceOf(KernelFeatureMissingException.class)
                .hasMessageStartingWith("shaping link 'a' in namespace '" + nsName + "' with delay or loss needs "
                        + "netem (tc qdisc netem), which is not available in this kernel")
                .hasMessageContaining("Specified qdisc kind is unknown")
                .satisfies(e -> assertThat(((KernelFeatureMissingException) e).feature()).isEqualTo(KernelFeature.NETEM));
        assertThatThrownBy(() -> net.shape(ns, "a", Shaping.builder().lossPercent(1).build()))
                .isInstanceOf(KernelFeatureMissingException.class)
                .hasMessageContaining("netem (tc qdisc netem)");
        String third = P + "s2";
        assertThatThrownBy(() -> net.changes()
                .createNamespace(third)
                .shape(ns, "b", Shaping.builder().rateMbit(1).build())
                .shape(ns, "a", Shaping.builder().delay(Duration.ofMillis(1)).build())
                .apply())
                .isInstanceOf(KernelFeatureMissingException.class);

        assertThat(rootQdisc("a").toString()).isEqualTo(before);
        assertThat(rootQdisc("b").path("kind").asText()).isEqualTo("noqueue");
        assertThat(namespacesWithPrefix()).containsExactly(nsName);
    }

    @Test
    void vlanFilteringIsRefusedWhereTheKernelLacksIt() {
        assumeFalse(net.kernelFeatures().has(KernelFeature.BRIDGE_VLAN_FILTERING), "this kernel has it");
        net.createBridge(BridgeSpec.builder("br0").namespace(ns).build());
        assertThatThrownBy(() -> net.setVlanFiltering(ns, "br0", true))
                .isInstanceOf(KernelFeatureMissingException.class)
                .hasMessageContaining("needs bridge VLAN filtering, which is not available in this kernel");
        assertThat(linkJson(nsName, "br0").path("linkinfo").path("info_data").path("vlan_filtering").asInt())
                .isZero();
    }

    @Test
    void probeFindsWhatThisKernelHasAndLeavesNoScratchNamespace() {
        List<String> probesBefore = probeNamespaces();
        KernelFeatures features = KernelFeatures.probe(new IpRoute2(Duration.ofSeconds(10)));

        // the project relies on these (DESIGN.md); the others are reported, whatever they are
        assertThat(features.available()).contains(KernelFeature.VXLAN, KernelFeature.MACVLAN, KernelFeature.IFB,
                KernelFeature.TBF, KernelFeature.HTB);
        for (KernelFeature missing : features.missing()) {
            assertThat(features.whyMissing(missing)).isPresent();
            assertThatThrownBy(() -> features.require(missing))
                    .isInstanceOf(KernelFeatureMissingException.class)
                    .hasMessageStartingWith(missing.description() + " is not available in this kernel ("
                            + features.kernelRelease() + ")");
        }
        assertThat(features.kernelRelease()).isNotBlank();
        assertThat(probeNamespaces()).isEqualTo(probesBefore);
    }

    private static List<String> probeNamespaces() {
        List<String> out = new ArrayList<>();
        json("ip", "-json", "netns", "list").forEach(n -> {
            if (n.path("name").asText().startsWith("sbprobe-")) {
                out.add(n.path("name").asText());
            }
        });
        return out;
    }
}
