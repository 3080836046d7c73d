package dev.switchboard.it;

import static dev.switchboard.it.TestSetup.hostBehind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * Three Switchboard processes with a {@code cluster:} section on one real ZooKeeper server
 * (curator-test) and three real OVS bridges, each connected to all three: by OVS's word each
 * instance masters one bridge. The master of the first bridge, behind which two namespace hosts
 * ping each other, is killed with SIGKILL: its bridge moves to one of the other two, so each
 * bridge has exactly one master, never the dead one. Restarted with the same node id and ports,
 * the instance rejoins (every member's {@code GET /api/v1/cluster} lists it) and takes its bridge
 * back: one bridge per instance again. OVS never shows two masters of a bridge, and the flows
 * stay through both moves: a static flow each master added through its REST API (a cookie no app
 * owns: reconciliation never touches it) and l2-learning's learnt flows (60 s idle timeout: the
 * reconciliation of each new master keeps them). After the hand-back a broadcast ARP, which only
 * a master answering packet-ins floods, gets the pings through again. The times are printed, and
 * how often each bridge was given up meanwhile (by the members' logs): moves beyond the share.
 */
@RunsAlone("measures the failover and the rejoin, and runs three controller JVMs on ports it picked free beforehand")
class ClusterRejoinIT {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration SESSION = Duration.ofSeconds(4);
    private static final String L2_COOKIE = "cookie=0x534204";
    private static final String STATIC_FLOW = "cookie=0x1f0001,priority=7,dl_type=0x88b5,actions=drop";

    @Test
    void aRestartedInstanceRejoinsAndTakesBackItsShare() throws Exception {
        Map<String, DatapathId> bridges = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            bridges.put(RunNames.name("cj" + i), DatapathId.of(0x3a00 + i));
        }
        String hostsBridge = bridges.keySet().iterator().next();
        List<String> namespaces = List.of(RunNames.name("cja"), RunNames.name("cjb"));
        List<String> veths = List.of(RunNames.name("cjva"), RunNames.name("cjvb"));
        List<ClusterMember> members = new ArrayList<>();
        List<String> twoMasters = new ArrayList<>(); // every time OVS showed two masters of a bridge
        Path dir = Files.createTempDirectory("sb-cluster-rejoin");
        try (TestingServer zk = new TestingServer(); PrivateOvs ovs = PrivateOvs.start()) {
            for (String id : List.of("n1", "n2", "n3")) {
                members.add(ClusterMember.start(dir, id, ovs.controllerAddress(), zk.getConnectString(), "/" + hostsBridge,
                        SESSION, "l2-learning: {idleTimeout: 60s, hardTimeout: 600s}"));
            }
            for (Map.Entry<String, DatapathId> b : bridges.entrySet()) {
                List<String> vsctl = new ArrayList<>(List.of("add-br", b.getKey(), "--", "set", "bridge", b.getKey(),
                        "datapath_type=netdev", "protocols=OpenFlow13", "fail_mode=secure",
                        "other-config:datapath-id=" + b.getValue().toString().replace(":", ""), "--", "set-controller", b.getKey()));
                members.forEach(m -> vsctl.add(ovs.controllerTarget(m.openflowPort())));
                ovs.vsctl(vsctl.toArray(String[]::new));
            }
            for (int i = 0; i < 2; i++) {
                hostBehind(namespaces.get(i), veths.get(i), "10.223.0." + (i + 1) + "/24");
                ovs.moveIntoNamespace(veths.get(i));
                ovs.vsctl("add-port", hostsBridge, veths.get(i));
            }

            // one bridge per instance, by OVS's word, and by every instance's REST API
            List<ClusterMember> all = List.copyOf(members);
            Map<String, ClusterMember> first = awaitMasters(ovs, bridges, all, twoMasters, oneEach(all));
            for (ClusterMember member : all) {
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(mastersByRest(member, bridges))
                        .as("%s's /api/v1/cluster", member.id()).isEqualTo(ids(first)));
                assertThat(member.members()).containsExactly("n1", "n2", "n3");
            }
            for (Map.Entry<String, DatapathId> b : bridges.entrySet()) {
                first.get(b.getKey()).post("/switches/" + b.getValue() + "/flows", STATIC_FLOW);
            }
            Map<String, List<String>> staticFlows = new HashMap<>();
            bridges.keySet().forEach(bridge -> staticFlows.put(bridge, flows(ovs, bridge, l -> l.contains("cookie=0x1f0001"))));
            staticFlows.forEach((bridge, flows) -> assertThat(flows).as("the static flow on %s", bridge).hasSize(1));

            try (PingMonitor ping = PingMonitor.start(namespaces.get(0), "10.223.0.2", Duration.ofMillis(100))) {
                await().atMost(PATIENCE).until(() -> ping.answeredAfter(Instant.now().minusMillis(300)));
                await().atMost(PATIENCE).until(() -> flows(ovs, hostsBridge, l -> l.contains(L2_COOKIE)).size() >= 2);
                List<String> learnt = flows(ovs, hostsBridge, l -> l.contains(L2_COOKIE));

                // kill -9 the master of the hosts' bridge: its bridge moves, the others stay
                ClusterMember victim = first.get(hostsBridge);
                List<ClusterMember> survivors = all.stream().filter(m -> m != victim).toList();
                Map<String, Integer> givenUpBefore = givenUp(all, bridges);
                Instant killed = Instant.now();
                victim.kill();
                Map<String, ClusterMember> moved = awaitMasters(ovs, bridges, survivors, twoMasters,
                        masters -> new HashSet<>(masters.values()).size() == 2);
                Duration toMoved = Duration.between(killed, Instant.now());
                for (Map.Entry<String, ClusterMember> e : moved.entrySet()) {
                    assertThat(OvsMasters.roles(ovs, e.getKey())).as("OVS's connected controllers of %s", e.getKey())
                            .doesNotContainKey(ovs.controllerTarget(victim.openflowPort()));
                    if (!e.getKey().equals(hostsBridge)) {
                        assertThat(e.getValue()).as("%s keeps its master", e.getKey()).isEqualTo(first.get(e.getKey()));
                    }
                }
                // printed, not asserted: the dead member's ephemeral nodes vanish one cache event at a time
                Map<String, Integer> givenUpInTakeover = difference(givenUp(all, bridges), givenUpBefore);
                assertFlowsStay(ovs, staticFlows, hostsBridge, learnt, "after the takeover");
                for (ClusterMember member : survivors) {
                    await().atMost(PATIENCE).untilAsserted(() -> assertThat(member.members()).containsExactlyElementsOf(
                            survivors.stream().map(ClusterMember::id).toList()));
                }
                PingMonitor.Outage duringTakeover = ping.outageSince(killed);

                // restarted with the same node id and ports: it rejoins and takes its bridge back
                Map<String, Integer> givenUpBeforeRestart = givenUp(all, bridges);
                Instant restarted = Instant.now();
                ClusterMember back = victim.restart();
                members.add(back);
                List<ClusterMember> again = new ArrayList<>(survivors);
                again.add(back);
                for (ClusterMember member : again) {
                    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() ->
                            assertThat(member.members()).as("%s's members", member.id()).containsExactly("n1", "n2", "n3"));
                }
                Duration toRejoined = Duration.between(restarted, Instant.now());
                Map<String, ClusterMember> handedBack = awaitMasters(ovs, bridges, again, twoMasters,
                        oneEach(again).and(masters -> back.equals(masters.get(hostsBridge))));
                Duration toShareBack = Duration.between(restarted, Instant.now());
                Map<String, Integer> givenUpInHandBack = difference(givenUp(all, bridges), givenUpBeforeRestart);
                assertThat(ids(handedBack)).as("the same spread as before the kill").isEqualTo(ids(first));
                assertThat(handedBack.get(hostsBridge)).isEqualTo(back);
                for (ClusterMember member : again) {
                    await().atMost(PATIENCE).untilAsserted(() -> assertThat(mastersByRest(member, bridges))
                            .as("%s's /api/v1/cluster", member.id()).isEqualTo(ids(handedBack)));
                }
                assertFlowsStay(ovs, staticFlows, hostsBridge, learnt, "after the hand-back");
                assertThat(Files.readString(back.log())).contains("this instance masters it now; reconciling its flows");

                // the returned master answers packet-ins: a broadcast ARP reaches the other host only through it
                TestSetup.ip("-n", namespaces.get(0), "neigh", "flush", "all");
                Instant flushed = Instant.now();
                await().atMost(PATIENCE).until(() -> ping.answeredAfter(flushed.plusSeconds(1)));
                PingMonitor.Outage sinceKill = ping.outageSince(killed);
                assertThat(twoMasters).as("times OVS showed two masters of one bridge").isEmpty();
                System.out.printf("cluster rejoin: %s killed (SIGKILL, session timeout %d ms): its bridge had another master"
                                + " by OVS after %d ms (pings every 100 ms on it: %s; masterships given up meanwhile, by bridge: %s);"
                                + " restarted: listed by every member after %d ms,"
                                + " its bridge back by OVS after %d ms (masterships given up meanwhile, by bridge: %s);"
                                + " pings from the kill until after the hand-back: %s%n",
                        victim.id(), SESSION.toMillis(), toMoved.toMillis(), duringTakeover, givenUpInTakeover, toRejoined.toMillis(),
                        toShareBack.toMillis(), givenUpInHandBack, sinceKill);
            }
        } finally {
            ClusterMember.stopAll(members);
            namespaces.forEach(ns -> Commands.run(Duration.ofSeconds(10), "ip", "netns", "del", ns));
            veths.forEach(veth -> Commands.run(Duration.ofSeconds(10), "ip", "link", "del", veth));
        }
    }

    /** Each of {@code members} masters exactly one bridge. */
    private static Predicate<Map<String, ClusterMember>> oneEach(List<ClusterMember> members) {
        return masters -> new HashSet<>(masters.values()).size() == members.size() && masters.size() == members.size();
    }

    /**
     * Polls OVS every 100 ms until every bridge has one master among {@code candidates} (every other one slave)
     * and the masters satisfy {@code spread}; notes in {@code twoMasters} any bridge seen with two masters.
     */
    private static Map<String, ClusterMember> awaitMasters(PrivateOvs ovs, Map<String, DatapathId> bridges,
            List<ClusterMember> candidates, List<String> twoMasters, Predicate<Map<String, ClusterMember>> spread)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Map<String, ClusterMember> masters = Map.of();
        while (System.nanoTime() < deadline) {
            masters = new LinkedHashMap<>();
            for (String bridge : bridges.keySet()) {
                Map<String, String> roles = OvsMasters.roles(ovs, bridge);
                if (roles.values().stream().filter("master"::equals).count() > 1) {
                    twoMasters.add(bridge + ": " + roles);
                }
                ClusterMember master = OvsMasters.soleMaster(ovs, roles, candidates, ClusterMember::openflowPort);
                if (master != null) {
                    masters.put(bridge, master);
                }
            }
            if (masters.size() == bridges.size() && spread.test(masters)) {
                return masters;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("masters by OVS within " + PATIENCE + ": " + ids(masters) + " among "
                + candidates.stream().map(m -> m.id() + " on " + m.openflowPort()).toList() + ":\n"
                + ovs.vsctl("--columns=target,role,is_connected,status", "list", "controller"));
    }

    /** How many times, by the members' logs (every run of each), each bridge's datapath was given up by its master. */
    private static Map<String, Integer> givenUp(List<ClusterMember> members, Map<String, DatapathId> bridges) throws IOException {
        StringBuilder logs = new StringBuilder();
        for (ClusterMember member : members) {
            logs.append(Files.readString(member.log()));
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        bridges.forEach((bridge, dpid) -> out.put(bridge, logs.toString().split(
                Pattern.quote("gave up mastership of " + dpid), -1).length - 1));
        return out;
    }

    private static Map<String, Integer> difference(Map<String, Integer> now, Map<String, Integer> before) {
        Map<String, Integer> out = new LinkedHashMap<>();
        now.forEach((bridge, count) -> out.put(bridge, count - before.getOrDefault(bridge, 0)));
        return out;
    }

    private static Map<String, String> ids(Map<String, ClusterMember> masters) {
        Map<String, String> out = new LinkedHashMap<>();
        masters.forEach((bridge, member) -> out.put(bridge, member.id()));
        return out;
    }

    /** bridge -> master's node id, as {@code member}'s {@code GET /api/v1/cluster} says. */
    private static Map<String, String> mastersByRest(ClusterMember member, Map<String, DatapathId> bridges) throws Exception {
        Map<String, String> byDpid = new HashMap<>();
        for (JsonNode mastership : member.get("/cluster").get("masters")) {
            byDpid.put(mastership.get("dpid").asText(), mastership.get("master").asText());
        }
        Map<String, String> out = new LinkedHashMap<>();
        bridges.forEach((bridge, dpid) -> {
            if (byDpid.containsKey(dpid.toString())) {
                out.put(bridge, byDpid.get(dpid.toString()));
            }
        });
        return out;
    }

    private static void assertFlowsStay(PrivateOvs ovs, Map<String, List<String>> staticFlows, String hostsBridge,
            List<String> learnt, String when) {
        staticFlows.forEach((bridge, flows) -> assertThat(flows(ovs, bridge, l -> l.contains("cookie=0x1f0001")))
                .as("the static flow on %s %s", bridge, when).isEqualTo(flows));
        assertThat(flows(ovs, hostsBridge, l -> l.contains(L2_COOKIE))).as("l2-learning's flows on %s %s", hostsBridge, when)
                .containsAll(learnt);
    }

    /** {@code bridge}'s flows without their counters, sorted, those {@code which} selects. */
    private static List<String> flows(PrivateOvs ovs, String bridge, Predicate<String> which) {
        return ovs.ofctl("-O", "OpenFlow13", "--no-stats", "dump-flows", bridge).lines().map(String::strip).filter(which)
                .sorted().toList();
    }
}
