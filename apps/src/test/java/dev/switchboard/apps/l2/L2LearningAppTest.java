package dev.switchboard.apps.l2;

import static dev.switchboard.apps.testing.Frames.BROADCAST;
import static dev.switchboard.apps.testing.Frames.frame;
import static dev.switchboard.apps.testing.Frames.outputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.apps.common.FlowPriorities;
import dev.switchboard.apps.testing.FakeTopology;
import dev.switchboard.apps.testing.FakeTopologyService;
import dev.switchboard.apps.testing.Frames;
import dev.switchboard.apps.testing.Lab;
import dev.switchboard.apps.testing.PublishingApp;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.FlowTable;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.TopologyService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFType;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

class L2LearningAppTest {
    private static final long A = 0x02_00_00_00_00_0aL;
    private static final long B = 0x02_00_00_00_00_0bL;
    private static final long C = 0x02_00_00_00_00_0cL;
    private static final DatapathId S1 = DatapathId.of(1);

    private static Lab lab(FakeTopologyService topology, Map<String, Object> config) {
        return new Lab(List.of(new PublishingApp<>("topology", TopologyService.class, topology), new L2LearningApp(topology)),
                Map.of("l2-learning", config));
    }

    private static FakeTopologyService oneSwitch(Set<OFPort> floodPorts) {
        return new FakeTopologyService(FakeTopology.of(Set.of(S1), Map.of(S1, floodPorts)));
    }

    static List<OFAction> actionsOf(OFFlowAdd flow) {
        if (flow.getVersion() == OFVersion.OF_10) {
            return flow.getActions();
        }
        assertThat(flow.getInstructions()).singleElement().isInstanceOf(OFInstructionApplyActions.class);
        return ((OFInstructionApplyActions) flow.getInstructions().get(0)).getActions();
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void floodsUnknownThenInstallsAFlowForALearnedDestination(OFVersion version) {
        try (Lab lab = lab(oneSwitch(FakeTopology.ports(1, 2, 3, 4)), Map.of("idleTimeout", "10s", "hardTimeout", "120s"))) {
            EmulatedSwitch s1 = lab.connect(1, version, 4);

            s1.sendPacketIn(OFPort.of(1), frame(B, A));

            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 1);
            OFPacketOut flood = s1.received(OFPacketOut.class).get(0);
            assertThat(outputs(flood.getActions())).containsExactly(2, 3, 4);
            assertThat(flood.getData()).isEqualTo(frame(B, A));
            assertThat(s1.received(OFFlowAdd.class).stream().filter(f -> f.getPriority() > 0)).isEmpty();

            s1.sendPacketIn(OFPort.of(2), frame(A, B));

            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 2);
            OFFlowAdd flow = s1.received(OFFlowAdd.class).stream()
                    .filter(f -> f.getCookie().equals(AppCookies.cookie(L2LearningApp.COOKIE_NUMBER))).findFirst().orElseThrow();
            assertThat(flow.getPriority()).isEqualTo(FlowPriorities.L2_LEARNING);
            assertThat(flow.getIdleTimeout()).isEqualTo(10);
            assertThat(flow.getHardTimeout()).isEqualTo(120);
            assertThat(flow.getBufferId()).isEqualTo(OFBufferId.NO_BUFFER);
            assertThat(flow.getMatch().get(MatchField.IN_PORT)).isEqualTo(OFPort.of(2));
            assertThat(flow.getMatch().get(MatchField.ETH_SRC)).isEqualTo(MacAddress.of(B));
            assertThat(flow.getMatch().get(MatchField.ETH_DST)).isEqualTo(MacAddress.of(A));
            assertThat(flow.getMatch().get(MatchField.VLAN_VID).getVlan()).isZero();
            assertThat(outputs(actionsOf(flow))).containsExactly(1);
            OFPacketOut release = s1.received(OFPacketOut.class).get(1);
            assertThat(outputs(release.getActions())).containsExactly(1);
            assertThat(release.getData()).isEqualTo(frame(A, B));
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void aBufferedPacketIsReleasedByTheFlowModAlone(OFVersion version) {
        try (Lab lab = lab(oneSwitch(FakeTopology.ports(1, 2)), Map.of())) {
            EmulatedSwitch s1 = lab.connect(1, version, 2);
            s1.sendPacketIn(OFPort.of(1), frame(BROADCAST, A));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 1);

            s1.send(Frames.packetIn(s1.factory(), 2, frame(A, B), OFBufferId.of(77)));

            await().atMost(Lab.WAIT).until(() -> s1.received(OFFlowAdd.class).stream().anyMatch(f -> f.getPriority() > 0));
            OFFlowAdd flow = s1.received(OFFlowAdd.class).stream().filter(f -> f.getPriority() > 0).findFirst().orElseThrow();
            assertThat(flow.getBufferId()).isEqualTo(OFBufferId.of(77));
            assertThat(flow.getIdleTimeout()).isEqualTo(30);
            assertThat(flow.getHardTimeout()).isEqualTo(300);
            assertThat(outputs(actionsOf(flow))).containsExactly(1);

            // A is known untagged only: on VLAN 7 it is unknown, so this is flooded (and the flood released by data).
            s1.sendPacketIn(OFPort.of(2), frame(A, B, 7));

            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 2);
            assertThat(outputs(s1.received(OFPacketOut.class).get(1).getActions())).containsExactly(1);
            assertThat(s1.received(OFFlowAdd.class).stream().filter(f -> f.getPriority() > 0)).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void floodsAlongTheTreeAndDropsBroadcastsFromBlockedPorts(OFVersion version) {
        FakeTopologyService topology = new FakeTopologyService(
                FakeTopology.of(Set.of(S1), Map.of(S1, FakeTopology.ports(1, 3, 4)))
                        .withBlocked(new SwitchPort(S1, OFPort.of(4))));
        try (Lab lab = lab(topology, Map.of())) {
            EmulatedSwitch s1 = lab.connect(1, version, 5);

            s1.sendPacketIn(OFPort.of(1), frame(BROADCAST, A));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 1);
            assertThat(outputs(s1.received(OFPacketOut.class).get(0).getActions())).containsExactly(3, 4);

            s1.sendPacketIn(OFPort.of(4), frame(BROADCAST, C)); // over a blocked link: dropped, C not learned
            s1.sendPacketIn(OFPort.of(4), frame(B, C)); // unknown destination from a blocked port: the same
            s1.sendPacketIn(OFPort.of(1), frame(C, A));
            lab.awaitPacketIns(1, 4);

            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 2);
            assertThat(outputs(s1.received(OFPacketOut.class).get(1).getActions())).containsExactly(3, 4);
            assertThat(s1.received(OFPacketOut.class).get(1).getData()).isEqualTo(frame(C, A));
            assertThat(s1.received(OFFlowAdd.class).stream().filter(f -> f.getPriority() > 0)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void stopsLearningWhenTheTableIsFull(OFVersion version) {
        try (Lab lab = lab(oneSwitch(FakeTopology.ports(1, 2, 3)), Map.of("maxMacsPerSwitch", 2))) {
            EmulatedSwitch s1 = lab.connect(1, version, 3);
            s1.sendPacketIn(OFPort.of(1), frame(BROADCAST, A));
            s1.sendPacketIn(OFPort.of(2), frame(BROADCAST, B));
            s1.sendPacketIn(OFPort.of(3), frame(BROADCAST, C));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 3);

            s1.sendPacketIn(OFPort.of(1), frame(C, A));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 4);
            assertThat(outputs(s1.received(OFPacketOut.class).get(3).getActions())).containsExactly(2, 3);
            s1.sendPacketIn(OFPort.of(1), frame(B, A));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 5);
            assertThat(outputs(s1.received(OFPacketOut.class).get(4).getActions())).containsExactly(2);
            assertThat(s1.received(OFFlowAdd.class).stream().filter(f -> f.getPriority() > 0))
                    .singleElement().satisfies(f -> assertThat(f.getMatch().get(MatchField.ETH_DST)).isEqualTo(MacAddress.of(B)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void dropsWhenTheDestinationIsOnTheInPortAndForgetsARemovedPort(OFVersion version) {
        try (Lab lab = lab(oneSwitch(FakeTopology.ports(1, 2, 3)), Map.of())) {
            EmulatedSwitch s1 = lab.connect(1, version, 3);
            s1.sendPacketIn(OFPort.of(1), frame(BROADCAST, A));
            s1.sendPacketIn(OFPort.of(1), frame(BROADCAST, B));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 2);

            s1.sendPacketIn(OFPort.of(1), frame(A, B)); // both behind port 1: nothing to do
            s1.sendPortStatus(OFPortReason.DELETE, s1.ports().get(0));
            await().atMost(Lab.WAIT).until(() -> portDeletes(s1).size() == 2);
            s1.sendPacketIn(OFPort.of(2), frame(A, C)); // A was behind the removed port: unknown again

            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 3);
            assertThat(outputs(s1.received(OFPacketOut.class).get(2).getActions())).containsExactly(1, 3);
            assertThat(s1.received(OFFlowAdd.class).stream().filter(f -> f.getPriority() > 0)).isEmpty();
            if (version != OFVersion.OF_10) {
                assertThat(portDeletes(s1)).allSatisfy(d -> {
                    assertThat(d.getCookie()).isEqualTo(AppCookies.cookie(L2LearningApp.COOKIE_NUMBER));
                    assertThat(d.getCookieMask()).isEqualTo(U64.of(AppCookies.APP_MASK));
                });
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void aLinkThatGoesFlushesEveryTableAndTheAppsFlows(OFVersion version) {
        FakeTopology withLink = FakeTopology.of(Set.of(S1, DatapathId.of(2)), Map.of(S1, FakeTopology.ports(1, 2, 3)))
                .withLinks(FakeTopology.cable(1, 3, 2, 1));
        FakeTopologyService topology = new FakeTopologyService(withLink);
        try (Lab lab = lab(topology, Map.of())) {
            EmulatedSwitch s1 = lab.connect(1, version, 3);
            s1.sendPacketIn(OFPort.of(1), frame(BROADCAST, A));
            s1.sendPacketIn(OFPort.of(2), frame(A, B));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFFlowAdd.class).stream().anyMatch(f -> f.getPriority() > 0));
            int packetOuts = s1.received(OFPacketOut.class).size();

            topology.replace(FakeTopology.of(Set.of(S1, DatapathId.of(2)), Map.of(S1, FakeTopology.ports(1, 2, 3))));

            // the app's flows go (1.1+: one delete by cookie; 1.0: read back, none here to delete)
            if (version != OFVersion.OF_10) {
                await().atMost(Lab.WAIT).until(() -> s1.received(OFFlowDelete.class).stream()
                        .anyMatch(d -> d.getCookie().equals(AppCookies.cookie(L2LearningApp.COOKIE_NUMBER)) && portDeletes(s1).isEmpty()));
            }
            // and A is unknown again: a packet to it is flooded, not forwarded by a flow
            s1.sendPacketIn(OFPort.of(2), frame(A, B));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == packetOuts + 1);
            assertThat(outputs(s1.received(OFPacketOut.class).get(packetOuts).getActions())).containsExactly(1, 3);
            assertThat(s1.received(OFFlowAdd.class).stream().filter(f -> f.getPriority() > 0)).hasSize(1);
        }
    }

    /**
     * A restarted controller finds the switch's flows: it keeps those whose ports are still
     * there (never a sweep), re-learns the MACs they name, so the next packet to one of them is
     * forwarded rather than flooded, and deletes the flow of a port that went while it was away.
     */
    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void aRestartedControllerKeepsTheLiveFlowsAndRelearnsTheirMacs(OFVersion version) {
        long d = 0x02_00_00_00_00_0dL;
        FlowTable table = new FlowTable();
        try (Lab first = lab(oneSwitch(FakeTopology.ports(1, 2, 3, 4)), Map.of())) {
            EmulatedSwitch s1 = first.connect(1, version, 4, table);
            s1.sendPacketIn(OFPort.of(1), frame(BROADCAST, A));
            s1.sendPacketIn(OFPort.of(2), frame(A, B));   // flow in 2: B -> A, out 1
            s1.sendPacketIn(OFPort.of(4), frame(B, d));   // flow in 4: D -> B, out 2
            await().atMost(Lab.WAIT).until(() -> ownFlows(table).size() == 2);
        }
        assertThat(ownFlows(table)).as("stopping the controller keeps the flows").hasSize(2);

        // port 4 went while no controller was there
        try (Lab second = lab(oneSwitch(FakeTopology.ports(1, 2, 3)), Map.of())) {
            EmulatedSwitch s1 = second.connect(1, version, 3, table);
            assertThat(ownFlows(table)).singleElement()
                    .satisfies(f -> assertThat(f.match().get(MatchField.IN_PORT)).isEqualTo(OFPort.of(2)));
            assertThat(s1.received(OFFlowDelete.class)).as("no sweep").isEmpty();
            assertThat(s1.received(OFFlowDeleteStrict.class)).hasSize(1);

            // B was learnt from the kept flow: A -> B is forwarded to port 2 at once, not flooded to 2 and 3
            s1.sendPacketIn(OFPort.of(1), frame(B, A));
            await().atMost(Lab.WAIT).until(() -> !s1.received(OFPacketOut.class).isEmpty());
            assertThat(outputs(s1.received(OFPacketOut.class).get(0).getActions())).containsExactly(2);
            assertThat(s1.received(OFFlowAdd.class).stream().filter(f -> f.getPriority() == FlowPriorities.L2_LEARNING))
                    .singleElement().satisfies(f -> assertThat(outputs(actionsOf(f))).containsExactly(2));
        }
    }

    /**
     * A switch that closes while its reconciliation is still being applied (here: its barrier
     * never answered) was never served: the table reconcile() made is not the app's until the
     * switch is announced, and it is dropped once the connection is gone, so no table holding a
     * dead connection stays behind. reconcile() used to put it among the served tables at once.
     */
    @Test
    void aSwitchThatClosesBeforeItIsServedLeavesNoTable() {
        FlowTable table = new FlowTable();
        OFFactory f = org.projectfloodlight.openflow.protocol.OFFactories.getFactory(OFVersion.OF_13);
        table.apply(f.buildFlowAdd().setCookie(AppCookies.cookie(L2LearningApp.COOKIE_NUMBER)).setPriority(FlowPriorities.L2_LEARNING)
                .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build())
                .setInstructions(List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(9), 0)))))
                .build()); // out of a port that is gone: its delete makes the plan wait for a barrier
        FakeTopologyService topology = oneSwitch(FakeTopology.ports(1, 2));
        L2LearningApp app = new L2LearningApp(topology);
        try (Lab lab = new Lab(List.of(new PublishingApp<>("topology", TopologyService.class, topology), app),
                Map.of())) {
            EmulatedSwitch prepared = Lab.prepare(1, OFVersion.OF_13, 2, table);
            java.util.concurrent.atomic.AtomicBoolean barrierAsked = new java.util.concurrent.atomic.AtomicBoolean();
            prepared.onMessage(OFType.BARRIER_REQUEST, request -> {
                if (prepared.received(OFFlowDeleteStrict.class).isEmpty()) {
                    return prepared.defaultAnswer(request); // the handshake's
                }
                barrierAsked.set(true);
                return List.of(); // the reconciliation's: never answered
            });
            EmulatedSwitch s1 = lab.connectUnserved(prepared);
            await().atMost(Lab.WAIT).until(barrierAsked::get);
            assertThat(lab.serves(1)).isFalse();
            assertThat(app.table(S1)).as("not served: no table yet").isNull();

            s1.close();
            lab.connect(2, OFVersion.OF_13, 2); // any switch reconciled afterwards drops the closed one's table
            assertThat(app.table(S1)).isNull();
            assertThat(app.reconciledTables()).isZero();
        }
    }

    private static List<FlowTable.Flow> ownFlows(FlowTable table) {
        return table.flows().stream().filter(f -> f.cookie().equals(AppCookies.cookie(L2LearningApp.COOKIE_NUMBER))).toList();
    }

    /** The deletes for a port that went (in at it or out of it), not the sweeps of old flows at connect. */
    private static java.util.List<OFFlowDelete> portDeletes(EmulatedSwitch sw) {
        return sw.received(OFFlowDelete.class).stream()
                .filter(d -> !d.getOutPort().equals(OFPort.ANY) || d.getMatch().get(MatchField.IN_PORT) != null)
                .toList();
    }
}
