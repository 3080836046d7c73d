package dev.switchboard.it;

import static dev.switchboard.it.TestSetup.hostBehind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    private static final Path ROOT = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration SESSION = Duration.ofSeconds(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Member(String id, int openflowPort, int restPort, Process process, Path log) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void killingTheMasterMovesTheSwitchToAnotherInstanceAndThePingsComeBack() throws Exception {
        Path jar = ROOT.resolve("server/target/switchboard.jar");
        assertThat(jar).as("built by the reactor before the integration tests").exists();
        String bridge = RunNames.name("cf");
        List<String> namespaces = List.of(RunNames.name("cfa"), RunNames.name("cfb"));
        List<String> veths = List.of(RunNames.name("cfva"), RunNames.name("cfvb"));
        List<Member> members = new ArrayList<>();
        Path dir = Files.createTempDirectory("sb-cluster-failover");
        try (TestingServer zk = new TestingServer(); PrivateOvs ovs = PrivateOvs.start()) {
            InetAddress controllerAddress = ovs.controllerAddress();
            for (String id : List.of("n1", "n2", "n3")) {
                members.add(start(jar, dir, id, zk.getConnectString(), controllerAddress, bridge));
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

            Member master = awaitMasterByOvs(ovs, members);
            assertThat(switchView(master).get("role").asText()).isEqualTo("MASTER");
            for (Member other : members) {
                if (other != master) {
                    JsonNode view = switchView(other);
                    assertThat(view.get("role").asText()).as(other.id()).isEqualTo("SLAVE");
                    assertThat(view.get("master").asText()).as("%s names the master", other.id()).isEqualTo(master.id());
                }
            }
            JsonNode cluster = get(master, "/cluster");
            assertThat(cluster.get("members").toString()).isEqualTo("[\"n1\",\"n2\",\"n3\"]");

            try (PingMonitor ping = PingMonitor.start(namespaces.get(0), "10.219.0.2", Duration.ofMillis(50))) {
                await().atMost(PATIENCE).until(() -> ping.answeredAfter(Instant.now().minusMillis(200)));
                Instant settled = Instant.now();
                await().atMost(PATIENCE).until(() -> ping.answeredAfter(settled.plusSeconds(3)));
                assertThat(ovs.ofctl("-O", "OpenFlow13", "dump-flows", bridge)).as("l2-learning's flows").contains("cookie=0x534204");

                Instant killed = Instant.now();
                master.process().destroyForcibly(); // SIGKILL: no goodbye to ZooKeeper, its session must time out
                master.process().waitFor(10, TimeUnit.SECONDS);
                List<Member> left = members.stream().filter(m -> m != master).toList();

                Member next = awaitMasterByOvs(ovs, left);
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
            for (Member member : members) {
                member.process().destroy();
            }
            for (Member member : members) {
                if (!member.process().waitFor(15, TimeUnit.SECONDS)) {
                    member.process().destroyForcibly();
                }
            }
            namespaces.forEach(ns -> Commands.run(Duration.ofSeconds(10), "ip", "netns", "del", ns));
            veths.forEach(veth -> Commands.run(Duration.ofSeconds(10), "ip", "link", "del", veth));
        }
    }

    private Member start(Path jar, Path dir, String id, String zk, InetAddress address, String bridge) throws IOException {
        int openflow = freePort(address);
        int rest = freePort(InetAddress.getLoopbackAddress());
        Path config = dir.resolve(id + ".yaml");
        Files.writeString(config, """
                openflow:
                  listen: ["%s:%d"]
                rest:
                  port: %d
                apps:
                  l2-learning: {idleTimeout: 2s, hardTimeout: 2s}
                cluster:
                  connect: %s
                  nodeId: %s
                  sessionTimeout: %ds
                  root: /%s
                """.formatted(address.getHostAddress(), openflow, rest, zk, id, SESSION.toSeconds(), bridge));
        Path log = dir.resolve(id + ".log");
        Process process = new ProcessBuilder("java", "-jar", jar.toString(), "controller", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Member(id, openflow, rest, process, log);
    }

    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            return socket.getLocalPort();
        }
    }

    private JsonNode get(Member member, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + member.restPort() + "/api/v1" + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The member's view of the one switch. */
    private JsonNode switchView(Member member) throws Exception {
        JsonNode switches = get(member, "/switches");
        assertThat(switches).hasSize(1);
        return switches.get(0);
    }

    /** Polls {@link #masterByOvs} every 100 ms; failing, says what OVS showed last. */
    private static Member awaitMasterByOvs(PrivateOvs ovs, List<Member> members) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Member master = masterByOvs(ovs, members);
            if (master != null) {
                return master;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no single master among " + members.stream().map(m -> m.id() + " on "
                + m.openflowPort()).toList() + " by OVS within " + PATIENCE + ":\n"
                + ovs.vsctl("--columns=target,role,is_connected,status", "list", "controller"));
    }

    /** The one member OVS shows as master while every other live one is slave, else null. */
    private static Member masterByOvs(PrivateOvs ovs, List<Member> members) {
        Map<String, String> roles = new HashMap<>();
        String csv = ovs.vsctl("--format=csv", "--data=bare", "--no-headings", "--columns=target,role,is_connected", "list", "controller");
        for (String line : csv.split("\n")) {
            String[] cells = line.split(",");
            if (cells.length == 3 && cells[2].trim().equals("true")) {
                roles.put(cells[0].replace("\"", "").trim(), cells[1].replace("\"", "").trim());
            }
        }
        return OvsMasters.soleMaster(ovs, roles, members, Member::openflowPort);
    }
}
