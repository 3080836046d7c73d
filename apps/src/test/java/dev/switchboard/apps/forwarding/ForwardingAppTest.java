package dev.switchboard.apps.forwarding;

import static dev.switchboard.apps.testing.Frames.frame;
import static dev.switchboard.apps.testing.Frames.outputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.apps.common.FlowPriorities;
import dev.switchboard.apps.testing.FakeHostService;
import dev.switchboard.apps.testing.FakeTopology;
import dev.switchboard.apps.testing.FakeTopologyService;
import dev.switchboard.apps.testing.Lab;
import dev.switchboard.apps.testing.PublishingApp;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.FlowTable;
import dev.switchboard.hosts.HostService;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.TopologyService;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * A square of four switches: host A at s1/1, host B at s4/1; s1/2-s2/1, s2/2-s4/2 (the
 * shortest path, found first), s1/3-s3/1, s3/2-s4/3 (the detour).
 */
class ForwardingAppTest {
    private static final long A = 0x02_00_00_00_00_0aL;
    private static final long B = 0x02_00_00_00_00_0bL;
    private static final long UNKNOWN = 0x02_00_00_00_00_0cL;
    private static final U64 APP = AppCookies.cookie(ForwardingApp.COOKIE_NUMBER);
    private static final Set<Link> S2_S4 = FakeTopology.cable(2, 2, 4, 2);
    private static final Set<Link> S3_S4 = FakeTopology.cable(3, 2, 4, 3);

    private final FakeHostService hosts = new FakeHostService();
    private final FakeTopologyService topology = new FakeTopologyService(square());

    private static FakeTopology square() {
        Set<Link> links = new HashSet<>();
        links.addAll(FakeTopology.cable(1, 2, 2, 1));
        links.addAll(S2_S4);
        links.addAll(FakeTopology.cable(1, 3, 3, 1));
        links.addAll(S3_S4);
        Set<DatapathId> switches = Set.of(DatapathId.of(1), DatapathId.of(2), DatapathId.of(3), DatapathId.of(4));
        // The tree leaves s3-s4 out.
        return new FakeTopology(1, switches, links, Map.of(
                DatapathId.of(1), FakeTopology.ports(1, 2, 3),
                DatapathId.of(2), FakeTopology.ports(1, 2),
                DatapathId.of(3), FakeTopology.ports(1),
                DatapathId.of(4), FakeTopology.ports(1, 2)), Set.of());
    }

    private Lab lab() {
        hosts.put(FakeHostService.host(A, 1, 1));
        hosts.put(FakeHostService.host(B, 4, 1));
        return new Lab(List.of(new PublishingApp<>("topology", TopologyService.class, topology),
                new PublishingApp<>("hosts", HostService.class, hosts), new ForwardingApp(topology, hosts)), Map.of());
    }

    private static List<OFFlowAdd> routeFlows(EmulatedSwitch sw) {
        return sw.received(OFFlowAdd.class).stream().filter(f -> f.getPriority() == FlowPriorities.FORWARDING).toList();
    }

    private static List<OFAction> actionsOf(OFFlowAdd flow) {
        return flow.getVersion() == OFVersion.OF_10 ? flow.getActions()
                : ((OFInstructionApplyActions) flow.getInstructions().get(0)).getActions();
    }

    /** "in>out" of the one route flow the switch got, after checking its match and cookie. */
    private static String hop(OFFlowAdd flow, U64 cookie) {
        assertThat(flow.getCookie()).isEqualTo(cookie);
        assertThat(flow.getMatch().get(MatchField.ETH_SRC)).isEqualTo(MacAddress.of(A));
        assertThat(flow.getMatch().get(MatchField.ETH_DST)).isEqualTo(MacAddress.of(B));
        assertThat(flow.getIdleTimeout()).isEqualTo(30);
        assertThat(flow.getHardTimeout()).isZero();
        return flow.getMatch().get(MatchField.IN_PORT).getPortNumber() + ">" + outputs(actionsOf(flow)).get(0);
    }

    /**
     * A restarted controller keeps the route flows the switches still hold (no sweep), and a
     * new route gets a tag past theirs, so deleting it can never take an old flow with it.
     */
    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void aRestartKeepsTheRouteFlowsAndNewRoutesGetFreshTags(OFVersion version) {
        Map<Integer, FlowTable> tables = Map.of(1, new FlowTable(), 2, new FlowTable(), 3, new FlowTable(), 4, new FlowTable());
        int[] ports = {0, 3, 2, 2, 3};
        long oldTag;
        try (Lab first = lab()) {
            for (int i = 1; i <= 4; i++) {
                first.connect(i, version, ports[i], tables.get(i));
            }
            // first.connect returned the emulators in order; the packet goes in at s1
            EmulatedSwitch s1 = first.emulators().get(0);
            s1.sendPacketIn(OFPort.of(1), frame(B, A));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 1);
            oldTag = routeFlows(s1).get(0).getCookie().getValue() & AppCookies.TAG_MASK;
        }
        try (Lab second = lab()) {
            List<EmulatedSwitch> sws = new java.util.ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                sws.add(second.connect(i, version, ports[i], tables.get(i)));
            }
            for (int i : List.of(1, 2, 4)) {
                assertThat(tables.get(i).flows()).as("s%d keeps the route's flow", i)
                        .anyMatch(f -> f.priority() == FlowPriorities.FORWARDING);
                assertThat(sws.get(i - 1).received(OFFlowDelete.class)).isEmpty();
                assertThat(sws.get(i - 1).received(OFFlowDeleteStrict.class)).isEmpty();
            }
            // the other direction is a new route
            sws.get(3).sendPacketIn(OFPort.of(1), frame(A, B));
            await().atMost(Lab.WAIT).until(() -> sws.get(3).received(OFPacketOut.class).size() == 1);
            long newTag = routeFlows(sws.get(3)).get(0).getCookie().getValue() & AppCookies.TAG_MASK;
            assertThat(newTag).isNotEqualTo(oldTag);
        }
    }

    /**
     * Route flows kept from an earlier run belong to no route of this one: when their
     * destination host moves, they are deleted all the same (by the host's MAC), instead of
     * sending its traffic to where it was for as long as the traffic lasts.
     */
    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void keptFlowsToAHostThatMovedAreDeleted(OFVersion version) {
        keptRouteFlowsGoWhen(version, () -> hosts.put(FakeHostService.host(B, 2, 2)));
    }

    /** As above, for the source host of kept flows going away. */
    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void keptFlowsFromAHostThatWentAreDeleted(OFVersion version) {
        keptRouteFlowsGoWhen(version, () -> hosts.remove(FakeHostService.host(A, 1, 1)));
    }

    private void keptRouteFlowsGoWhen(OFVersion version, Runnable hostChange) {
        Map<Integer, FlowTable> tables = Map.of(1, new FlowTable(), 2, new FlowTable(), 3, new FlowTable(), 4, new FlowTable());
        int[] ports = {0, 3, 2, 2, 3};
        try (Lab first = lab()) {
            for (int i = 1; i <= 4; i++) {
                first.connect(i, version, ports[i], tables.get(i));
            }
            EmulatedSwitch s1 = first.emulators().get(0);
            s1.sendPacketIn(OFPort.of(1), frame(B, A));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 1);
        }
        try (Lab second = lab()) {
            for (int i = 1; i <= 4; i++) {
                second.connect(i, version, ports[i], tables.get(i));
            }
            for (int i : List.of(1, 2, 4)) {
                assertThat(tables.get(i).flows()).as("s%d kept the route's flow", i)
                        .anyMatch(f -> f.priority() == FlowPriorities.FORWARDING);
            }
            hostChange.run();
            for (int i : List.of(1, 2, 4)) {
                FlowTable table = tables.get(i);
                await("s" + i + " loses the kept flow").atMost(Lab.WAIT)
                        .until(() -> table.flows().stream().noneMatch(f -> f.priority() == FlowPriorities.FORWARDING));
            }
        }
    }

    /**
     * A route made on switches served before the one still holding an earlier run's flows is
     * reconciled gets a tag of this run's epoch, never the kept flows' tag (the old counter
     * started again at 1 and moved past kept tags only once it had seen them).
     */
    @Test
    void aRouteMadeBeforeTheSwitchWithKeptFlowsIsReconciledNeverTakesTheirTag() {
        long c = 0x02_00_00_00_00_0cL;
        FlowTable s1Table = new FlowTable();
        int[] ports = {0, 3, 2, 2, 3};
        long oldTag;
        try (Lab first = new Lab(List.of(new PublishingApp<>("topology", TopologyService.class, topology),
                new PublishingApp<>("hosts", HostService.class, hosts), new ForwardingApp(topology, hosts, () -> 1)), Map.of())) {
            hosts.put(FakeHostService.host(A, 1, 1));
            hosts.put(FakeHostService.host(B, 4, 1));
            EmulatedSwitch s1 = first.connect(1, OFVersion.OF_13, ports[1], s1Table);
            for (int i = 2; i <= 4; i++) {
                first.connect(i, OFVersion.OF_13, ports[i]);
            }
            s1.sendPacketIn(OFPort.of(1), frame(B, A));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 1);
            oldTag = routeFlows(s1).get(0).getCookie().getValue() & AppCookies.TAG_MASK;
        }
        hosts.put(FakeHostService.host(c, 2, 3)); // C behind s2's port 3
        try (Lab second = new Lab(List.of(new PublishingApp<>("topology", TopologyService.class, topology),
                new PublishingApp<>("hosts", HostService.class, hosts), new ForwardingApp(topology, hosts, () -> 2)), Map.of())) {
            second.connect(2, OFVersion.OF_13, 3);
            EmulatedSwitch s4 = second.connect(4, OFVersion.OF_13, ports[4]);
            s4.sendPacketIn(OFPort.of(1), frame(c, B)); // B -> C: s4, s2; s1 not even connected yet
            await().atMost(Lab.WAIT).until(() -> s4.received(OFPacketOut.class).size() == 1);
            long newTag = routeFlows(s4).get(0).getCookie().getValue() & AppCookies.TAG_MASK;
            assertThat(newTag).isNotEqualTo(oldTag);
            second.connect(1, OFVersion.OF_13, ports[1], s1Table);
            assertThat(s1Table.flows()).as("the earlier run's flow is kept").anyMatch(f -> f.priority() == FlowPriorities.FORWARDING);
        }
    }

    /** Deletes that name exactly one route's flows: by full cookie in 1.3, strictly by match in 1.0. */
    private static List<String> deletes(EmulatedSwitch sw) {
        Stream<String> strict = sw.received(OFFlowDeleteStrict.class).stream()
                .map(d -> "strict " + d.getMatch().get(MatchField.IN_PORT).getPortNumber() + " " + d.getPriority());
        Stream<String> byCookie = sw.received(OFFlowDelete.class).stream()
                .filter(d -> d.getVersion() != OFVersion.OF_10 && d.getCookieMask().equals(U64.of(-1L)))
                .map(d -> "cookie " + Long.toHexString(d.getCookie().getValue()));
        return Stream.concat(strict, byCookie).toList();
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void installsTheShortestPathThenReleasesThePacketAfterTheBarriers(OFVersion version) {
        try (Lab lab = lab()) {
            EmulatedSwitch s1 = lab.connect(1, version, 3);
            EmulatedSwitch s2 = lab.connect(2, version, 2);
            lab.connect(3, version, 2);
            EmulatedSwitch s4 = lab.connect(4, version, 3);
            List<OFMessage> heldBarriers = new CopyOnWriteArrayList<>();
            s2.onMessage(OFType.BARRIER_REQUEST, request -> {
                heldBarriers.add(request);
                return List.of();
            });

            s1.sendPacketIn(OFPort.of(1), frame(B, A));

            await().atMost(Lab.WAIT).until(() -> !heldBarriers.isEmpty() && routeFlows(s1).size() == 1);
            U64 cookie = routeFlows(s1).get(0).getCookie();
            assertThat(cookie.getValue() & AppCookies.APP_MASK).isEqualTo(APP.getValue());
            assertThat(cookie.getValue() & AppCookies.TAG_MASK).isNotZero();
            assertThat(hop(routeFlows(s4).get(0), cookie)).isEqualTo("2>1");
            assertThat(hop(routeFlows(s2).get(0), cookie)).isEqualTo("1>2");
            assertThat(hop(routeFlows(s1).get(0), cookie)).isEqualTo("1>2");
            assertThat(routeFlows(s1).get(0).getFlags()).contains(OFFlowModFlags.SEND_FLOW_REM);
            assertThat(s4.received(OFBarrierRequest.class)).isNotEmpty();
            await().during(Duration.ofMillis(300)).atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).isEmpty());

            s2.send(s2.factory().buildBarrierReply().setXid(heldBarriers.get(0).getXid()).build());

            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 1);
            OFPacketOut release = s1.received(OFPacketOut.class).get(0);
            assertThat(outputs(release.getActions())).containsExactly(2);
            assertThat(release.getData()).isEqualTo(frame(B, A));
            s2.onMessage(OFType.BARRIER_REQUEST, request -> List.of(s2.factory().buildBarrierReply().setXid(request.getXid()).build()));
        }
    }

    /** A frame from A to B whose payload carries {@code mark}, to tell frames of one route key apart. */
    private static byte[] markedFrame(int mark) {
        byte[] frame = frame(B, A);
        frame[frame.length - 1] = (byte) mark;
        return frame;
    }

    /**
     * Two frames of one key (a host's first ARP reply and ping, two pings) both reach the
     * controller before the route's flows are in: each starts an install, the second replaces
     * the first's route with one along the same hops. When the first install's barriers answer,
     * its frame is sent too; it used to be dropped because the recorded route was no longer the
     * very one that held it, losing a lab's first ping.
     */
    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void twoFramesOfOneKeyBeforeTheFlowsAreInAreBothSent(OFVersion version) {
        try (Lab lab = lab()) {
            EmulatedSwitch s1 = lab.connect(1, version, 3);
            EmulatedSwitch s2 = lab.connect(2, version, 2);
            lab.connect(3, version, 2);
            lab.connect(4, version, 3);
            List<OFMessage> heldBarriers = new CopyOnWriteArrayList<>();
            s2.onMessage(OFType.BARRIER_REQUEST, request -> {
                heldBarriers.add(request);
                return List.of();
            });

            s1.sendPacketIn(OFPort.of(1), markedFrame(1));
            s1.sendPacketIn(OFPort.of(1), markedFrame(2));

            await().atMost(Lab.WAIT).until(() -> heldBarriers.size() == 2 && routeFlows(s1).size() == 2);
            assertThat(s1.received(OFPacketOut.class)).isEmpty();
            for (OFMessage barrier : heldBarriers) {
                s2.send(s2.factory().buildBarrierReply().setXid(barrier.getXid()).build());
            }

            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 2);
            assertThat(s1.received(OFPacketOut.class)).allSatisfy(out -> assertThat(outputs(out.getActions())).containsExactly(2))
                    .extracting(OFPacketOut::getData).containsExactlyInAnyOrder(markedFrame(1), markedFrame(2));
            s2.onMessage(OFType.BARRIER_REQUEST, request -> List.of(s2.factory().buildBarrierReply().setXid(request.getXid()).build()));
        }
    }

    /**
     * A frame held for a route that was replaced by one along other hops (rerouted round a link
     * that went while its barriers were out) is not sent when its barriers answer: its flows
     * were deleted, and its first hop leads to where the route no longer goes.
     */
    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void aFrameHeldForARouteReplacedByAnotherPathIsNotSent(OFVersion version) {
        try (Lab lab = lab()) {
            EmulatedSwitch s1 = lab.connect(1, version, 3);
            EmulatedSwitch s2 = lab.connect(2, version, 2);
            EmulatedSwitch s3 = lab.connect(3, version, 2);
            lab.connect(4, version, 3);
            List<OFMessage> heldBarriers = new CopyOnWriteArrayList<>();
            s2.onMessage(OFType.BARRIER_REQUEST, request -> {
                heldBarriers.add(request);
                return List.of();
            });
            s1.sendPacketIn(OFPort.of(1), frame(B, A));
            await().atMost(Lab.WAIT).until(() -> heldBarriers.size() == 1 && routeFlows(s1).size() == 1);

            topology.replace(((FakeTopology) topology.current()).withoutLinks(S2_S4));
            await().atMost(Lab.WAIT).until(() -> routeFlows(s3).size() == 1 && routeFlows(s1).size() == 2);
            s2.send(s2.factory().buildBarrierReply().setXid(heldBarriers.get(0).getXid()).build());

            await().during(Duration.ofMillis(300)).atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).isEmpty());
            s2.onMessage(OFType.BARRIER_REQUEST, request -> List.of(s2.factory().buildBarrierReply().setXid(request.getXid()).build()));
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void reroutesWhenALinkGoesAndRemovesTheRouteWhenNoPathIsLeft(OFVersion version) {
        try (Lab lab = lab()) {
            EmulatedSwitch s1 = lab.connect(1, version, 3);
            EmulatedSwitch s2 = lab.connect(2, version, 2);
            EmulatedSwitch s3 = lab.connect(3, version, 2);
            EmulatedSwitch s4 = lab.connect(4, version, 3);
            s1.sendPacketIn(OFPort.of(1), frame(B, A));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 1);
            U64 first = routeFlows(s1).get(0).getCookie();
            Match oldAtS2 = routeFlows(s2).get(0).getMatch();

            topology.replace(((FakeTopology) topology.current()).withoutLinks(S2_S4));

            await().atMost(Lab.WAIT).until(() -> routeFlows(s3).size() == 1 && routeFlows(s1).size() == 2
                    && routeFlows(s4).size() == 2);
            U64 second = routeFlows(s3).get(0).getCookie();
            assertThat(second).isNotEqualTo(first);
            assertThat(hop(routeFlows(s4).get(1), second)).isEqualTo("3>1");
            assertThat(hop(routeFlows(s3).get(0), second)).isEqualTo("1>2");
            assertThat(hop(routeFlows(s1).get(1), second)).isEqualTo("1>3");
            String deleteFirst = version == OFVersion.OF_10 ? "strict " : "cookie " + Long.toHexString(first.getValue());
            await().atMost(Lab.WAIT).until(() -> deletes(s2).size() == 1 && deletes(s1).size() == 1);
            assertThat(deletes(s2)).singleElement().asString().startsWith(deleteFirst);
            assertThat(deletes(s1)).singleElement().asString().startsWith(deleteFirst);
            if (version == OFVersion.OF_10) {
                assertThat(s2.received(OFFlowDeleteStrict.class).get(0).getMatch()).isEqualTo(oldAtS2);
            }
            assertThat(deletes(s3)).isEmpty();
            // and every flow of the app out of the lost link, adopted ones (known to no route) too
            await().atMost(Lab.WAIT).until(() -> s2.received(OFFlowDelete.class).stream()
                    .anyMatch(d -> !d.getOutPort().equals(OFPort.ANY)));

            topology.replace(((FakeTopology) topology.current()).withoutLinks(S3_S4));

            await().atMost(Lab.WAIT).until(() -> deletes(s3).size() == 1 && deletes(s1).size() == 2);
            if (version != OFVersion.OF_10) {
                assertThat(deletes(s3)).containsExactly("cookie " + Long.toHexString(second.getValue()));
            }
            assertThat(routeFlows(s1)).hasSize(2);
            assertThat(routeFlows(s3)).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void floodsUnknownDestinationsAlongTheTreeAndForgetsRoutesOfAHostThatMoved(OFVersion version) {
        try (Lab lab = lab()) {
            EmulatedSwitch s1 = lab.connect(1, version, 3);
            EmulatedSwitch s2 = lab.connect(2, version, 2);
            lab.connect(3, version, 2);
            EmulatedSwitch s4 = lab.connect(4, version, 3);

            s1.sendPacketIn(OFPort.of(1), frame(UNKNOWN, A));

            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 1);
            assertThat(outputs(s1.received(OFPacketOut.class).get(0).getActions())).containsExactly(2, 3);
            assertThat(routeFlows(s1)).isEmpty();

            s1.sendPacketIn(OFPort.of(1), frame(B, A));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 2);
            hosts.put(FakeHostService.host(B, 2, 2)); // B moved to s2

            await().atMost(Lab.WAIT).until(() -> deletes(s4).size() == 1 && deletes(s2).size() == 1 && deletes(s1).size() == 1);
            s1.sendPacketIn(OFPort.of(1), frame(B, A));
            await().atMost(Lab.WAIT).until(() -> s1.received(OFPacketOut.class).size() == 3);
            assertThat(outputs(actionsOf(routeFlows(s2).get(1)))).containsExactly(2);
            assertThat(routeFlows(s4)).hasSize(1);
        }
    }

    /** Serves the snapshot the packet path reads, then a newer one whose listeners already ran. */
    private static final class ChangedUnderfootTopology implements TopologyService {
        private final java.util.concurrent.atomic.AtomicReference<dev.switchboard.topology.Topology> stale;
        private final dev.switchboard.topology.Topology fresh;

        ChangedUnderfootTopology(dev.switchboard.topology.Topology stale, dev.switchboard.topology.Topology fresh) {
            this.stale = new java.util.concurrent.atomic.AtomicReference<>(stale);
            this.fresh = fresh;
        }

        @Override
        public dev.switchboard.topology.Topology current() {
            dev.switchboard.topology.Topology once = stale.getAndSet(null);
            return once != null ? once : fresh;
        }

        @Override
        public dev.switchboard.controller.Registration addListener(dev.switchboard.topology.TopologyListener listener) {
            return () -> { };
        }
    }

    @org.junit.jupiter.api.Test
    void aRouteComputedOnASnapshotThatChangedBeforeItWasRecordedIsRemoved() {
        hosts.put(FakeHostService.host(A, 1, 1));
        hosts.put(FakeHostService.host(B, 4, 1));
        // The packet path sees s2-s4; by the time the route is recorded that link is gone and
        // its topology event has come and gone.
        ChangedUnderfootTopology changed = new ChangedUnderfootTopology(square(), square().withoutLinks(S2_S4));
        ForwardingApp app = new ForwardingApp(changed, hosts);
        try (Lab lab = new Lab(List.of(new PublishingApp<>("topology", TopologyService.class, changed),
                new PublishingApp<>("hosts", HostService.class, hosts), app), Map.of())) {
            EmulatedSwitch s1 = lab.connect(1, OFVersion.OF_13, 3);
            EmulatedSwitch s2 = lab.connect(2, OFVersion.OF_13, 2);
            lab.connect(3, OFVersion.OF_13, 2);
            lab.connect(4, OFVersion.OF_13, 3);

            s1.sendPacketIn(OFPort.of(1), frame(B, A));

            await().atMost(Lab.WAIT).until(() -> routeFlows(s2).size() == 1 && deletes(s2).size() == 1);
            assertThat(app.routes().routes()).isEmpty();
            assertThat(deletes(s1)).hasSize(1);
        }
    }

    @org.junit.jupiter.api.Test
    void aPacketInWithoutAnInPortIsDroppedHere() {
        List<byte[]> passedOn = new CopyOnWriteArrayList<>();
        dev.switchboard.controller.app.SwitchboardApp after = new dev.switchboard.controller.app.SwitchboardApp() {
            @Override
            public String name() {
                return "after-forwarding";
            }

            @Override
            public int cookieNumber() {
                return 0xF2;
            }

            @Override
            public int pipelineOrder() {
                return dev.switchboard.controller.app.PipelineOrder.FORWARDING + 1;
            }

            @Override
            public void start(dev.switchboard.controller.app.AppContext context) {
                context.addPacketInProcessor((sw, pi) -> {
                    passedOn.add(pi.getData());
                    return dev.switchboard.controller.Disposition.STOP;
                });
            }
        };
        hosts.put(FakeHostService.host(A, 1, 1));
        hosts.put(FakeHostService.host(B, 4, 1));
        try (Lab lab = new Lab(List.of(new PublishingApp<>("topology", TopologyService.class, topology),
                new PublishingApp<>("hosts", HostService.class, hosts), new ForwardingApp(topology, hosts), after), Map.of())) {
            EmulatedSwitch s1 = lab.connect(1, OFVersion.OF_13, 3);
            for (long dst : new long[] {B, UNKNOWN}) {
                s1.send(s1.factory().buildPacketIn()
                        .setBufferId(org.projectfloodlight.openflow.types.OFBufferId.NO_BUFFER)
                        .setReason(org.projectfloodlight.openflow.protocol.OFPacketInReason.NO_MATCH)
                        .setTableId(org.projectfloodlight.openflow.types.TableId.of(0))
                        .setCookie(U64.ZERO)
                        .setMatch(s1.factory().buildMatch().build()) // no IN_PORT
                        .setData(frame(dst, A))
                        .build());
            }

            lab.awaitPacketIns(1, 2);
            await().during(Duration.ofMillis(200)).atMost(Lab.WAIT).until(() -> passedOn.isEmpty()
                    && s1.received(OFPacketOut.class).isEmpty() && routeFlows(s1).isEmpty());
        }
    }

    @org.junit.jupiter.api.Test
    void aNewConnectionOfTheSameSwitchNeverGetsTheOldConnectionsFloodPlanner() {
        ForwardingApp app = new ForwardingApp();
        List<dev.switchboard.apps.testing.RecordingSwitch.Sent> log = new CopyOnWriteArrayList<>();
        var old = new dev.switchboard.apps.testing.RecordingSwitch(1, OFVersion.OF_10, log);
        var replacement = new dev.switchboard.apps.testing.RecordingSwitch(1, OFVersion.OF_13, log);

        var oldPlanner = app.floodPlannerOf(old);
        var newPlanner = app.floodPlannerOf(replacement);

        assertThat(newPlanner).isNotSameAs(oldPlanner);
        assertThat(app.floodPlannerOf(replacement)).isSameAs(newPlanner);
        // A late packet of the old connection must not put its planner back in the new one's place.
        app.floodPlannerOf(old);
        var actions = app.floodPlannerOf(replacement).plan(square(), OFPort.of(1)).actions();
        assertThat(actions).isNotEmpty().allMatch(action -> action.getVersion() == OFVersion.OF_13);
    }
}
