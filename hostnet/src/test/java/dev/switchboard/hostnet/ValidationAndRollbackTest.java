package dev.switchboard.hostnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every refusal happens before anything is changed, and a failure half way leaves nothing behind. Each test ends by
 * checking that none of its namespaces or root links exist (beyond what it made on purpose before the refusal).
 */
class ValidationAndRollbackTest extends RealKernelTest {

    private final String nsName = P + "v0";
    private final Netns ns = Netns.named(nsName);

    private static void assertNothingOfOursExists() {
        assertThat(namespacesWithPrefix()).isEmpty();
        assertThat(rootLinksWithPrefix()).isEmpty();
    }

    @Test
    void tooLongNameIsRefusedWithTheKernelsLimit() {
        assertThatThrownBy(() -> VethSpec.builder("this-name-is-too-long", "b").build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("veth name 'this-name-is-too-long' is 21 characters; the kernel allows 15");
        assertThatThrownBy(() -> net.rename(Netns.ROOT, "lo", "sixteen-chars-xx"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'sixteen-chars-xx' is 16 characters; the kernel allows 15");
        assertThatThrownBy(() -> BridgeSpec.builder("brückenbrücke15").build())
                .hasMessageContaining("is 17 bytes in UTF-8; the kernel allows 15");
        assertThat(BridgeSpec.builder("fifteen-chars-x").build().name()).hasSize(15);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a b", "a\tb", "eth0:1", ".", ".."})
    void malformedInterfaceNamesAreRefused(String name) {
        assertThatThrownBy(() -> net.changes()
                .createNamespace(nsName)
                .createBridge(BridgeSpec.builder(name).namespace(ns).build())
                .apply())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("bridge name")
                .satisfies(e -> assertThat(e.getMessage()).contains(name.isEmpty() ? "is empty" : "'" + name + "'"));
        assertThatThrownBy(() -> net.changes()
                .createNamespace(nsName)
                .createTap(TapSpec.builder("tap0").namespace(ns).build())
                .rename(ns, "tap0", name)
                .apply())
                .isInstanceOf(InvalidRequestException.class);
        assertNothingOfOursExists();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a b", ".", ".."})
    void malformedNamespaceNamesAreRefused(String name) {
        assertThatThrownBy(() -> net.changes().createNamespace(nsName).createNamespace(name).apply())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("namespace name");
        assertNothingOfOursExists();
    }

    @Test
    void duplicateNamesAreRefusedBeforeAnythingChanges() {
        net.createNamespace(nsName);
        net.createVeth(VethSpec.builder("eth0", "eth1").namespace(ns).build());
        String other = P + "v1";

        assertThatThrownBy(() -> net.createNamespace(nsName))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessage("cannot create namespace '" + nsName + "': it already exists");
        assertThatThrownBy(() -> net.changes()
                .createNamespace(other)
                .createVeth(VethSpec.builder("eth0", "x0").namespace(Netns.named(other)).peerNamespace(ns).build())
                .createVeth(VethSpec.builder("eth1", "x1").namespace(ns).peerNamespace(Netns.named(other)).build())
                .apply())
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessage("cannot create veth 'eth1' in namespace '" + nsName
                        + "': a veth of that name exists already");
        assertThatThrownBy(() -> net.changes()
                .createNamespace(other)
                .createTap(TapSpec.builder("t0").namespace(Netns.named(other)).build())
                .createBridge(BridgeSpec.builder("t0").namespace(Netns.named(other)).build())
                .apply())
                .as("a duplicate within the same batch")
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("a TAP device of that name exists already");
        net.addAddress(ns, "eth0", Cidr.parse("10.1.1.1/24"));
        assertThatThrownBy(() -> net.addAddress(ns, "eth0", Cidr.parse("10.1.1.1/24")))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("address 10.1.1.1/24").hasMessageContaining("'eth0'");

        assertThat(namespacesWithPrefix()).containsExactly(nsName);
        assertThat(linkNames(nsName)).containsExactlyInAnyOrder("lo", "eth0", "eth1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.8.256/24", "10.0.8.1/33", "10.0.8.1", "10.0.8/24", "010.0.8.1/24", "10.0.8.1/024",
            "10.0.8.1/", "fd00::1::2/64", "fd00:::1/64", "fd00::12345/64", "fd00::1/129", "1:2:3:4:5:6:7:8:9/64",
            "1:2:3:4:5:6:7::8/64", ":1::2/64", "fe80::1%eth0/64", "localhost/8", "example.com/24", " 10.0.8.1/24",
            "10.0.8.1/24 ", "1.2.3.4::/64", "g::1/64", "0x0a.0.0.1/8"})
    void addressesThatDoNotParseAreRefused(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'");
    }

    @Test
    void addressParseErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> Cidr.parse("10.0.8.256/24"))
                .hasMessage("'10.0.8.256' is not an IP address: 256 is larger than 255");
        assertThatThrownBy(() -> Cidr.parse("10.0.8.1/33"))
                .hasMessage("'10.0.8.1/33' has prefix length '33'; it must be a number from 0 to 32");
        assertThatThrownBy(() -> Cidr.parse("localhost/8"))
                .hasMessage("'localhost' is not an IP address: an IPv4 address has four dot-separated numbers");
        assertThatThrownBy(() -> net.addRoute(Netns.ROOT, Route.to(Cidr.parse("10.9.0.1/16")).dev("lo")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("route destination 10.9.0.1/16 in the root namespace has host bits set; "
                        + "the network is 10.9.0.0/16");
        assertThatThrownBy(() -> Route.to(Cidr.parse("10.9.0.0/16")).via(IpAddresses.parse("fd00::1")))
                .hasMessageContaining("other address family");
    }

    @Test
    void missingNamespacesAndLinksAreRefused() {
        Netns nowhere = Netns.named(P + "nope");
        assertThatThrownBy(() -> net.createVeth(VethSpec.builder(P + "a", "b").peerNamespace(nowhere).build()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("namespace '" + P + "nope' does not exist");
        assertThatThrownBy(() -> net.addAddress(nowhere, "eth0", Cidr.parse("10.0.0.1/24")))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("namespace '" + P + "nope' does not exist");
        assertThatThrownBy(() -> net.links(nowhere))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> net.exec(nowhere, List.of("true"), Duration.ofSeconds(5)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> net.deleteNamespace(P + "nope"))
                .isInstanceOf(NotFoundException.class);
        net.createNamespace(nsName);
        assertThatThrownBy(() -> net.changes()
                .createBridge(BridgeSpec.builder("br0").namespace(ns).build())
                .enslave(ns, "eth9", "br0")
                .apply())
                .isInstanceOf(NotFoundException.class)
                .hasMessage("link 'eth9' does not exist in namespace '" + nsName + "'");
        assertThatThrownBy(() -> net.addresses(ns, "eth9")).isInstanceOf(NotFoundException.class);
        assertThat(linkNames(nsName)).containsExactly("lo");
        assertThat(rootLinksWithPrefix()).isEmpty();
    }

    @Test
    void otherBadValuesAreRefused() {
        net.createNamespace(nsName);
        net.createTap(TapSpec.builder("tap0").namespace(ns).build());
        net.createTap(TapSpec.builder("tun0").namespace(ns).mode(TapSpec.Mode.TUN).build());
        assertThatThrownBy(() -> net.setMtu(ns, "tap0", 65530))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("MTU for link 'tap0' in namespace '" + nsName + "' 65530 is outside 68..65521");
        assertThatThrownBy(() -> net.setMac(ns, "tap0", "01:00:5e:00:00:01"))
                .hasMessageContaining("multicast");
        assertThatThrownBy(() -> net.setMac(ns, "tap0", "02:00:00:00:00"))
                .hasMessageContaining("is not a MAC address");
        assertThatThrownBy(() -> net.setMac(ns, "tun0", "02:00:00:00:00:01"))
                .hasMessageContaining("TUN 'tun0'").hasMessageContaining("has no MAC");
        assertThatThrownBy(() -> net.enslave(ns, "tun0", "tap0"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'tap0' is a TAP device, not a bridge");
        assertThatThrownBy(() -> TapSpec.builder("t").persistent(false).build())
                .hasMessageContaining("persistent");
        assertThatThrownBy(() -> Shaping.builder().lossPercent(101).build()).hasMessageContaining("outside 0..100");
        assertThatThrownBy(() -> Shaping.builder().build()).hasMessageContaining("at least one");
        assertThat(linkNames(nsName)).containsExactlyInAnyOrder("lo", "tap0", "tun0");
        assertThat(linkJson(nsName, "tap0").path("mtu").asInt()).isEqualTo(1500);
    }

    @Test
    void missingPrivilegesAreReportedBeforeAnythingChanges(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n"
                + "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n");
        HostNetwork unprivileged = new HostNetwork(Duration.ofSeconds(5), status);
        assertThatThrownBy(() -> unprivileged.createNamespace(nsName))
                .isInstanceOf(InsufficientPrivilegesException.class)
                .hasMessageStartingWith("changing host networking needs root (CAP_NET_ADMIN)")
                .hasMessageContaining("effective uid 1000")
                .hasMessageContaining("CAP_NET_ADMIN and CAP_SYS_ADMIN");
        assertThatThrownBy(() -> unprivileged.exec(ns, List.of("true"), Duration.ofSeconds(1)))
                .isInstanceOf(InsufficientPrivilegesException.class);
        assertThat(unprivileged.namespaces()).as("reading needs no privileges").doesNotContain(nsName);

        Files.writeString(status, "Uid:\t0\t0\t0\t0\nCapEff:\t000001ffffffefff\n");
        assertThatThrownBy(() -> new HostNetwork(Duration.ofSeconds(5), status).createNamespace(nsName))
                .as("root without CAP_NET_ADMIN, as in a restricted container")
                .hasMessageContaining("effective uid 0 and lacks CAP_NET_ADMIN");
        assertNothingOfOursExists();
    }

    @Test
    void failureHalfWayRollsBackEverythingAlreadyCreated() {
        String other = P + "v1";
        Netns otherNs = Netns.named(other);
        assertThatThrownBy(() -> net.changes()
                .createNamespace(nsName)
                .createNamespace(other)
                .createVeth(VethSpec.builder("eth0", P + "r0").namespace(ns).build())
                .createVeth(VethSpec.builder("eth0", "eth1").namespace(otherNs).peerNamespace(ns).build())
                .createBridge(BridgeSpec.builder("br0").namespace(otherNs).build())
                .enslave(otherNs, "eth0", "br0")
                .addAddress(ns, "eth0", Cidr.parse("10.0.8.1/24"))
                .setIpForwarding(otherNs, true)
                // the gateway is on no connected subnet: only the kernel can tell
                .addRoute(ns, Route.to(Cidr.parse("10.9.0.0/16")).via(IpAddresses.parse("10.7.7.7")))
                .apply())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("add route 10.9.0.0/16 via 10.7.7.7 in namespace '" + nsName + "' failed: ")
                .hasMessageContaining("Nexthop has invalid gateway")
                .hasMessageContaining("rolled back")
                .satisfies(e -> {
                    OperationFailedException failure = (OperationFailedException) e;
                    assertThat(failure.kernelMessage()).contains("Nexthop has invalid gateway");
                    assertThat(failure.rollbackFailures()).isEmpty();
                    assertThat(failure.operation()).startsWith("add route");
                });
        assertNothingOfOursExists();
    }

    @Test
    void rollbackRestoresExistingObjects() {
        net.createNamespace(nsName);
        net.createVeth(VethSpec.builder("eth0", "eth1").namespace(ns).mtu(1500).build());
        net.createBridge(BridgeSpec.builder("br0").namespace(ns).build());
        net.createBridge(BridgeSpec.builder("br1").namespace(ns).build());
        net.enslave(ns, "eth1", "br1");
        net.addAddress(ns, "eth0", Cidr.parse("10.0.8.1/24"));
        net.setDefaultGateway(ns, IpAddresses.parse("10.0.8.254"));
        JsonNode before = json("ip", "-n", nsName, "-json", "-details", "address", "show");

        assertThatThrownBy(() -> net.changes()
                .setMtu(ns, "eth0", 1400)
                .setMac(ns, "eth0", "02:00:00:00:99:01")
                .removeAddress(ns, "eth0", Cidr.parse("10.0.8.1/24"))
                .addAddress(ns, "eth0", Cidr.parse("10.0.9.1/24"))
                .setDefaultGateway(ns, IpAddresses.parse("10.0.9.254"))
                .enslave(ns, "eth1", "br0")
                .setDown(ns, "br1")
                .rename(ns, "eth1", "renamed")
                .moveToNamespace(ns, "renamed", Netns.ROOT)
                .addRoute(ns, Route.to(Cidr.parse("10.99.0.0/16")).via(IpAddresses.parse("10.7.7.7")))
                .apply())
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("rolled back")
                .satisfies(e -> assertThat(((OperationFailedException) e).rollbackFailures()).isEmpty());

        JsonNode after = json("ip", "-n", nsName, "-json", "-details", "address", "show");
        assertThat(summary(after)).isEqualTo(summary(before));
        assertThat(json("ip", "-n", nsName, "-json", "route", "show", "default").get(0).path("gateway").asText())
                .isEqualTo("10.0.8.254");
        assertThat(rootLinksWithPrefix()).isEmpty();
    }

    /**
     * Name, MTU, MAC, flags, master and addresses of each link: what a rollback must restore. Not a bridge's MAC: a
     * bridge without a MAC of its own takes its lowest port's, and has none (all zeros) once its last port leaves.
     */
    private static List<String> summary(JsonNode links) {
        List<String> lines = new ArrayList<>();
        for (JsonNode link : links) {
            StringBuilder out = new StringBuilder();
            boolean bridge = link.path("linkinfo").path("info_kind").asText().equals("bridge");
            out.append(link.path("ifname").asText()).append(' ').append(link.path("mtu").asInt()).append(' ')
                    .append(bridge ? "bridge" : link.path("address").asText()).append(' ')
                    .append(link.path("flags").toString().contains("\"UP\"") ? "up" : "down").append(' ')
                    .append(link.path("master").asText("-"));
            link.path("addr_info").forEach(a -> {
                if (!a.path("scope").asText().equals("link")) {
                    out.append(' ').append(a.path("local").asText()).append('/').append(a.path("prefixlen").asInt());
                }
            });
            lines.add(out.toString());
        }
        Collections.sort(lines);
        return lines;
    }
}
