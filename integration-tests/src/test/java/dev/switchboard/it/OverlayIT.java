package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.TopologyService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13, requirements 1 and 2 on one machine: two hypervisors (namespaces each running their own OVS, set up by
 * {@code vagrant/provision/hypervisor.sh}) whose managers point at Switchboard; from the declared overlay it makes
 * their bridges and the VXLAN tunnels between them; tenant hosts behind them reach each other through the tunnel
 * (the underlay capture shows UDP 4789), and two tenants with the same subnet, told apart by VNI, never reach each
 * other, ARP included.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverlayIT {
    private static OverlayNetwork network;

    @BeforeAll
    static void start() throws Exception {
        network = new OverlayNetwork(OverlayNetwork.OVERLAY + """
                apps:
                  l2-learning: {}
                """);
        network.start(List.of("l2-learning"));
    }

    @AfterAll
    static void stop() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Order(1)
    void theControllerMakesTheBridgesAndTunnelsItDeclaresOnEveryHypervisor() {
        var hosts = network.hosts;
        for (String hv : List.of("hv1", "hv2")) {
            String peer = hv.equals("hv1") ? "hv2" : "hv1";
            String local = hv.equals("hv1") ? "192.168.77.1" : "192.168.77.2";
            String remote = hv.equals("hv1") ? "192.168.77.2" : "192.168.77.1";
            assertThat(hosts.vsctl(hv, "get-manager")).startsWith("tcp:169.254.");
            assertThat(hosts.vsctl(hv, "get", "Open_vSwitch", ".", "external_ids:system-id")).isEqualTo(hv);
            await().atMost(OverlayNetwork.PATIENCE).until(() -> hosts.vsctl(hv, "list-ports", "br-blue").contains("vx200-" + peer));
            assertThat(hosts.vsctl(hv, "list-ports", "br-int").lines()).contains("vx100-" + peer);
            assertThat(hosts.vsctl(hv, "get", "interface", "vx100-" + peer, "type")).isEqualTo("vxlan");
            assertThat(hosts.vsctl(hv, "get", "interface", "vx100-" + peer, "options"))
                    .isEqualTo("{key=\"100\", local_ip=\"" + local + "\", remote_ip=\"" + remote + "\"}");
            assertThat(hosts.vsctl(hv, "get", "interface", "vx200-" + peer, "options:key")).isEqualTo("\"200\"");
            assertThat(hosts.vsctl(hv, "get", "bridge", "br-int", "datapath_type")).isEqualTo("netdev");
            assertThat(hosts.vsctl(hv, "get", "bridge", "br-int", "fail_mode")).isEqualTo("secure");
            await().atMost(OverlayNetwork.PATIENCE).until(() -> hosts.vsctl(hv, "--columns=is_connected", "list", "controller")
                    .lines().filter(line -> line.contains("true")).count() == 2);
        }
        await().atMost(OverlayNetwork.PATIENCE).until(() -> network.switchboard.controller().switches().switches().size() == 4);
        assertThat(network.switchboard.ovsdb().orElseThrow().connectedHosts()).containsExactly("hv1", "hv2");
    }

    @Test
    @Order(2)
    void tenantsPingAndTalkTcpThroughTheTunnelAndTheUnderlayCarriesVxlan() throws Exception {
        var hosts = network.hosts;
        Path capture = Files.createTempFile("sb-underlay", ".txt");
        Process tcpdump = new ProcessBuilder("ip", "netns", "exec", hosts.namespace("hv1"), "tcpdump", "-l", "-n", "-i",
                hosts.underlay("hv1"), "udp", "port", "4789").redirectErrorStream(true).redirectOutput(capture.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(capture).contains("listening on"));
            ExecResult ping = network.ping("red1", "10.0.0.2");
            assertThat(ping.succeeded()).as("red1 -> red2 across the tunnel: %s", ping.stdout()).isTrue();
            assertThat(network.ping("red2", "10.0.0.1").succeeded()).isTrue();

            Process server = new ProcessBuilder("ip", "netns", "exec", hosts.namespace("red2"), "iperf", "-s", "-p", "5201")
                    .redirectErrorStream(true).start();
            try {
                ExecResult iperf = null;
                for (int attempt = 0; attempt < 20; attempt++) { // until the server listens
                    iperf = hosts.exec("red1", Duration.ofSeconds(30), "iperf", "-c", "10.0.0.2", "-p", "5201", "-t", "2");
                    if (iperf.succeeded() && iperf.stdout().contains("bits/sec")) {
                        break;
                    }
                    Thread.sleep(250);
                }
                assertThat(iperf.stdout()).as("iperf TCP red1 -> red2").contains("bits/sec");
            } finally {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(capture).contains("192.168.77.2.4789"));
        } finally {
            tcpdump.destroy();
            tcpdump.waitFor(5, TimeUnit.SECONDS);
        }
        String underlay = Files.readString(capture);
        Files.delete(capture);
        assertThat(underlay).as("the underlay capture").contains("192.168.77.1.").contains("> 192.168.77.2.4789: VXLAN")
                .contains("> 192.168.77.1.4789: VXLAN").contains("vni 100");
    }

    @Test
    @Order(3)
    void topologySeesTheTunnelAsALinkAndL2LearningInstallsFlowsOnBothSides() {
        TopologyService topology = network.switchboard.service(TopologyService.class).orElseThrow();
        await().atMost(OverlayNetwork.PATIENCE).until(() -> topology.current().links().stream()
                .filter(link -> link.kind() == Link.Kind.DIRECT).count() >= 4); // br-int and br-blue, both directions
        assertThat(network.ping("red1", "10.0.0.2").succeeded()).isTrue();
        for (String hv : List.of("hv1", "hv2")) {
            assertThat(network.hosts.dumpFlows(hv, "br-int")).contains("cookie=0x534204"); // l2-learning's
        }
    }

    @Test
    @Order(4)
    void tenantsWithTheSameSubnetReachOnlyTheirOwnHostsArpIncluded() throws Exception {
        var hosts = network.hosts;
        String red2 = network.mac("red2");
        String blu2 = network.mac("blu2");
        String red1 = network.mac("red1");
        String blu1 = network.mac("blu1");
        Path capture = Files.createTempFile("sb-blue", ".txt");
        // everything blu2 receives while red pings 10.0.0.2: nothing from red's MACs may arrive, ARP broadcasts included
        Process tcpdump = new ProcessBuilder("ip", "netns", "exec", hosts.namespace("blu2"), "tcpdump", "-l", "-n", "-e", "-i",
                hosts.tenantInterface("blu2")).redirectErrorStream(true).redirectOutput(capture.toFile()).start();
        Path redCapture = Files.createTempFile("sb-red", ".txt");
        Process redDump = new ProcessBuilder("ip", "netns", "exec", hosts.namespace("red2"), "tcpdump", "-l", "-n", "-e", "-i",
                hosts.tenantInterface("red2")).redirectErrorStream(true).redirectOutput(redCapture.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(capture).contains("listening on")
                    && Files.readString(redCapture).contains("listening on"));
            for (String from : List.of("red1", "blu1")) {
                hosts.exec(from, Duration.ofSeconds(5), "ip", "neigh", "flush", "all");
            }
            assertThat(network.ping("red1", "10.0.0.2").succeeded()).isTrue();
            assertThat(network.ping("blu1", "10.0.0.2").succeeded()).isTrue();
            assertThat(network.ping("blu2", "10.0.0.1").succeeded()).isTrue();
            assertThat(network.ping("red2", "10.0.0.1").succeeded()).isTrue();
            if (dev.switchboard.ovs.runtime.Commands.isInstalled("arping")) { // broadcasts reach red's hosts only
                ExecResult arping = hosts.exec("red1", Duration.ofSeconds(20), "arping", "-c", "3", "-I",
                        hosts.tenantInterface("red1"), "10.0.0.2");
                assertThat(arping.stdout()).contains(red2).doesNotContain(blu2);
            }
            Thread.sleep(500); // the capture's last lines
        } finally {
            tcpdump.destroy();
            redDump.destroy();
            tcpdump.waitFor(5, TimeUnit.SECONDS);
            redDump.waitFor(5, TimeUnit.SECONDS);
        }
        String blue = Files.readString(capture);
        String red = Files.readString(redCapture);
        Files.delete(capture);
        Files.delete(redCapture);
        // each one's neighbour 10.0.0.2 / 10.0.0.1 is its own tenant's host
        assertThat(hosts.exec("red1", Duration.ofSeconds(5), "ip", "neigh", "show", "10.0.0.2").stdout()).contains(red2);
        assertThat(hosts.exec("blu1", Duration.ofSeconds(5), "ip", "neigh", "show", "10.0.0.2").stdout()).contains(blu2);
        assertThat(blue).as("blue's host saw blue's ARP and pings").contains(blu1).contains("ARP")
                .doesNotContain(red1).doesNotContain(red2);
        assertThat(red).as("red's host saw red's ARP and pings").contains(red1).contains("ARP")
                .doesNotContain(blu1).doesNotContain(blu2);
    }
}
