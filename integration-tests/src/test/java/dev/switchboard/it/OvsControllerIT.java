package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/** A real private OVS (userspace datapath) connects to the controller and is programmed by it. */
class OvsControllerIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static PrivateOvs ovs;
    private static Controller controller;
    private static InetSocketAddress address;
    private static final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        ovs = PrivateOvs.start();
        controller = new Controller(ControllerConfig.builder()
                .listen(new InetSocketAddress(ovs.controllerAddress(), 0)).build());
        address = controller.start().get(0);
        controller.switches().addSwitchListener(new SwitchListener() {
            @Override
            public void switchAdded(OFSwitch sw) {
                events.add("added " + sw.id());
            }

            @Override
            public void switchRemoved(OFSwitch sw) {
                events.add("removed " + sw.id());
            }

            @Override
            public void portAdded(OFSwitch sw, OFPortDesc port) {
                events.add("port added " + sw.id() + " " + port.getName());
            }
        });
    }

    @AfterAll
    static void stop() {
        if (ovs != null) {
            ovs.close();
        }
        if (controller != null) {
            controller.close();
        }
    }

    // OF_11 is left out: OVS connects at 1.1 since its HELLO body is ignored, but openflowj's
    // 1.1 match does not set IN_PORT, so the flow this test writes is not the one OVS shows.
    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_12", "OF_13", "OF_14", "OF_15"})
    void ovsConnectsAndIsProgrammed(OFVersion version) {
        String ovsVersion = "OpenFlow1" + (version.getWireVersion() - 1);
        String bridge = RunNames.name("of" + (version.getWireVersion() + 9));
        DatapathId dpid = DatapathId.of(0x5b00 + version.getWireVersion());
        try {
            ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev",
                    "protocols=" + ovsVersion, "fail_mode=secure",
                    "other-config:datapath-id=" + dpid.toString().replace(":", ""),
                    "--", "add-port", bridge, bridge + "a", "--", "set", "interface", bridge + "a", "type=internal",
                    "--", "add-port", bridge, bridge + "b", "--", "set", "interface", bridge + "b", "type=internal",
                    "--", "set-controller", bridge, ovs.controllerTarget(address.getPort()),
                    "--", "set", "controller", bridge, "max_backoff=1000");

            OFSwitch sw = await().atMost(PATIENCE).until(() -> controller.switches().getSwitch(dpid),
                    s -> s.isPresent() && s.get().ports().size() == 3).orElseThrow();
            String controllerRow = ovs.vsctl("get", "bridge", bridge, "controller").replaceAll("[\\[\\]]", "");
            await().atMost(PATIENCE).until(() -> ovs.vsctl("get", "controller", controllerRow, "is_connected").equals("true"));

            assertThat(sw.version()).isEqualTo(version);
            assertThat(DatapathId.of(Long.parseUnsignedLong(ovs.vsctl("get", "bridge", bridge, "datapath_id").replace("\"", ""), 16))).isEqualTo(dpid);
            assertThat(sw.ports().values()).extracting(OFPortDesc::getName)
                    .containsExactlyInAnyOrder(bridge, bridge + "a", bridge + "b");
            assertThat(sw.port(OFPort.LOCAL)).hasValueSatisfying(p -> assertThat(p.getName()).isEqualTo(bridge));
            assertThat(sw.description().manufacturer()).contains("Nicira");

            int in = Integer.parseInt(ovs.vsctl("get", "interface", bridge + "a", "ofport"));
            int out = Integer.parseInt(ovs.vsctl("get", "interface", bridge + "b", "ofport"));
            sw.write(flow(sw.factory(), version, in, out));
            assertThat(sw.barrier()).succeedsWithin(PATIENCE);
            String flows = ovs.ofctl("-O", ovsVersion, "--no-names", "dump-flows", bridge);
            assertThat(flows).containsPattern("cookie=0x5b1234, .*priority=123,in_port=" + in + " actions=output:" + out);

            ovs.vsctl("add-port", bridge, bridge + "c", "--", "set", "interface", bridge + "c", "type=internal");
            await().atMost(PATIENCE).until(() -> events.contains("port added " + dpid + " " + bridge + "c"));

            ovs.vsctl("del-controller", bridge);
            await().atMost(PATIENCE).until(() -> events.contains("removed " + dpid));
            assertThat(controller.switches().getSwitch(dpid)).isEmpty();
        } finally {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    private static OFFlowAdd flow(OFFactory f, OFVersion version, int in, int out) {
        List<OFAction> actions = List.of(f.actions().output(OFPort.of(out), 0xffff));
        // openflowj's 1.1 match builder answers null from setExact, so it is not chained
        Match.Builder match = f.buildMatch();
        match.setExact(MatchField.IN_PORT, OFPort.of(in));
        OFFlowAdd.Builder flow = f.buildFlowAdd()
                .setCookie(U64.of(0x5b1234))
                .setPriority(123)
                .setMatch(match.build());
        if (version == OFVersion.OF_10) {
            flow.setActions(actions);
        } else {
            flow.setInstructions(List.of(f.instructions().applyActions(actions)));
        }
        return flow.build();
    }
}
