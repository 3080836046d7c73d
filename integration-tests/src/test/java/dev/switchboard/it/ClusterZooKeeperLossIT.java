package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.cluster.ClusterConfig;
import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.cluster.ClusterSwitchListener;
import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.ControllerRole;
import dev.switchboard.controller.NotMasterException;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.LoggerFactory;

/**
 * Two controller instances on a real three-server ZooKeeper ensemble (curator-test's
 * TestingCluster) and two real OVS bridges connected to both. Losing any one ZooKeeper server
 * (each in turn, so every instance loses the server it talks to) changes nothing: same masters,
 * same roles in OVS, no role change, the masters still write. Losing the quorum demotes every
 * master (no instance writes; OVS keeps the installed flows; an ERROR says so), and two
 * namespace hosts behind the first bridge go on pinging each other throughout over flows its
 * master installed before (no timeouts): the switch forwards without a controller. With the
 * quorum back, each bridge has exactly one master again, the one ZooKeeper elected.
 */
class ClusterZooKeeperLossIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration SESSION = Duration.ofSeconds(8); // a 2 s grace: well above the ~1 s a client takes to find another server

    private record Instance(Controller controller, ClusterNode node, int port, List<String> roleChanges)
            implements AutoCloseable {
        @Override
        public void close() {
            node.close();
            controller.close();
        }

        OFSwitch sw(DatapathId dpid) {
            return controller.switches().getSwitch(dpid).orElseThrow();
        }
    }

    @Test
    void oneServerLostChangesNothingQuorumLostDemotesEveryMasterAndInstalledFlowsServe() throws Exception {
        String run = "zl";
        Map<String, DatapathId> bridges = new java.util.LinkedHashMap<>();
        bridges.put(RunNames.name(run + "1"), DatapathId.of(0x2c01));
        bridges.put(RunNames.name(run + "2"), DatapathId.of(0x2c02));
        List<String> namespaces = List.of(RunNames.name(run + "a"), RunNames.name(run + "b"));
        List<String> veths = List.of(RunNames.name(run + "va"), RunNames.name(run + "vb"));
        List<Instance> instances = new ArrayList<>();
        List<PingMonitor> pings = new ArrayList<>();
        ListAppender<ILoggingEvent> clusterLog = new ListAppender<>();
        Logger nodeLogger = (Logger) LoggerFactory.getLogger(ClusterNode.class);
        clusterLog.start();
        nodeLogger.addAppender(clusterLog);
        TestingCluster zk = new TestingCluster(3);
        try (PrivateOvs ovs = PrivateOvs.start()) {
            zk.start();
            for (String id : List.of("z1", "z2")) {
                Controller controller = new Controller(ControllerConfig.builder()
                        .listen(new InetSocketAddress(ovs.controllerAddress(), 0)).build());
                ClusterNode node = new ClusterNode(new ClusterConfig(zk.getConnectString(), id, SESSION, "/" + RunNames.name(run)));
                controller.useMastership(node);
                controller.switches().addSwitchListener(new ClusterSwitchListener(node));
                List<String> roleChanges = new CopyOnWriteArrayList<>();
                controller.switches().addSwitchListener(new SwitchListener() {
                    @Override
                    public void switchRoleChanged(OFSwitch sw, ControllerRole role) {
                        roleChanges.add(sw.id() + " -> " + role);
                    }
                });
                node.start();
                instances.add(new Instance(controller, node, controller.start().get(0).getPort(), roleChanges));
            }
            List<String> targets = instances.stream().map(i -> ovs.controllerTarget(i.port())).toList();
            for (Map.Entry<String, DatapathId> b : bridges.entrySet()) {
                List<String> vsctl = new ArrayList<>(List.of("add-br", b.getKey(), "--", "set", "bridge", b.getKey(),
                        "datapath_type=netdev", "protocols=OpenFlow13", "fail_mode=secure",
                        "other-config:datapath-id=" + b.getValue().toString().replace(":", ""), "--", "set-controller", b.getKey()));
                vsctl.addAll(targets);
                ovs.vsctl(vsctl.toArray(String[]::new));
            }
            String hostsBridge = bridges.keySet().iterator().next();
            for (int i = 0; i < 2; i++) {
                TestSetup.hostBehind(namespaces.get(i), veths.get(i), "10.221.0." + (i + 1) + "/24");
                ovs.moveIntoNamespace(veths.get(i));
                ovs.vsctl("add-port", hostsBridge, veths.get(i), "--", "set", "interface", veths.get(i), "ofport_request=" + (i + 1));
            }

            // every bridge has one master, by OVS's word and by ZooKeeper's
            Map<String, Instance> masters = new HashMap<>();
            for (Map.Entry<String, DatapathId> b : bridges.entrySet()) {
                Instance master = await().atMost(PATIENCE).until(() -> masterByOvs(ovs, b.getKey(), instances), m -> m != null);
                await().atMost(PATIENCE).until(() -> master.node().current().masters(b.getValue()));
                masters.put(b.getKey(), master);
            }
            Map<String, Map<String, String>> rolesBefore = new HashMap<>();
            for (String bridge : bridges.keySet()) {
                rolesBefore.put(bridge, OvsMasters.roles(ovs, bridge));
            }
            instances.forEach(i -> i.roleChanges().clear());
            int priority = 100;
            for (Map.Entry<String, DatapathId> b : bridges.entrySet()) {
                writeFlow(masters.get(b.getKey()).sw(b.getValue()), ++priority);
            }
            // the hosts' traffic, on flows without timeouts its master installed: ports 1 and 2 patched together
            OFSwitch hostsSwitch = masters.get(hostsBridge).sw(bridges.get(hostsBridge));
            hostsSwitch.writeAll(List.of(patch(hostsSwitch.factory(), 1, 2), patch(hostsSwitch.factory(), 2, 1)));
            hostsSwitch.barrier().get(10, TimeUnit.SECONDS);
            PingMonitor ping = PingMonitor.start(namespaces.get(0), "10.221.0.2", Duration.ofMillis(100));
            pings.add(ping);
            Instant pinging = Instant.now();
            await().atMost(PATIENCE).until(() -> ping.answeredAfter(pinging));

            // 1. one server of three at a time: each in turn, so every instance loses the one it talks to
            for (InstanceSpec server : zk.getInstances()) {
                assertThat(zk.killServer(server)).isTrue();
                Thread.sleep(2_500); // the clients of the stopped server notice it at once and move to another
                for (Instance instance : instances) {
                    await().atMost(PATIENCE).until(() -> instance.node().isConnected());
                }
                for (Map.Entry<String, DatapathId> b : bridges.entrySet()) {
                    Instance master = masters.get(b.getKey());
                    assertThat(master.node().current().masters(b.getValue()))
                            .as("%s still masters %s with server %s down", master.node().nodeId(), b.getKey(), server.getServerId())
                            .isTrue();
                    assertThat(OvsMasters.roles(ovs, b.getKey())).as("OVS's roles of %s", b.getKey()).isEqualTo(rolesBefore.get(b.getKey()));
                    writeFlow(master.sw(b.getValue()), ++priority);
                }
                for (Instance instance : instances) {
                    assertThat(instance.roleChanges()).as("role changes at %s", instance.node().nodeId()).isEmpty();
                }
                assertThat(zk.restartServer(server)).isTrue();
                awaitServing(server);
            }
            assertThat(errors(clusterLog)).as("no loss of touch with ZooKeeper logged while a quorum stood").isEmpty();
            String[] flowsBefore = new String[bridges.size()];
            int n = 0;
            for (String bridge : bridges.keySet()) {
                flowsBefore[n++] = flows(ovs, bridge);
                assertThat(flows(ovs, bridge)).contains("priority=10"); // the ones written above
            }

            // 2. the quorum lost: every master demotes itself, no instance writes, OVS keeps the flows
            List<InstanceSpec> servers = new ArrayList<>(zk.getInstances());
            Instant quorumLost = Instant.now();
            long lost = System.nanoTime();
            zk.killServer(servers.get(0));
            zk.killServer(servers.get(1));
            for (Instance instance : instances) {
                for (DatapathId dpid : bridges.values()) {
                    await().atMost(PATIENCE).until(() -> !instance.node().current().masters(dpid));
                }
            }
            long demoted = System.nanoTime();
            for (Map.Entry<String, DatapathId> b : bridges.entrySet()) {
                for (Instance instance : instances) {
                    OFSwitch sw = instance.sw(b.getValue());
                    assertThat(sw.controllerRole()).as("%s's role at %s", b.getKey(), instance.node().nodeId())
                            .isNotEqualTo(ControllerRole.MASTER);
                    org.junit.jupiter.api.Assertions.assertThrows(NotMasterException.class,
                            () -> sw.write(flow(sw.factory(), 999)), "a write with no quorum");
                }
                await().atMost(PATIENCE).until(() -> !OvsMasters.roles(ovs, b.getKey()).containsValue("master"));
            }
            n = 0;
            for (String bridge : bridges.keySet()) {
                assertThat(flows(ovs, bridge)).as("installed flows stay in OVS").isEqualTo(flowsBefore[n++]);
            }
            assertThat(errors(clusterLog)).as("the loss is logged loudly").isNotEmpty()
                    .allSatisfy(m -> assertThat(m).contains("lost touch with ZooKeeper"));
            Instant noMaster = Instant.now();
            await().atMost(PATIENCE).until(() -> ping.answeredAfter(noMaster.plusSeconds(3)));
            assertThat(OvsMasters.roles(ovs, hostsBridge)).as("still no master while the pings pass").doesNotContainValue("master");
            PingMonitor.Outage duringLoss = ping.outageSince(quorumLost);

            // 3. the quorum back: each bridge has one master again, the one ZooKeeper elected
            long restored = System.nanoTime();
            zk.restartServer(servers.get(0));
            zk.restartServer(servers.get(1));
            for (Map.Entry<String, DatapathId> b : bridges.entrySet()) {
                Instance master = await().atMost(PATIENCE).until(() -> masterByOvs(ovs, b.getKey(), instances), m -> m != null);
                await().atMost(PATIENCE).until(() -> master.node().current().masters(b.getValue()));
                for (Instance other : instances) {
                    if (other != master) {
                        assertThat(other.node().current().masters(b.getValue())).isFalse();
                    }
                }
                writeFlow(master.sw(b.getValue()), 900);
            }
            long reelected = System.nanoTime();
            System.out.printf("ZooKeeper loss figures: demoted %d ms after the quorum was lost; masters again %d ms after it was back;"
                    + " pings every 100 ms over installed flows from the loss until 3 s after the last demotion: %s%n",
                    TimeUnit.NANOSECONDS.toMillis(demoted - lost), TimeUnit.NANOSECONDS.toMillis(reelected - restored), duringLoss);
        } finally {
            pings.forEach(PingMonitor::close);
            instances.forEach(Instance::close);
            namespaces.forEach(ns -> Commands.run(Duration.ofSeconds(10), "ip", "netns", "del", ns));
            veths.forEach(veth -> Commands.run(Duration.ofSeconds(10), "ip", "link", "del", veth));
            zk.close();
            nodeLogger.detachAppender(clusterLog);
        }
    }

    /** Waits until {@code server} answers clients again, that is, it is back in the quorum. */
    private static void awaitServing(InstanceSpec server) {
        await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            try (CuratorFramework probe = CuratorFrameworkFactory.newClient(server.getConnectString(), 5_000, 2_000, new RetryOneTime(200))) {
                probe.start();
                return probe.blockUntilConnected(3, TimeUnit.SECONDS) && probe.checkExists().forPath("/") != null;
            }
        });
    }

    private static List<String> errors(ListAppender<ILoggingEvent> log) {
        return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Writes a flow as master and waits until OVS shows it. */
    private static void writeFlow(OFSwitch sw, int priority) throws Exception {
        sw.write(flow(sw.factory(), priority));
        sw.barrier().get(10, TimeUnit.SECONDS);
    }

    private static OFFlowAdd flow(OFFactory f, int priority) {
        return f.buildFlowAdd().setCookie(U64.of(0x2c00 + priority)).setPriority(priority).setMatch(f.buildMatch().build()).build();
    }

    /** Everything that comes in on port {@code from} goes out of port {@code to}; no timeouts, above the test's drop flows. */
    private static OFFlowAdd patch(OFFactory f, int from, int to) {
        return f.buildFlowAdd().setCookie(U64.of(0x2cff00L + from)).setPriority(1000)
                .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(from)).build())
                .setInstructions(List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(to), 0xffff)))))
                .build();
    }

    private static String flows(PrivateOvs ovs, String bridge) {
        return String.join("\n", ovs.ofctl("-O", "OpenFlow13", "--no-stats", "dump-flows", bridge).lines().sorted().toList());
    }

    /** The one instance OVS shows as master of {@code bridge} while every other one is slave, else null. */
    private static Instance masterByOvs(PrivateOvs ovs, String bridge, List<Instance> instances) {
        return OvsMasters.soleMaster(ovs, bridge, instances, Instance::port);
    }
}
