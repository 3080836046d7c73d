package dev.switchboard.it;

import static dev.switchboard.it.TestSetup.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The server configured with OVSDB endpoints makes sure the declared bridges exist, pointed
 * at it, on the first connection and again after every reconnection, actively and passively.
 */
class ManagedBridgesIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static PrivateOvs ovs;

    @BeforeAll
    static void start() {
        ovs = PrivateOvs.start();
    }

    @AfterAll
    static void stop() {
        if (ovs != null) {
            ovs.close();
        }
    }

    /** The bridge's datapath id, once ovs-vswitchd created the bridge and wrote it. */
    private static DatapathId datapathOf(String bridge) {
        String id = await().atMost(PATIENCE).until(() -> ovs.vsctl("get", "bridge", bridge, "datapath_id"),
                text -> text.startsWith("\""));
        return DatapathId.of(Long.parseUnsignedLong(id.replace("\"", ""), 16));
    }

    @Test
    void activeServerGetsTheDeclaredBridgeAgainAfterARestart() throws Exception {
        String bridge = RunNames.name("mgd");
        SwitchboardConfig config = config("""
                openflow:
                  listen: ["%s:0"]
                ovsdb:
                  connect: ["%s"]
                  bridges:
                    - name: %s
                      datapathType: netdev
                      failMode: secure
                      protocols: [OpenFlow13]
                """.formatted(ovs.controllerAddress().getHostAddress(), ovs.dbTarget(), bridge));
        try (Switchboard switchboard = Switchboard.start(config.controllerConfig().build(), config.ovsdb())) {
            String target = ovs.controllerTarget(switchboard.openflowAddresses().get(0).getPort());

            await().atMost(PATIENCE).until(() -> ovs.vsctl("list-br").lines().anyMatch(bridge::equals));
            assertThat(ovs.vsctl("get-controller", bridge)).isEqualTo(target);
            assertThat(ovs.vsctl("get", "bridge", bridge, "fail_mode")).isEqualTo("secure");
            assertThat(ovs.vsctl("get", "bridge", bridge, "protocols")).isEqualTo("[OpenFlow13]");
            DatapathId dpid = datapathOf(bridge);
            await().atMost(PATIENCE).until(() -> switchboard.controller().switches().getSwitch(dpid).isPresent());

            ovs.vsctl("del-controller", bridge, "--", "set", "bridge", bridge, "fail_mode=standalone");
            await().atMost(PATIENCE).until(() -> switchboard.controller().switches().getSwitch(dpid).isEmpty());
            ovs.restartOvsdbServer();

            await().atMost(PATIENCE).until(() -> ovs.vsctl("get-controller", bridge).equals(target));
            assertThat(ovs.vsctl("get", "bridge", bridge, "fail_mode")).isEqualTo("secure");
            await().atMost(PATIENCE).until(() -> switchboard.controller().switches().getSwitch(dpid).isPresent());
        } finally {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    @Test
    void passiveServerThatConnectsToUsGetsTheDeclaredBridge() throws Exception {
        String bridge = RunNames.name("psv");
        SwitchboardConfig config = config("""
                openflow:
                  listen: ["%s:0"]
                ovsdb:
                  listen: ["ptcp:0:127.0.0.1"]
                  bridges:
                    - name: %s
                      datapathType: netdev
                """.formatted(ovs.controllerAddress().getHostAddress(), bridge));
        try (Switchboard switchboard = Switchboard.start(config.controllerConfig().build(), config.ovsdb())) {
            int managerPort = switchboard.ovsdb().orElseThrow().listening().get(0).getPort();

            ovs.vsctl("set-manager", "tcp:127.0.0.1:" + managerPort);

            await().atMost(PATIENCE).until(() -> ovs.vsctl("list-br").lines().anyMatch(bridge::equals));
            DatapathId dpid = datapathOf(bridge);
            await().atMost(PATIENCE).until(() -> switchboard.controller().switches().getSwitch(dpid).isPresent());
            assertThat(switchboard.ovsdb().orElseThrow().clients()).hasSize(1);
            assertThat(ovs.vsctl("get", "bridge", bridge, "fail_mode")).as("the default fail mode").isEqualTo("secure");

            // a restarted server connects again: one client, the new one, and the bridge as declared again
            WeakReference<OvsdbClient> gone = restartAndAwaitTheNewClient(switchboard, bridge);
            await("the dead server's client collected").atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
                System.gc();
                return gone.get() == null;
            });
        } finally {
            ovs.vsctl("del-manager");
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    /** Restarts the passive server after spoiling its bridge; the client of the dead connection, weakly. */
    private static WeakReference<OvsdbClient> restartAndAwaitTheNewClient(Switchboard switchboard, String bridge) {
        OvsdbClient first = switchboard.ovsdb().orElseThrow().clients().get(0);
        ovs.vsctl("set", "bridge", bridge, "fail_mode=standalone");
        ovs.restartOvsdbServer();
        await().atMost(PATIENCE).until(() -> switchboard.ovsdb().orElseThrow().clients().stream()
                .anyMatch(client -> client != first && client.isConnected()));
        await().atMost(PATIENCE).until(() -> ovs.vsctl("get", "bridge", bridge, "fail_mode").equals("secure"));
        assertThat(switchboard.ovsdb().orElseThrow().clients()).hasSize(1).doesNotContain(first);
        assertThat(first.isConnected()).isFalse();
        return new WeakReference<>(first);
    }

    @Test
    void aDeclaredBridgeIsSecureUnlessItSaysStandalone() throws Exception {
        String secure = RunNames.name("fsc");
        String standalone = RunNames.name("fst");
        SwitchboardConfig config = config("""
                openflow:
                  listen: ["%s:0"]
                ovsdb:
                  connect: ["%s"]
                  bridges:
                    - {name: %s, datapathType: netdev}
                    - {name: %s, datapathType: netdev, failMode: standalone}
                """.formatted(ovs.controllerAddress().getHostAddress(), ovs.dbTarget(), secure, standalone));
        try (Switchboard switchboard = Switchboard.start(config.controllerConfig().build(), config.ovsdb())) {
            await().atMost(PATIENCE).until(() -> ovs.vsctl("list-br").lines().filter(b -> b.equals(secure)
                    || b.equals(standalone)).count() == 2);

            assertThat(ovs.vsctl("get", "bridge", secure, "fail_mode")).isEqualTo("secure");
            assertThat(ovs.vsctl("get", "bridge", standalone, "fail_mode")).isEqualTo("standalone");
            // secure: no flow but the controller's table-miss, never OVS's own NORMAL flow
            DatapathId dpid = datapathOf(secure);
            await().atMost(PATIENCE).until(() -> switchboard.controller().switches().getSwitch(dpid).isPresent());
            assertThat(ovs.ofctl("dump-flows", secure)).doesNotContain("actions=NORMAL");
        } finally {
            ovs.vsctl("--if-exists", "del-br", secure, "--", "--if-exists", "del-br", standalone);
        }
    }
}
