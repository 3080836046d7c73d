package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.MasteredDatapaths;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;

/** Membership and mastership against real ZooKeeper servers run in-process by curator-test. */
class ClusterNodeTest {
    private static final Duration SESSION = Duration.ofSeconds(3);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final List<DatapathId> DATAPATHS = IntStream.rangeClosed(1, 30).mapToObj(DatapathId::of).toList();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private ClusterNode member(String connectString, String id) {
        ClusterNode node = new ClusterNode(new ClusterConfig(connectString, id, SESSION, "/sb-test"));
        toClose.add(node);
        node.start();
        DATAPATHS.forEach(node::datapathConnected);
        return node;
    }

    /** Every datapath mastered by exactly one of {@code nodes}, and {@code expected} of them each. */
    private static void assertSpread(List<ClusterNode> nodes, int... expected) {
        Set<DatapathId> union = new HashSet<>();
        int total = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Set<DatapathId> mine = nodes.get(i).current().generations().keySet();
            assertThat(mine).as(nodes.get(i).nodeId()).hasSize(expected[i]);
            union.addAll(mine);
            total += mine.size();
        }
        assertThat(union).containsExactlyInAnyOrderElementsOf(DATAPATHS);
        assertThat(total).as("no datapath has two masters").isEqualTo(DATAPATHS.size());
    }

    private static Map<DatapathId, Long> generations(List<ClusterNode> nodes) {
        Map<DatapathId, Long> out = new HashMap<>();
        nodes.forEach(n -> out.putAll(n.current().generations()));
        return out;
    }

    @Test
    void threeMembersSpreadTheDatapathsEvenlyWithGenerationsFromZooKeeper() throws Exception {
        TestingServer zk = new TestingServer();
        toClose.add(zk);
        List<ClusterNode> nodes = List.of(member(zk.getConnectString(), "a"), member(zk.getConnectString(), "b"),
                member(zk.getConnectString(), "c"));

        await().atMost(PATIENCE).untilAsserted(() -> assertSpread(nodes, 10, 10, 10));

        try (CuratorFramework reader = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            reader.start();
            for (ClusterNode node : nodes) {
                for (Map.Entry<DatapathId, Long> e : node.current().generations().entrySet()) {
                    Stat stat = new Stat();
                    byte[] holder = reader.getData().storingStatIn(stat).forPath("/sb-test/masters/" + ZnodeNames.of(e.getKey()));
                    assertThat(new String(holder)).isEqualTo(node.nodeId());
                    assertThat(e.getValue()).as("generation is the master node's czxid").isEqualTo(stat.getCzxid());
                }
            }
        }
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(nodes.get(0).view().members()).containsExactly("a", "b", "c");
            assertThat(nodes.get(0).view().masters()).hasSize(30);
        });
    }

    @Test
    void aMemberThatLeavesIsTakenOverAndTakesItsShareBackWhenItRejoins() throws Exception {
        TestingServer zk = new TestingServer();
        toClose.add(zk);
        ClusterNode a = member(zk.getConnectString(), "a");
        ClusterNode b = member(zk.getConnectString(), "b");
        ClusterNode c = member(zk.getConnectString(), "c");
        await().atMost(PATIENCE).untilAsserted(() -> assertSpread(List.of(a, b, c), 10, 10, 10));
        Map<DatapathId, Long> before = generations(List.of(a, b, c));
        Set<DatapathId> ofC = Set.copyOf(c.current().generations().keySet());

        c.close();

        assertThat(c.current().generations()).isEmpty();
        await().atMost(PATIENCE).untilAsserted(() -> assertSpread(List.of(a, b), 15, 15));
        Map<DatapathId, Long> after = generations(List.of(a, b));
        for (DatapathId dpid : ofC) {
            assertThat(after.get(dpid)).as("a new term of %s has a higher generation", dpid).isGreaterThan(before.get(dpid));
        }

        ClusterNode back = member(zk.getConnectString(), "c");
        await().atMost(PATIENCE).untilAsserted(() -> assertSpread(List.of(a, b, back), 10, 10, 10));
    }

    /**
     * Killed and restarted within its session timeout, an instance finds its master node of the
     * old session still there, with its own node id in it: that term is not its own (it holds no
     * claim on it), so it knows it as the current term (its SLAVE requests carry it, rather than a
     * generation the switch refuses as stale), and once the old session ends it takes the datapath
     * back in a newer term.
     */
    @Test
    void aMemberRestartedBeforeItsOldSessionExpiredTakesItsDatapathBackInANewerTerm() throws Exception {
        TestingServer zk = new TestingServer();
        toClose.add(zk);
        DatapathId dpid = DATAPATHS.get(0);
        CuratorFramework killed = CuratorFrameworkFactory.newClient(zk.getConnectString(), 30_000, 5_000, new RetryOneTime(100));
        toClose.add(killed);
        killed.start();
        String masterNode = "/sb-test/masters/" + ZnodeNames.of(dpid);
        killed.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(masterNode, "a".getBytes(StandardCharsets.UTF_8));
        Stat oldTerm = killed.checkExists().forPath(masterNode);

        ClusterNode restarted = member(zk.getConnectString(), "a");

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(restarted.current().generations()).hasSize(DATAPATHS.size() - 1).doesNotContainKey(dpid);
            assertThat(restarted.current().currentTerm(dpid)).as("the old session's term").hasValue(oldTerm.getCzxid());
        });

        killed.close(); // the old session ends, as it would by expiring

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(restarted.current().generation(dpid)).isPresent());
        assertThat(restarted.current().generation(dpid).getAsLong()).isGreaterThan(oldTerm.getCzxid());
    }

    @Test
    void aMemberCutOffFromZooKeeperDemotesItselfIsReplacedAndRejoins() throws Exception {
        TestingCluster ensemble = new TestingCluster(3);
        toClose.add(ensemble);
        ensemble.start();
        InstanceSpec third = ensemble.getInstances().stream().max((x, y) -> Integer.compare(x.getPort(), y.getPort())).orElseThrow();
        ClusterNode a = member(ensemble.getConnectString(), "a");
        ClusterNode b = member(ensemble.getConnectString(), "b");
        ClusterNode c = member(third.getConnectString(), "c"); // reaches the ensemble through one server only
        List<MasteredDatapaths> seenByC = new CopyOnWriteArrayList<>();
        c.addListener(seenByC::add);
        await().atMost(PATIENCE).untilAsserted(() -> assertSpread(List.of(a, b, c), 10, 10, 10));

        seenByC.clear();
        ensemble.killServer(third);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(c.current().generations()).isEmpty());
        // its session expires on the two servers left, which still have a quorum: a and b take over
        await().atMost(PATIENCE).untilAsserted(() -> assertSpread(List.of(a, b), 15, 15));
        assertThat(c.current().generations()).as("no master without a session").isEmpty();
        assertThat(seenByC).as("c only ever demoted while cut off").allSatisfy(m -> assertThat(m.generations()).isEmpty());

        ensemble.restartServer(third);

        await().atMost(PATIENCE).untilAsserted(() -> assertSpread(List.of(a, b, c), 10, 10, 10));
    }
    @Test
    void aMasterKeepsItsSwitchesThroughAShortSuspensionAndDemotesItselfAfterTheGrace() throws Exception {
        TestingServer zk = new TestingServer();
        toClose.add(zk);
        ClusterNode a = new ClusterNode(new ClusterConfig(zk.getConnectString(), "a", Duration.ofSeconds(8), "/sb-test"));
        toClose.add(a);
        a.start();
        DATAPATHS.forEach(a::datapathConnected);
        await().atMost(PATIENCE).untilAsserted(() -> assertSpread(List.of(a), 30));
        List<MasteredDatapaths> seen = new CopyOnWriteArrayList<>();
        a.addListener(seen::add);

        zk.restart(); // the connection drops and comes back, in the same session, well within the 2 s grace
        Thread.sleep(500);
        await().atMost(PATIENCE).until(a::isConnected);
        Thread.sleep(2_500); // past the grace: a demotion would have happened by now
        assertThat(seen).as("no demotion for a connection that came back within the grace").isEmpty();
        assertSpread(List.of(a), 30);

        zk.stop(); // gone for longer than the grace: a master without a session demotes itself
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(a.current().generations()).isEmpty());
        assertThat(seen).isNotEmpty().last().satisfies(m -> assertThat(m.generations()).isEmpty());
    }

    @Test
    void theGraceIsAQuarterOfTheShorterSessionTimeout() {
        assertThat(ClusterNode.suspensionGrace(6_000, Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(1_500));
        assertThat(ClusterNode.suspensionGrace(20_000, Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(2_500));
        assertThat(ClusterNode.suspensionGrace(0, Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(2_500));
    }
}
