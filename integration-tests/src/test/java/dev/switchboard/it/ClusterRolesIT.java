package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cluster.ClusterConfig;
import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.cluster.ClusterSwitchListener;
import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchErrorException;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFRoleRequestFailedCode;
import org.projectfloodlight.openflow.protocol.errormsg.OFRoleRequestFailedErrorMsg;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.U64;

/**
 * Three controller instances form a cluster on a real ZooKeeper server (curator-test) and one
 * real OVS bridge is connected to all three: OVS itself says one is master and two are slaves,
 * the master is the instance ZooKeeper elected, and when that instance goes another takes over
 * with a newer generation id, after which the old term's MASTER request is refused as stale.
 */
class ClusterRolesIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private record Instance(Controller controller, ClusterNode node, int port) implements AutoCloseable {
        @Override
        public void close() {
            node.close(); // leaves the cluster first: no master without a member
            controller.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"OpenFlow13, ca", "OpenFlow10, cb"})
    void oneMasterTwoSlavesAndATakeoverWithANewerGeneration(String protocols, String run) throws Exception {
        String bridge = RunNames.name(run);
        DatapathId dpid = DatapathId.of(0x5c00 + run.charAt(1));
        List<Instance> instances = new ArrayList<>();
        try (TestingServer zk = new TestingServer(); PrivateOvs ovs = PrivateOvs.start()) {
            for (String id : List.of("m1", "m2", "m3")) {
                Controller controller = new Controller(ControllerConfig.builder()
                        .listen(new InetSocketAddress(ovs.controllerAddress(), 0)).build());
                ClusterNode node = new ClusterNode(new ClusterConfig(zk.getConnectString(), id, Duration.ofSeconds(3), "/" + bridge));
                controller.useMastership(node);
                controller.switches().addSwitchListener(new ClusterSwitchListener(node));
                node.start();
                instances.add(new Instance(controller, node, controller.start().get(0).getPort()));
            }
            List<String> targets = instances.stream().map(i -> ovs.controllerTarget(i.port())).toList();
            List<String> vsctl = new ArrayList<>(List.of("add-br", bridge, "--", "set", "bridge", bridge,
                    "datapath_type=netdev", "protocols=" + protocols, "fail_mode=secure",
                    "other-config:datapath-id=" + dpid.toString().replace(":", ""), "--", "set-controller", bridge));
            vsctl.addAll(targets);
            ovs.vsctl(vsctl.toArray(String[]::new));

            Instance master = await().atMost(PATIENCE).until(() -> masterByOvs(ovs, bridge, instances), m -> m != null);
            assertThat(master.node().current().masters(dpid)).as("OVS's master is ZooKeeper's").isTrue();
            long firstTerm = master.node().current().generation(dpid).orElseThrow();
            for (Instance other : instances) {
                if (other != master) {
                    assertThat(other.node().current().masters(dpid)).isFalse();
                }
            }

            master.close();
            instances.remove(master);

            Instance next = await().atMost(PATIENCE).until(() -> masterByOvs(ovs, bridge, instances), m -> m != null);
            long secondTerm = next.node().current().generation(dpid).orElseThrow();
            assertThat(secondTerm).as("a new term has a newer generation id").isGreaterThan(firstTerm);

            if (protocols.equals("OpenFlow13")) {
                // the old term, asked again (as a master that missed its demotion would): OVS refuses it
                Instance slave = instances.stream().filter(i -> i != next).findFirst().orElseThrow();
                OFSwitch sw = slave.controller().switches().getSwitch(dpid).orElseThrow();
                ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> sw.request(sw.factory().buildRoleRequest().setRole(OFControllerRole.ROLE_MASTER)
                                .setGenerationId(U64.of(firstTerm)).build()).get(20, TimeUnit.SECONDS));
                assertThat(refused.getCause()).isInstanceOf(SwitchErrorException.class);
                assertThat(((SwitchErrorException) refused.getCause()).error().message())
                        .isInstanceOfSatisfying(OFRoleRequestFailedErrorMsg.class,
                                e -> assertThat(e.getCode()).isEqualTo(OFRoleRequestFailedCode.STALE));
                assertThat(OvsMasters.roles(ovs, bridge).get(ovs.controllerTarget(next.port()))).as("the new master stays").isEqualTo("master");
            }
        } finally {
            instances.forEach(Instance::close);
        }
    }

    /** The one instance OVS shows as master of {@code bridge} while every other one is slave, else null. */
    private static Instance masterByOvs(PrivateOvs ovs, String bridge, List<Instance> instances) {
        return OvsMasters.soleMaster(ovs, bridge, instances, Instance::port);
    }
}
