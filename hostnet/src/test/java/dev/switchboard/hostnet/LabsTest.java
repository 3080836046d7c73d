package dev.switchboard.hostnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's hands-on labs and the other features, built through {@link HostNetwork} and checked from outside. */
class LabsTest extends RealKernelTest {

    private final String net0 = P + "net0";
    private final String net1 = P + "net1";
    private final Netns ns0 = Netns.named(net0);
    private final Netns ns1 = Netns.named(net1);

    @Test
    void seedLabOneVethPairBetweenTwoNamespaces() {
        net.createNamespace(net0);
        net.createNamespace(net1);
        net.createVeth(VethSpec.builder("veth0", "veth1").namespace(ns0).peerNamespace(ns1).build());
        net.addAddress(ns0, "veth0", Cidr.parse("10.0.8.1/24"));
        net.addAddress(ns1, "veth1", Cidr.parse("10.0.8.2/24"));

        assertThat(namespacesWithPrefix()).containsExactlyInAnyOrder(net0, net1);
        assertThat(linkNames(net0)).containsExactlyInAnyOrder("lo", "veth0");
        assertThat(linkNames(net1)).containsExactlyInAnyOrder("lo", "veth1");
        JsonNode veth0 = linkJson(net0, "veth0");
        assertThat(veth0.path("linkinfo").path("info_kind").asText()).isEqualTo("veth");
        assertThat(veth0.path("flags").toString()).contains("\"UP\"");
        assertThat(linkJson(net0, "lo").path("flags").toString()).contains("\"UP\"");
        assertThat(addressesOf(net0, "veth0")).contains("10.0.8.1/24");
        assertThat(addressesOf(net1, "veth1")).contains("10.0.8.2/24");
        assertThat(rootLinksWithPrefix()).isEmpty();

        assertPings(net0, "10.0.8.2");
        assertPings(net1, "10.0.8.1");
    }

    @Test
    void seedLabTwoNamespacesJoinedThroughALinuxBridge() {
        String sw = P + "sw";
        Netns swNs = Netns.named(sw);
        net.changes()
                .createNamespace(net0).createNamespace(net1).createNamespace(sw)
                .createBridge(BridgeSpec.builder("br0").namespace(swNs).build())
                .createVeth(VethSpec.builder("eth0", "p0").namespace(ns0).peerNamespace(swNs).build())
                .createVeth(VethSpec.builder("eth0", "p1").namespace(ns1).peerNamespace(swNs).build())
                .enslave(swNs, "p0", "br0")
                .enslave(swNs, "p1", "br0")
                .addAddress(ns0, "eth0", Cidr.parse("10.0.8.1/24"))
                .addAddress(ns1, "eth0", Cidr.parse("10.0.8.2/24"))
                .apply();

        JsonNode br = linkJson(sw, "br0");
        assertThat(br.path("linkinfo").path("info_kind").asText()).isEqualTo("bridge");
        assertThat(br.path("linkinfo").path("info_data").path("stp_state").asInt()).isZero();
        assertThat(linkJson(sw, "p0").path("master").asText()).isEqualTo("br0");
        assertThat(linkJson(sw, "p1").path("master").asText()).isEqualTo("br0");
        assertPings(net0, "10.0.8.2");
        assertPings(net1, "10.0.8.1");

        net.release(swNs, "p1");
        assertThat(linkJson(sw, "p1").has("master")).isFalse();
        assertThat(ping(net0, "10.0.8.2")).isFalse();
    }

    @Test
    void bridgeWithStp() {
        net.createNamespace(net0);
        net.createBridge(BridgeSpec.builder("brstp").namespace(ns0).stp(true).up(false).build());
        JsonNode br = linkJson(net0, "brstp");
        assertThat(br.path("linkinfo").path("info_data").path("stp_state").asInt()).isEqualTo(1);
        assertThat(br.path("flags").toString()).doesNotContain("\"UP\"");
    }

    @Test
    void ipv6PingBetweenNamespaces() {
        net.createNamespace(net0);
        net.createNamespace(net1);
        net.createVeth(VethSpec.builder("v6a", "v6b").namespace(ns0).peerNamespace(ns1).build());
        net.addAddress(ns0, "v6a", Cidr.parse("fd00:8::1/64"));
        net.addAddress(ns1, "v6b", Cidr.parse("fd00:8::2/64"));

        assertThat(addressesOf(net0, "v6a")).contains("fd00:8::1/64");
        assertThat(net.addresses(ns1, "v6b")).contains(Cidr.parse("fd00:8::2/64"));
        assertPings(net0, "fd00:8::2");
        assertPings(net1, "fd00:8::1");

        // an address of another prefix behind net1, reached through an IPv6 default route
        net.addAddress(ns1, "lo", Cidr.parse("fd00:9::2/128"));
        assertThat(ping(net0, "fd00:9::2")).as("no route yet").isFalse();
        net.setDefaultGateway(ns0, IpAddresses.parse("fd00:8::2"));
        JsonNode route = json("ip", "-n", net0, "-6", "-json", "route", "show", "default");
        assertThat(route.get(0).path("gateway").asText()).isEqualTo("fd00:8::2");
        assertThat(net.routes(ns0)).contains(Route.defaultVia(IpAddresses.parse("fd00:8::2")).dev("v6a"));
        assertPings(net0, "fd00:9::2");
    }

    @Test
    void tapAttachedToALinuxBridgeAndATunDevice() {
        net.createNamespace(net0);
        net.createBridge(BridgeSpec.builder("br0").namespace(ns0).build());
        net.createTap(TapSpec.builder("tap0").namespace(ns0).owner(65534).mac("02:00:00:00:0a:01").mtu(9000).build());
        net.enslave(ns0, "tap0", "br0");
        net.createTap(TapSpec.builder("tun0").namespace(ns0).mode(TapSpec.Mode.TUN).group(100).build());

        JsonNode tap = linkJson(net0, "tap0");
        assertThat(tap.path("linkinfo").path("info_kind").asText()).isEqualTo("tun");
        assertThat(tap.path("linkinfo").path("info_data").path("type").asText()).isEqualTo("tap");
        assertThat(tap.path("linkinfo").path("info_data").path("persist").asBoolean()).isTrue();
        assertThat(tap.path("master").asText()).isEqualTo("br0");
        assertThat(tap.path("address").asText()).isEqualTo("02:00:00:00:0a:01");
        assertThat(tap.path("mtu").asInt()).isEqualTo(9000);
        JsonNode tuntap = json("ip", "-n", net0, "-json", "tuntap", "show");
        assertThat(tuntap.toString()).contains("\"ifname\":\"tap0\"").contains("\"user\":65534");
        JsonNode tun = linkJson(net0, "tun0");
        assertThat(tun.path("linkinfo").path("info_data").path("type").asText()).isEqualTo("tun");
        assertThat(tun.path("link_type").asText()).isEqualTo("none");

        Link parsed = net.link(ns0, "tap0").orElseThrow();
        assertThat(parsed.kind()).contains("tun");
        assertThat(parsed.tunMode()).contains(TapSpec.Mode.TAP);
        assertThat(parsed.master()).contains("br0");
        assertThat(net.link(ns0, "tun0").orElseThrow().mac()).isEmpty();
    }

    @Test
    void routerNamespaceForwardsBetweenTwoSubnets() {
        String h1 = P + "h1";
        String r = P + "r";
        String h2 = P + "h2";
        Netns h1Ns = Netns.named(h1);
        Netns rNs = Netns.named(r);
        Netns h2Ns = Netns.named(h2);
        net.changes()
                .createNamespace(h1).createNamespace(r).createNamespace(h2)
                .createVeth(VethSpec.builder("eth0", "r-eth1").namespace(h1Ns).peerNamespace(rNs).build())
                .createVeth(VethSpec.builder("eth0", "r-eth2").namespace(h2Ns).peerNamespace(rNs).build())
                .addAddress(h1Ns, "eth0", Cidr.parse("10.0.1.2/24"))
                .addAddress(rNs, "r-eth1", Cidr.parse("10.0.1.1/24"))
                .addAddress(rNs, "r-eth2", Cidr.parse("10.0.2.1/24"))
                .addAddress(h2Ns, "eth0", Cidr.parse("10.0.2.2/24"))
                .setIpForwarding(rNs, true)
                .apply();
        assertThat(ping(h1, "10.0.2.2")).as("no route yet").isFalse();

        net.setDefaultGateway(h1Ns, IpAddresses.parse("10.0.1.1"));
        net.addRoute(h2Ns, Route.to(Cidr.parse("10.0.1.0/24")).via(IpAddresses.parse("10.0.2.1")).dev("eth0"));

        assertThat(sh("ip", "netns", "exec", r, "sysctl", "-n", "net.ipv4.ip_forward").strip()).isEqualTo("1");
        assertThat(sh("ip", "netns", "exec", h1, "sysctl", "-n", "net.ipv4.ip_forward").strip()).isEqualTo("0");
        JsonNode h1Routes = json("ip", "-n", h1, "-json", "route", "show", "default");
        assertThat(h1Routes.get(0).path("gateway").asText()).isEqualTo("10.0.1.1");
        JsonNode h2Routes = json("ip", "-n", h2, "-json", "route", "show", "10.0.1.0/24");
        assertThat(h2Routes.get(0).path("gateway").asText()).isEqualTo("10.0.2.1");
        assertThat(net.routes(h1Ns)).contains(Route.defaultVia(IpAddresses.parse("10.0.1.1")).dev("eth0"));
        assertPings(h1, "10.0.2.2");

        net.setDefaultGateway(h1Ns, IpAddresses.parse("10.0.1.3"));
        assertThat(json("ip", "-n", h1, "-json", "route", "show", "default").get(0).path("gateway").asText())
                .as("replaced, not added").isEqualTo("10.0.1.3");
        assertThat(json("ip", "-n", h1, "-json", "route", "show", "default")).hasSize(1);
    }

    @Test
    void linkOperationsAreVisibleToIproute2() {
        net.createNamespace(net0);
        net.createNamespace(net1);
        net.createVeth(VethSpec.builder(P + "x", "y").peerNamespace(ns0).mtu(1400).build());

        Link root = net.link(Netns.ROOT, P + "x").orElseThrow();
        assertThat(root.kind()).contains("veth");
        assertThat(root.mtu()).isEqualTo(1400);
        assertThat(root.up()).isTrue();
        assertThat(root.peerNamespace()).contains(ns0);
        assertThat(net.link(ns0, "y").orElseThrow().peerNamespace()).as("root has no name").isEmpty();

        net.setMtu(ns0, "y", 9000);
        net.setMac(ns0, "y", "02:AA:00:00:00:01");
        net.setDown(ns0, "y");
        net.rename(ns0, "y", "z");
        JsonNode z = linkJson(net0, "z");
        assertThat(z.path("mtu").asInt()).isEqualTo(9000);
        assertThat(z.path("address").asText()).isEqualTo("02:aa:00:00:00:01");
        assertThat(z.path("flags").toString()).doesNotContain("\"UP\"");

        net.addAddress(ns0, "z", Cidr.parse("10.0.3.1/24"));
        net.addAddress(ns0, "z", Cidr.parse("fd00:3::1/64"));
        assertThat(addressesOf(net0, "z")).contains("10.0.3.1/24", "fd00:3::1/64");
        net.removeAddress(ns0, "z", Cidr.parse("10.0.3.1/24"));
        assertThat(addressesOf(net0, "z")).doesNotContain("10.0.3.1/24").contains("fd00:3::1/64");

        net.moveToNamespace(ns0, "z", ns1);
        assertThat(linkNames(net0)).doesNotContain("z");
        assertThat(linkNames(net1)).contains("z");
        net.setUp(ns1, "z");
        assertThat(linkJson(net1, "z").path("flags").toString()).contains("\"UP\"");

        List<String> names = new ArrayList<>();
        net.links(ns1).forEach(l -> names.add(l.name()));
        assertThat(names).containsExactlyInAnyOrder("lo", "z");
        assertThat(net.link(ns1, "nothere")).isEmpty();

        net.deleteLink(ns1, "z");
        assertThat(linkNames(net1)).containsExactly("lo");
        assertThat(rootLinksWithPrefix()).as("the peer went with it").isEmpty();
        assertThat(net.namespaceExists(net1)).isTrue();
        net.deleteNamespace(net1);
        assertThat(net.namespaceExists(net1)).isFalse();
        assertThat(net.namespaces()).contains(net0).doesNotContain(net1);
    }

    @Test
    void execReturnsOutputAndExitStatus() {
        net.createNamespace(net0);
        ExecResult r = net.exec(ns0, List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
                java.time.Duration.ofSeconds(5));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.timedOut()).isFalse();
        assertThat(r.command()).containsExactly("sh", "-c", "echo out; echo err >&2; exit 3");

        ExecResult links = net.exec(ns0, List.of("ip", "-o", "link"), java.time.Duration.ofSeconds(5));
        assertThat(links.succeeded()).isTrue();
        assertThat(links.stdout()).contains("lo:").doesNotContain("eth0");

        // more output than a pipe holds, on both streams: must not deadlock
        ExecResult big = net.exec(ns0, List.of("sh", "-c", "head -c 3000000 /dev/zero; head -c 200000 /dev/zero >&2"),
                java.time.Duration.ofSeconds(10));
        assertThat(big.succeeded()).isTrue();
        assertThat(big.stdout()).hasSize(3_000_000);
        assertThat(big.stderr()).hasSize(200_000);

        ExecResult slow = net.exec(ns0, List.of("sleep", "30"), java.time.Duration.ofMillis(300));
        assertThat(slow.timedOut()).isTrue();
        assertThat(slow.succeeded()).isFalse();
        assertThat(slow.elapsed()).isLessThan(java.time.Duration.ofSeconds(5));

        ExecResult missing = net.exec(ns0, List.of("no-such-program-" + P), java.time.Duration.ofSeconds(5));
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("no-such-program-" + P);
        ExecResult missingInRoot = net.exec(Netns.ROOT, List.of("no-such-program-" + P),
                java.time.Duration.ofSeconds(5));
        assertThat(missingInRoot.exitCode()).isEqualTo(127);
        assertThat(missingInRoot.stderr()).contains("no-such-program-" + P);
    }
}
