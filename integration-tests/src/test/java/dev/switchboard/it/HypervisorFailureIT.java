package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, requirement 3: one hypervisor's OVS is killed (SIGKILL to ovsdb-server and ovs-vswitchd). The controller
 * reports it, the other hypervisor's tenants keep reaching each other, and once {@code hypervisor.sh} runs again the
 * declared bridges, tunnels and the apps' flows are back with no other step: tenants across the tunnel ping again.
 */
class HypervisorFailureIT {
    private OverlayNetwork network;

    @BeforeEach
    void start() throws Exception {
        network = new OverlayNetwork(OverlayNetwork.OVERLAY + """
                apps:
                  l2-learning: {}
                """);
        network.startController(List.of("l2-learning"));
        network.startHypervisors();
    }

    @AfterEach
    void stop() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void aKilledHypervisorIsReportedTheOtherGoesOnAndItsStateComesBackWhenItRestarts() throws Exception {
        var hosts = network.hosts;
        var manager = network.switchboard.ovsdb().orElseThrow();
        await().atMost(OverlayNetwork.PATIENCE).until(() -> manager.connectedHosts().equals(List.of("hv1", "hv2")));
        // the tenants' first packets need the bridges' OpenFlow connections, not only their OVSDB ones
        await().atMost(OverlayNetwork.PATIENCE).until(() -> network.switchboard.controller().switches().switches().size() == 4);
        assertThat(network.ping("red1", "10.0.0.2").succeeded()).isTrue();

        hosts.killHypervisor("hv2");

        assertThat(hosts.isRunning("hv2")).isFalse();
        await("the controller notices").atMost(OverlayNetwork.PATIENCE).until(() -> manager.connectedHosts().equals(List.of("hv1")));
        await().atMost(OverlayNetwork.PATIENCE).until(() -> network.switchboard.controller().switches().switches().size() == 2);
        assertThat(ovsdbServers()).as("GET /api/v1/ovsdb lists hv1's server only").hasSize(1);
        // hv1's own tenants go on among themselves; red2, on the dead hypervisor, is out of reach
        assertThat(network.ping("red1", "10.0.0.3").succeeded()).as("red1 -> red3, both on hv1").isTrue();
        assertThat(network.ping("red3", "10.0.0.1").succeeded()).isTrue();
        assertThat(network.ping("red1", "10.0.0.2").succeeded()).as("red2 is on the dead hypervisor").isFalse();
        assertThat(hosts.vsctl("hv1", "list-ports", "br-int").lines()).contains("vx100-hv2");

        hosts.startHypervisor("hv2", network.managerPort); // the script again, nothing else

        await("hv2 managed again").atMost(OverlayNetwork.PATIENCE).until(() -> manager.connectedHosts().equals(List.of("hv1", "hv2")));
        await().atMost(OverlayNetwork.PATIENCE).until(() -> network.switchboard.controller().switches().switches().size() == 4);
        assertThat(hosts.vsctl("hv2", "list-ports", "br-int").lines()).contains("vx100-hv1");
        assertThat(hosts.vsctl("hv2", "get", "interface", "vx200-hv1", "options:key")).isEqualTo("\"200\"");
        await("red1 reaches red2 again").atMost(OverlayNetwork.PATIENCE).until(() -> network.ping("red1", "10.0.0.2").succeeded());
        assertThat(network.ping("blu2", "10.0.0.1").succeeded()).isTrue();
        assertThat(hosts.dumpFlows("hv2", "br-int")).contains("cookie=0x534200"); // the controller's table-miss, back
    }

    @Test
    void aHypervisorThatLostItsDatabaseGetsItsBridgesAndTunnelsFromTheController() throws Exception {
        var hosts = network.hosts;
        var manager = network.switchboard.ovsdb().orElseThrow();
        await().atMost(OverlayNetwork.PATIENCE).until(() -> manager.connectedHosts().equals(List.of("hv1", "hv2")));
        hosts.killHypervisor("hv2");
        hosts.forgetDatabase("hv2"); // as a reinstalled host: no bridge, no tunnel, no port

        hosts.startHypervisor("hv2", network.managerPort);
        hosts.plugTenants("hv2", OverlayNetwork.PATIENCE); // the compute side plugs its hosts into the bridge made for it

        assertThat(hosts.vsctl("hv2", "list-ports", "br-int").lines()).contains("vx100-hv1");
        assertThat(hosts.vsctl("hv2", "get", "interface", "vx100-hv1", "options:remote_ip")).isEqualTo("\"192.168.77.1\"");
        await().atMost(OverlayNetwork.PATIENCE).until(() -> hosts.vsctl("hv2", "list-ports", "br-blue").contains("vx200-hv1"));
        await("red1 reaches red2 again").atMost(OverlayNetwork.PATIENCE).until(() -> network.ping("red1", "10.0.0.2").succeeded());
    }

    private List<String> ovsdbServers() throws Exception {
        int port = network.switchboard.rest().orElseThrow().port();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/ovsdb")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        var servers = tree.isArray() ? tree : tree.path("servers");
        List<String> names = new java.util.ArrayList<>();
        servers.forEach(server -> names.add(server.path("name").asText()));
        return names;
    }
}
