package dev.switchboard.it;

import static dev.switchboard.it.TestSetup.hostBehind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * Three Switchboard processes ({@code java -jar switchboard.jar controller --config FILE}, each
 * with a {@code cluster:} section) on one real ZooKeeper server (curator-test, in the test's
 * JVM), and one real OVS bridge connected to all three, with two namespaces pinging each other
 * through it. l2-learning's flows last two seconds, so the pings need a master that answers
 * packet-ins. The master, as OVS reports it ({@code ovs-vsctl list controller}), is killed with
 * SIGKILL while the pings run: another instance becomes master (OVS says so, and its REST API),
 * the bridge's flows are reconciled, not flushed, and the pings come back. The gap and the ping
 * loss are printed.
 */
@RunsAlone("measures the failover gap, and runs three controller JVMs on ports it picked free beforehand")
class ClusterFailoverIT {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration SESSION = Duration.ofSeconds(4);

    @Test
    void killingTheMasterMovesTheSwitchToAnotherInstanceAndThePingsComeBack() throws Exception {
        String bridge = RunNames.name("cf");
        List<String> namespaces = List.of(RunNames.name("cfa"), RunNames.name("cfb"));
        List<String> veths = List.of(RunNames.name("cfva"), RunNames.name("cfvb"));
        List<ClusterMember> members = new ArrayList<>();
        Path dir = Files.createTempDirectory("sb-cluster-failover");
        try (TestingServer zk = new TestingServer(); PrivateOvs ovs = PrivateOvs.start()) {
            InetAddress controllerAddress = ovs.controllerAddress();
            for (String id : List.of("n1", "n2", "n3")) {
                members.add(ClusterMember.start(dir, id, controllerAddress, zk.getConnectString(), "/" + bridge, SESSION,
                        "l2-learning: {idleTimeout: 2s, hardTimeout: 2s}"));
            }
            List<String> vsctl = new ArrayList<>(List.of("add-br", bridge, "--", "set", "bridge", bridge,
                    "datapath_type=netdev", "protocols=OpenFlow13", "fail_mode=secure", "--", "set-controller", bridge));
            members.forEach(m -> vsctl.add(ovs.controllerTarget(m.openflowPort())));
            ovs.vsctl(vsctl.toArray(String[]::new));
            for (int i = 0; i < 2; i++) {
                hostBehind(namespaces.get(i), veths.get(i), "10.219.0." + (i + 1) + "/24");
                ovs.moveIntoNamespace(veths.get(i));
                ovs.vsctl("add-port", bridge, veths.get(i));
            }

            ClusterMember master = awaitMasterByOvs(ovs, bridge, members);
            assertThat(switchView(master).get("role").asText()).isEqualTo("MASTER");
            for (ClusterMember other : members) {
                if (other != master) {
                    JsonNode view = switchView(other);
                    assertThat(view.get("role").asText()).as(other.id()).isEqualTo("SLAVE");
                    assertThat(view.get("master").asText()).as("%s names the master", other.id()).isEqualTo(master.id());
                }
            }
            JsonNode cluster = master.get("/cluster");
            assertThat(cluster.get("members").toString()).isEqualTo("[\"n1\",\"n2\",\"n3\"]");

            try (PingMonitor ping = PingMonitor.start(namespaces.get(0), "10.219.0.2", Duration.ofMillis(50))) {
                await().atMost(PATIENCE).until(() -> ping.answeredAfter(Instant.now().minusMillis(200)));
                Instant settled = Instant.now();
                await().atMost(PATIENCE).until(() -> ping.answeredAfter(settled.plusSeconds(3)));
                assertThat(ovs.ofctl("-O", "OpenFlow13", "dump-flows", bridge)).as("l2-learning's flows").contains("cookie=0x534204");

                Instant killed = Instant.now();
                master.kill();
                List<ClusterMember> left = members.stream().filter(m -> m != master).toList();

                ClusterMember next = awaitMasterByOvs(ovs, bridge, left);
                Duration toNewMaster = Duration.between(killed, Instant.now());
                assertThat(next).isNotEqualTo(master);
                Instant elected = Instant.now();
                await().atMost(PATIENCE).until(() -> "MASTER".equals(switchView(next).get("role").asText()));
                await().atMost(PATIENCE).until(() -> ping.answeredAfter(elected));
                Instant back = Instant.now();
                await().atMost(PATIENCE).until(() -> ping.answeredAfter(back.plusSeconds(3)));
                PingMonitor.Outage outage = ping.outageSince(killed);
                System.out.printf("cluster failover: master %s killed (SIGKILL), %s master by OVS after %d ms"
                        + " (session timeout %d ms); pings every 50 ms: %s%n", master.id(), next.id(),
                        toNewMaster.toMillis(), SESSION.toMillis(), outage);
                assertThat(ovs.ofctl("-O", "OpenFlow13", "dump-flows", bridge)).as("reconciled, not flushed")
                        .contains("cookie=0x534204");
                String masterLog = Files.readString(next.log());
                assertThat(masterLog).contains("this instance masters it now; reconciling its flows");
            }
        } finally {
            ClusterMember.stopAll(members);
            namespaces.forEach(ns -> Commands.run(Duration.ofSeconds(10), "ip", "netns", "del", ns));
            veths.forEach(veth -> Commands.run(Duration.ofSeconds(10), "ip", "link", "del", veth));
        }
    }

    /** The member's view of the one switch. */
    private static JsonNode switchView(ClusterMember member) throws Exception {
        JsonNode switches = member.get("/switches");
        assertThat(switches).hasSize(1);
        return switches.get(0);
    }

    /** Polls {@link OvsMasters#soleMaster} every 100 ms; failing, says what OVS showed last. */
    private static ClusterMember awaitMasterByOvs(PrivateOvs ovs, String bridge, List<ClusterMember> members)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            ClusterMember master = OvsMasters.soleMaster(ovs, bridge, members, ClusterMember::openflowPort);
            if (master != null) {
                return master;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no single master among " + members.stream().map(m -> m.id() + " on "
                + m.openflowPort()).toList() + " by OVS within " + PATIENCE + ":\n"
                + ovs.vsctl("--columns=target,role,is_connected,status", "list", "controller"));
    }
}
