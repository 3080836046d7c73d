package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.topology.ClusterExchange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The members' shared parts in a real ZooKeeper server run in-process by curator-test. */
class ClusterSharedStateTest {
    private static final Duration SESSION = Duration.ofSeconds(3);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private ClusterNode member(String connectString, String id) {
        ClusterNode node = new ClusterNode(new ClusterConfig(connectString, id, SESSION, "/sb-shared"));
        toClose.add(node);
        node.start();
        return node;
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> asText(Map<String, byte[]> parts) {
        Map<String, String> out = new java.util.TreeMap<>();
        parts.forEach((member, bytes) -> out.put(member, new String(bytes, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void eachMemberHearsTheOthersPartsNotItsOwnAndAPartGoesWithItsMember() throws Exception {
        TestingServer server = new TestingServer(true);
        toClose.add(server);
        ClusterExchange a = member(server.getConnectString(), "a").sharedState();
        ClusterNode nodeB = member(server.getConnectString(), "b");
        ClusterExchange b = nodeB.sharedState();
        ClusterExchange c = member(server.getConnectString(), "c").sharedState();
        List<Map<String, String>> heardByA = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        a.watch("topology", parts -> {
            heardByA.add(asText(parts));
            threads.add(Thread.currentThread().getName());
        });

        b.publish("topology", text("b1"));
        c.publish("topology", text("c1"));
        a.publish("topology", text("a1"));
        await().atMost(PATIENCE).until(() -> !heardByA.isEmpty()
                && heardByA.get(heardByA.size() - 1).equals(Map.of("b", "b1", "c", "c1")));

        // a burst is coalesced: the last part is what the others get
        for (int i = 2; i <= 50; i++) {
            b.publish("topology", text("b" + i));
        }
        await().atMost(PATIENCE).until(() -> heardByA.get(heardByA.size() - 1).equals(Map.of("b", "b50", "c", "c1")));
        long versionsOfB = heardByA.stream().map(parts -> parts.get("b")).distinct().count();
        System.out.printf("50 parts published in a burst reached the others as %d versions%n", versionsOfB);
        assertThat(versionsOfB).isLessThan(50);

        // another kind is apart
        List<Map<String, String>> hostsHeardByC = new CopyOnWriteArrayList<>();
        c.watch("hosts", parts -> hostsHeardByC.add(asText(parts)));
        a.publish("hosts", text("ha"));
        await().atMost(PATIENCE).until(() -> !hostsHeardByC.isEmpty()
                && hostsHeardByC.get(hostsHeardByC.size() - 1).equals(Map.of("a", "ha")));

        // b leaves: its part goes with its session, and a hears so
        nodeB.close();
        await().atMost(PATIENCE).until(() -> heardByA.get(heardByA.size() - 1).equals(Map.of("c", "c1")));
        assertThat(threads).containsOnly("cluster-a-share");
    }

    @Test
    void aPartIsAnEphemeralNodeRewrittenAfterANewSessionAndTooLargeOnesAreRefused() throws Exception {
        TestingServer server = new TestingServer(true);
        toClose.add(server);
        ClusterNode a = member(server.getConnectString(), "a");
        a.sharedState().publish("hosts", text("h"));
        CuratorFramework reader = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        toClose.add(reader);
        reader.start();
        String path = "/sb-shared/shared/hosts/a";
        await().atMost(PATIENCE).until(() -> reader.checkExists().forPath(path) != null);
        Stat stat = reader.checkExists().forPath(path);
        assertThat(stat.getEphemeralOwner()).isNotZero();

        // the server restarts after the session expired: the part is written again in the new session
        server.stop();
        Thread.sleep(SESSION.toMillis() + 1000);
        server.restart();
        await().atMost(PATIENCE).until(() -> {
            Stat now = reader.checkExists().forPath(path);
            return now != null && now.getEphemeralOwner() != stat.getEphemeralOwner();
        });
        assertThat(reader.getData().forPath(path)).isEqualTo(text("h"));

        assertThatThrownBy(() -> a.sharedState().publish("hosts", new byte[ClusterExchange.MAX_PART_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyMemberReadsTheSameSecretMadeByTheFirst() throws Exception {
        TestingServer server = new TestingServer(true);
        toClose.add(server);
        byte[] first = member(server.getConnectString(), "a").sharedState().sharedSecret("probe-key");
        byte[] second = member(server.getConnectString(), "b").sharedState().sharedSecret("probe-key");
        assertThat(first).hasSize(32).isEqualTo(second);
    }
}
