package dev.switchboard.apps.routing;

import dev.switchboard.apps.testing.FakeTopology;

import static dev.switchboard.apps.routing.TestFrames.checksumValid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.FlowTable;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionDecNwTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionNiciraDecTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetDlDst;
import org.projectfloodlight.openflow.protocol.action.OFActionSetDlSrc;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.U64;

/**
 * The routing app in a real controller on loopback, with two emulated switches cabled
 * s1/3 - s2/3 and hosts A (10.0.1.10 at s1/1), B (10.0.2.20 at s2/1, IP not known to the
 * host tracker) and C (10.0.2.254 at s2/2, the static route's next hop, IP known).
 */
class RoutingAppTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final MacAddress ROUTER = MacAddress.of("02:53:42:00:00:01");
    private static final MacAddress A = MacAddress.of("00:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.of("00:00:00:00:00:0b");
    private static final MacAddress C = MacAddress.of("00:00:00:00:00:0c");
    private static final DatapathId S1 = DatapathId.of(1);
    private static final DatapathId S2 = DatapathId.of(2);
    private static final Link S1_TO_S2 = new Link(new SwitchPort(S1, OFPort.of(3)), new SwitchPort(S2, OFPort.of(3)),
            Link.Kind.DIRECT);
    private static final U64 COOKIE = AppCookies.cookie(RoutingApp.COOKIE_NUMBER);

    private final EventLoopGroup switchLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<byte[]> reachedForwarding = new CopyOnWriteArrayList<>();
    private Controller controller;
    private InetSocketAddress address;
    private AppRuntime apps;
    private FakeNetworkApp network;
    private EmulatedSwitch s1;
    private EmulatedSwitch s2;
    /** What s1 holds when it connects (a restarted controller finds the last run's flows). */
    private FlowTable s1Flows = new FlowTable();

    private void start(OFVersion version) {
        start(version, Map.of());
    }

    private void start(OFVersion version, Map<String, Object> extraConfig) {
        start(version, extraConfig, true);
    }

    /**
     * @param s2ServedHere false for a cluster member that masters s1 only: s2 is in the (shared)
     *        topology and host table but never connects here, as another member's switch
     */
    private void start(OFVersion version, Map<String, Object> extraConfig, boolean s2ServedHere) {
        controller = new Controller(ControllerConfig.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0)).eventLoopThreads(1).build());
        address = controller.start().get(0);
        network = new FakeNetworkApp(FakeTopology.ofPortCounts(Map.of(S1, 3, S2, 3),
                List.of(S1_TO_S2)));
        network.addHost(FakeNetworkApp.host(A.toString(), new SwitchPort(S1, OFPort.of(1)), "10.0.1.10"));
        network.addHost(FakeNetworkApp.host(B.toString(), new SwitchPort(S2, OFPort.of(1))));
        network.addHost(FakeNetworkApp.host(C.toString(), new SwitchPort(S2, OFPort.of(2)), "10.0.2.254"));
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                "interfaces", List.of(Map.of("gateway", "10.0.1.1/24"), Map.of("gateway", "10.0.2.1/24")),
                "routes", List.of(Map.of("prefix", "10.0.3.0/24", "via", "10.0.2.254")),
                "idleTimeout", "30s"));
        config.putAll(extraConfig);
        // the app as ServiceLoader finds it, made by the runtime with the network's views injected
        apps = AppRuntime.start(controller.switches(), controller.packetIns(), List.of(network, new RoutingApp()),
                name -> name.equals("routing") ? AppConfig.of("apps.routing", config) : null,
                dev.switchboard.controller.app.AppFactory.reflective());
        // What forwarding would see: packets the router let through.
        controller.packetIns().addProcessor("forwarding-probe", 400, (sw, pi) -> {
            reachedForwarding.add(pi.getData());
            return Disposition.STOP;
        });
        s1 = connect(version, S1);
        if (s2ServedHere) {
            s2 = connect(version, S2);
        }
    }

    private EmulatedSwitch connect(OFVersion version, DatapathId dpid) {
        EmulatedSwitch sw = EmulatedSwitch.prepare(EmulatedSwitchOptions.builder()
                .datapathId(dpid)
                .helloVersion(version)
                .supportedVersions(version)
                .sendVersionBitmap(version.compareTo(OFVersion.OF_13) >= 0)
                .portCount(3)
                .build()).withFlowTable(dpid.equals(S1) ? s1Flows : new FlowTable()).connectTo(switchLoops, address);
        // the apps serve it once its flows are reconciled
        await().atMost(WAIT).until(() -> controller.switches().getSwitch(dpid).filter(apps::serves).isPresent());
        return sw;
    }

    // ---- reconciling ----

    /**
     * A switch that comes to a restarted router still holds its flows: those that still fit
     * (ports there, the current router MAC) stay and go on routing; the others are deleted.
     */
    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void aReconnectingSwitchKeepsTheRoutingFlowsThatStillFit(OFVersion version) {
        OFFactory f = OFFactories.getFactory(version);
        s1Flows.apply(routeFlow(f, RouteFlows.INGRESS_PRIORITY, 1, ROUTER, 3));                        // kept
        s1Flows.apply(routeFlow(f, RouteFlows.TRANSIT_PRIORITY, 3, C, 2));                             // kept
        s1Flows.apply(routeFlow(f, RouteFlows.INGRESS_PRIORITY, 2, MacAddress.of("02:53:42:00:00:99"), 3)); // old router MAC
        s1Flows.apply(routeFlow(f, RouteFlows.TRANSIT_PRIORITY, 1, C, 9));                             // port 9 is gone
        start(version);
        assertThat(s1Flows.flows()).filteredOn(fl -> fl.priority() > 0) // not the controller's table-miss flow
                .extracting(fl -> fl.match().get(MatchField.IN_PORT).getPortNumber())
                .containsExactlyInAnyOrder(1, 3);
        assertThat(s1.received(OFFlowDeleteStrict.class)).hasSize(2);
    }

    private static OFFlowAdd routeFlow(OFFactory f, int priority, int inPort, MacAddress dst, int outPort) {
        List<org.projectfloodlight.openflow.protocol.action.OFAction> out = List.of(f.actions().output(OFPort.of(outPort), 0));
        OFFlowAdd.Builder b = f.buildFlowAdd().setCookie(U64.of(COOKIE.getValue() | inPort)).setPriority(priority)
                .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(inPort)).setExact(MatchField.ETH_DST, dst).build());
        if (f.getVersion() == OFVersion.OF_10) {
            b.setActions(out);
        } else {
            b.setInstructions(List.of(f.instructions().applyActions(out)));
        }
        return b.build();
    }

    // ---- ARP and ping for the gateway ----

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void answersArpForTheGatewayOutOfTheInPort(OFVersion version) {
        start(version);
        byte[] request = RouterFrames.arpRequest(A.getLong(), ip("10.0.1.10"), ip("10.0.1.1"));
        s1.sendPacketIn(OFPort.of(1), request);

        byte[] reply = awaitPacketOut(s1, OFPort.of(1));
        assertThat(java.util.HexFormat.of().formatHex(reply)).isEqualTo(
                "00000000000a" + "025342000001" + "0806" + "0001" + "0800" + "0604" + "0002"
                        + "025342000001" + "0a000101" + "00000000000a" + "0a00010a");
        assertThat(reachedForwarding).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void answersPingToTheGateway(OFVersion version) {
        start(version);
        byte[] request = TestFrames.echoRequest(A, ROUTER, "10.0.1.10", "10.0.2.1", 0x4242, 3);
        s1.sendPacketIn(OFPort.of(1), request);

        byte[] reply = awaitPacketOut(s1, OFPort.of(1));
        assertThat(EthernetFrames.destination(reply)).isEqualTo(A.getLong());
        assertThat(EthernetFrames.source(reply)).isEqualTo(ROUTER.getLong());
        assertThat(RouterFrames.sourceIp(reply)).isEqualTo(ip("10.0.2.1"));
        assertThat(RouterFrames.destinationIp(reply)).isEqualTo(ip("10.0.1.10"));
        assertThat(RouterFrames.ttl(reply)).isEqualTo(64);
        assertThat(reply[34]).as("echo reply").isEqualTo((byte) 0);
        assertThat(Arrays.copyOfRange(reply, 38, reply.length))
                .as("id, sequence and data").isEqualTo(Arrays.copyOfRange(request, 38, request.length));
        assertThat(checksumValid(reply, 14, 20)).isTrue();
        assertThat(checksumValid(reply, 34, reply.length - 34)).isTrue();
        assertThat(reachedForwarding).isEmpty();
    }

    // ---- routing ----

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void holdsAPacketUntilTheNextHopAnswersArpThenRoutesItAndInstallsFlows(OFVersion version) {
        start(version);
        byte[] packet = TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.2.20", 64);
        s1.sendPacketIn(OFPort.of(1), packet);

        // ARP for 10.0.2.20 from the router's address in that subnet, out of every edge port
        // (1 and 2 of each switch), not the inter-switch port 3.
        await().atMost(WAIT).until(() -> arpRequests(s1).size() == 1 && arpRequests(s2).size() == 1);
        for (EmulatedSwitch sw : List.of(s1, s2)) {
            OFPacketOut out = arpRequests(sw).get(0);
            assertThat(outputs(out)).containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(2));
            byte[] arp = out.getData();
            assertThat(EthernetFrames.destination(arp)).isEqualTo(EthernetFrames.BROADCAST);
            assertThat(RouterFrames.arpOperation(arp)).isEqualTo(RouterFrames.ARP_REQUEST);
            assertThat(RouterFrames.arpSenderMac(arp)).isEqualTo(ROUTER.getLong());
            assertThat(RouterFrames.arpSenderIp(arp)).isEqualTo(ip("10.0.2.1"));
            assertThat(RouterFrames.arpTargetIp(arp)).isEqualTo(ip("10.0.2.20"));
        }
        assertThat(packetOutsTo(s2, OFPort.of(1)).stream().filter(f -> RouterFrames.isIpv4(f)).toList()).isEmpty();

        byte[] reply = RouterFrames.arpReply(arpRequests(s2).get(0).getData(), B.getLong());
        s2.sendPacketIn(OFPort.of(1), reply);

        byte[] routed = awaitIpv4PacketOut(s2, OFPort.of(1));
        assertRouted(routed, packet, B);
        assertThat(reachedForwarding).as("the ARP reply to the router is consumed").isEmpty();

        await().atMost(WAIT).until(() -> routeFlows(s1).size() == 1 && routeFlows(s2).size() == 1);
        U64 tag = U64.of(COOKIE.getValue() | (ip("10.0.2.20") & 0xFFFF_FFFFL));
        OFFlowAdd ingress = routeFlows(s1).get(0);
        assertThat(ingress.getCookie()).isEqualTo(tag);
        assertThat(ingress.getIdleTimeout()).isEqualTo(30);
        assertThat(ingress.getPriority()).isEqualTo(RouteFlows.INGRESS_PRIORITY);
        assertThat(ingress.getMatch().get(MatchField.ETH_TYPE)).isEqualTo(EthType.IPv4);
        assertThat(ingress.getMatch().get(MatchField.ETH_DST)).isEqualTo(ROUTER);
        assertThat(ingress.getMatch().get(MatchField.IPV4_DST)).isEqualTo(IPv4Address.of("10.0.2.20"));
        assertIngressActions(version, actions(ingress), B, OFPort.of(3));

        OFFlowAdd transit = routeFlows(s2).get(0);
        assertThat(transit.getCookie()).isEqualTo(tag);
        assertThat(transit.getPriority()).isEqualTo(RouteFlows.TRANSIT_PRIORITY);
        assertThat(transit.getMatch().get(MatchField.ETH_DST)).isEqualTo(B);
        assertThat(transit.getMatch().get(MatchField.IPV4_DST)).isEqualTo(IPv4Address.of("10.0.2.20"));
        assertThat(actions(transit)).containsExactly(s2.factory().actions().output(OFPort.of(1), 0));

        // The next packet to B goes at once: the MAC is known now.
        s1.sendPacketIn(OFPort.of(1), TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.2.20", 9));
        await().atMost(WAIT).until(() -> packetOutsTo(s2, OFPort.of(1)).stream()
                .filter(f -> RouterFrames.isIpv4(f) && RouterFrames.ttl(f) == 8).count() == 1);
        assertThat(arpRequests(s1)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void staticRouteGoesToItsNextHop(OFVersion version) {
        start(version);
        byte[] packet = TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.3.7", 64);
        s1.sendPacketIn(OFPort.of(1), packet);

        // 10.0.2.254 is known to the host tracker: no ARP, straight out of C's port.
        byte[] routed = awaitIpv4PacketOut(s2, OFPort.of(2));
        assertRouted(routed, packet, C);
        await().atMost(WAIT).until(() -> routeFlows(s1).size() == 1 && routeFlows(s2).size() == 1);
        U64 tag = U64.of(COOKIE.getValue() | (ip("10.0.2.254") & 0xFFFF_FFFFL));
        assertThat(routeFlows(s1).get(0).getCookie()).isEqualTo(tag);
        assertThat(routeFlows(s1).get(0).getMatch().get(MatchField.IPV4_DST)).isEqualTo(IPv4Address.of("10.0.3.7"));
        assertIngressActions(version, actions(routeFlows(s1).get(0)), C, OFPort.of(3));
        assertThat(routeFlows(s2).get(0).getMatch().get(MatchField.ETH_DST)).isEqualTo(C);
        assertThat(arpRequests(s1)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void flowsMatchUntaggedFramesOnly(OFVersion version) {
        start(version);
        s1.sendPacketIn(OFPort.of(1), TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.3.7", 64));

        await().atMost(WAIT).until(() -> routeFlows(s1).size() == 1 && routeFlows(s2).size() == 1);
        assertThat(routeFlows(s1).get(0).getMatch().get(MatchField.VLAN_VID)).isEqualTo(OFVlanVidMatch.UNTAGGED);
        assertThat(routeFlows(s2).get(0).getMatch().get(MatchField.VLAN_VID)).isEqualTo(OFVlanVidMatch.UNTAGGED);
    }

    @Test
    void flowsAlongALinkThatWentBeforeTheyWereRecordedAreDeleted() {
        start(OFVersion.OF_13);
        // The path is read with the cable; right after, it is gone and its event was handled.
        network.changeTopologyAfterReads(1, ((FakeTopology) network.current()).withoutCable(S1_TO_S2));
        s1.sendPacketIn(OFPort.of(1), TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.3.7", 64));

        await().atMost(WAIT).until(() -> routeFlows(s1).size() == 1 && !deletes(s1).isEmpty() && !deletes(s2).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void nextHopMovingDeletesItsFlows(OFVersion version) {
        start(version);
        s1.sendPacketIn(OFPort.of(1), TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.3.7", 64));
        await().atMost(WAIT).until(() -> routeFlows(s1).size() == 1 && routeFlows(s2).size() == 1);

        network.moveHost(C, new SwitchPort(S1, OFPort.of(2)));

        if (version == OFVersion.OF_10) {
            await().atMost(WAIT).until(() -> deletes(s1).size() == 1 && deletes(s2).size() == 1);
            OFFlowDeleteStrict delete = s1.received(OFFlowDeleteStrict.class).get(0);
            assertThat(delete.getMatch()).isEqualTo(routeFlows(s1).get(0).getMatch());
            assertThat(delete.getPriority()).isEqualTo(RouteFlows.INGRESS_PRIORITY);
        } else {
            U64 tag = U64.of(COOKIE.getValue() | (ip("10.0.2.254") & 0xFFFF_FFFFL));
            await().atMost(WAIT).until(() -> deletes(s1).size() == 1 && deletes(s2).size() == 1);
            for (EmulatedSwitch sw : List.of(s1, s2)) {
                OFFlowDelete delete = (OFFlowDelete) deletes(sw).get(0);
                assertThat(delete.getCookie()).isEqualTo(tag);
                assertThat(delete.getCookieMask()).isEqualTo(U64.of(-1L));
            }
        }
    }

    @Test
    void aFailedLinkOnThePathDeletesTheFlowsThatCrossIt() {
        start(OFVersion.OF_13);
        s1.sendPacketIn(OFPort.of(1), TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.3.7", 64));
        await().atMost(WAIT).until(() -> routeFlows(s1).size() == 1 && routeFlows(s2).size() == 1);

        network.changeTopology(((FakeTopology) network.current()).withoutCable(S1_TO_S2));

        await().atMost(WAIT).until(() -> deletes(s1).size() == 1 && deletes(s2).size() == 1);
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void ttlOfOneGetsTimeExceededQuotingTheOriginal(OFVersion version) {
        start(version);
        byte[] packet = TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.2.20", 1);
        s1.sendPacketIn(OFPort.of(1), packet);

        byte[] error = awaitPacketOut(s1, OFPort.of(1));
        assertIcmpError(error, 11, 0, "10.0.1.1", packet);
        assertThat(arpRequests(s1)).isEmpty();
    }

    @Test
    void invalidTtlPacketInFromADecTtlFlowGetsTimeExceeded() {
        start(OFVersion.OF_13);
        byte[] packet = TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.2.20", 1);
        s1.send(s1.factory().buildPacketIn()
                .setBufferId(OFBufferId.NO_BUFFER)
                .setTotalLen(packet.length)
                .setReason(OFPacketInReason.INVALID_TTL)
                .setCookie(U64.of(COOKIE.getValue() | (ip("10.0.2.20") & 0xFFFF_FFFFL)))
                .setMatch(s1.factory().buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build())
                .setData(packet)
                .build());

        assertIcmpError(awaitPacketOut(s1, OFPort.of(1)), 11, 0, "10.0.1.1", packet);
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void noRouteGetsNetUnreachable(OFVersion version) {
        start(version);
        byte[] packet = TestFrames.udp(A, ROUTER, "10.0.1.10", "192.168.7.7", 64);
        s1.sendPacketIn(OFPort.of(1), packet);

        assertIcmpError(awaitPacketOut(s1, OFPort.of(1)), 3, 0, "10.0.1.1", packet);
    }

    @Test
    void unansweredArpGetsHostUnreachable() {
        start(OFVersion.OF_13, Map.of("arpTimeout", "300ms"));
        byte[] packet = TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.2.99", 64);
        s1.sendPacketIn(OFPort.of(1), packet);

        byte[] error = awaitIpv4PacketOut(s1, OFPort.of(1));
        assertIcmpError(error, 3, 1, "10.0.1.1", packet);
    }

    @Test
    void aPacketInWithoutAnInPortIsDropped() {
        start(OFVersion.OF_13);
        byte[] request = RouterFrames.arpRequest(A.getLong(), ip("10.0.1.10"), ip("10.0.1.1"));
        s1.send(s1.factory().buildPacketIn()
                .setBufferId(OFBufferId.NO_BUFFER)
                .setReason(OFPacketInReason.NO_MATCH)
                .setTableId(org.projectfloodlight.openflow.types.TableId.of(0))
                .setCookie(U64.ZERO)
                .setMatch(s1.factory().buildMatch().build()) // no IN_PORT
                .setData(request)
                .build());
        // Then the same request with its in-port: once answered, the first was handled.
        s1.sendPacketIn(OFPort.of(1), request);

        await().atMost(WAIT).until(() -> packetOutsTo(s1, OFPort.of(1)).size() == 1);
        assertThat(reachedForwarding).isEmpty();
        assertThat(s1.received(OFPacketOut.class)).hasSize(1);
    }

    @Test
    void aRoutedPacketWithNowhereToGoIsDroppedNotFlooded() {
        start(OFVersion.OF_13);
        // s1 has no flood port but the one the packet comes in at.
        network.changeTopology(FakeTopology.ofPortCounts(Map.of(S1, 1, S2, 3), List.of(S1_TO_S2)));
        MacAddress unlocated = MacAddress.of("00:00:00:00:00:0d"); // answers ARP, unknown to the host tracker
        s1.sendPacketIn(OFPort.of(1), TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.2.30", 64));
        await().atMost(WAIT).until(() -> arpRequests(s2).size() == 1);

        s2.sendPacketIn(OFPort.of(1), RouterFrames.arpReply(arpRequests(s2).get(0).getData(), unlocated.getLong()));
        s2.sendPacketIn(OFPort.of(1), RouterFrames.arpRequest(B.getLong(), ip("10.0.2.20"), ip("10.0.2.1")));
        await().atMost(WAIT).until(() -> packetOutsTo(s2, OFPort.of(1)).stream().anyMatch(RouterFrames::isArp));

        assertThat(s1.received(OFPacketOut.class)).noneMatch(out -> outputs(out).contains(OFPort.FLOOD));
        assertThat(s1.received(OFPacketOut.class).stream().map(OFPacketOut::getData)).noneMatch(RouterFrames::isIpv4);
    }

    // ---- in a cluster: s2 is another member's ----

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void aNextHopBehindAnotherMembersSwitchIsReachedAlongThePathWithTheIngressFlowOnly(OFVersion version) {
        start(version, Map.of(), false);
        byte[] packet = TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.3.7", 64);
        s1.sendPacketIn(OFPort.of(1), packet);

        // C is at s2/2: the routed packet leaves s1 towards s2, where s2's master carries it on.
        byte[] routed = awaitPacketOut(s1, OFPort.of(3));
        assertRouted(routed, packet, C);
        await().atMost(WAIT).until(() -> routeFlows(s1).size() == 1);
        OFFlowAdd ingress = routeFlows(s1).get(0);
        assertThat(ingress.getPriority()).isEqualTo(RouteFlows.INGRESS_PRIORITY);
        assertThat(ingress.getMatch().get(MatchField.ETH_DST)).isEqualTo(ROUTER);
        assertThat(ingress.getMatch().get(MatchField.IPV4_DST)).isEqualTo(IPv4Address.of("10.0.3.7"));
        assertIngressActions(version, actions(ingress), C, OFPort.of(3));
        assertThat(s1.received(OFPacketOut.class).stream().filter(out -> RouterFrames.isIpv4(out.getData())))
                .as("sent along the path, not flooded").hasSize(1);

        // The next packet goes the same way; the flow is rewritten, nothing else.
        s1.sendPacketIn(OFPort.of(1), TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.3.7", 9));
        await().atMost(WAIT).until(() -> packetOutsTo(s1, OFPort.of(3)).size() == 2);
        assertThat(RouterFrames.ttl(packetOutsTo(s1, OFPort.of(3)).get(1))).isEqualTo(8);
        assertThat(arpRequests(s1)).isEmpty();
    }

    /**
     * B's address is unknown and B is behind s2, another member's: the ARP request also leaves
     * s1 towards s2 (whose master floods it on), B's reply reaches that member, and the held
     * packet goes on when B's address arrives through the shared host table.
     */
    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void aNextHopBehindAnotherMembersSwitchIsAskedForThroughItAndReachedOnceTheSharedHostTableKnowsIt(
            OFVersion version) {
        start(version, Map.of(), false);
        byte[] packet = TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.2.20", 64);
        s1.sendPacketIn(OFPort.of(1), packet);

        await().atMost(WAIT).until(() -> arpRequests(s1).size() == 1);
        assertThat(outputs(arpRequests(s1).get(0))).as("s1's edge ports and the link to s2")
                .containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(2), OFPort.of(3));
        assertThat(packetOutsTo(s1, OFPort.of(3)).stream().filter(RouterFrames::isIpv4).toList()).isEmpty();

        network.updateHost(FakeNetworkApp.host(B.toString(), new SwitchPort(S2, OFPort.of(1)), "10.0.2.20"));

        byte[] routed = awaitIpv4PacketOut(s1, OFPort.of(3));
        assertRouted(routed, packet, B);
        await().atMost(WAIT).until(() -> routeFlows(s1).size() == 1);
        assertIngressActions(version, actions(routeFlows(s1).get(0)), B, OFPort.of(3));
    }

    /**
     * Alone too, an address the host table learns from traffic the router did not see releases
     * the packets held for it; with every switch served here, the ARP request stays off the
     * inter-switch ports.
     */
    @Test
    void aNewAddressInTheHostTableReleasesPacketsHeldForIt() {
        start(OFVersion.OF_13);
        byte[] packet = TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.2.20", 64);
        s1.sendPacketIn(OFPort.of(1), packet);
        await().atMost(WAIT).until(() -> arpRequests(s1).size() == 1 && arpRequests(s2).size() == 1);
        assertThat(outputs(arpRequests(s1).get(0))).containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(2));

        network.updateHost(FakeNetworkApp.host(B.toString(), new SwitchPort(S2, OFPort.of(1)), "10.0.2.20"));

        byte[] routed = awaitIpv4PacketOut(s2, OFPort.of(1));
        assertRouted(routed, packet, B);
    }

    @Test
    void aFailedLinkOnThePathToAnotherMembersSwitchDeletesTheIngressFlow() {
        start(OFVersion.OF_13, Map.of(), false);
        s1.sendPacketIn(OFPort.of(1), TestFrames.udp(A, ROUTER, "10.0.1.10", "10.0.3.7", 64));
        await().atMost(WAIT).until(() -> routeFlows(s1).size() == 1);

        network.changeTopology(((FakeTopology) network.current()).withoutCable(S1_TO_S2));

        await().atMost(WAIT).until(() -> deletes(s1).size() == 1);
    }

    /** A frame another member routed (router MAC to the next hop's) reaching a switch of this one's: forwarding's. */
    @Test
    void aFrameRoutedByAnotherMemberGoesOnToForwarding() {
        start(OFVersion.OF_13, Map.of(), false);
        s1.sendPacketIn(OFPort.of(3), TestFrames.udp(ROUTER, A, "10.0.3.7", "10.0.1.10", 63));

        await().atMost(WAIT).until(() -> reachedForwarding.size() == 1);
        assertThat(s1.received(OFPacketOut.class)).isEmpty();
        assertThat(routeFlows(s1)).isEmpty();
    }

    @Test
    void packetsNotForTheRouterGoOnToForwarding() {
        start(OFVersion.OF_13);
        s1.sendPacketIn(OFPort.of(1), TestFrames.udp(A, B, "10.0.1.10", "10.0.1.20", 64));
        s1.sendPacketIn(OFPort.of(1), RouterFrames.arpRequest(A.getLong(), ip("10.0.1.10"), ip("10.0.1.20")));

        await().atMost(WAIT).until(() -> reachedForwarding.size() == 2);
        assertThat(s1.received(OFPacketOut.class)).isEmpty();
    }

    @Test
    void aBadConfigStopsTheStartNamingTheKey() {
        controller = new Controller(ControllerConfig.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0)).eventLoopThreads(1).build());
        network = new FakeNetworkApp(FakeTopology.ofPortCounts(Map.of(), List.of()));
        Map<String, Object> config = Map.of("interfaces", List.of(Map.of("gateway", "10.0.1.1/24")),
                "routes", List.of(Map.of("prefix", "10.0.3.0/24", "via", "10.0.2.254")));
        assertThatThrownBy(() -> AppRuntime.start(controller.switches(), controller.packetIns(),
                List.of(network, new RoutingApp(network, network)),
                name -> name.equals("routing") ? AppConfig.of("apps.routing", config) : null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app 'routing'")
                .hasMessageContaining("routes[0].via");
    }

    /** The app never unregisters by hand: its context removes what it registered on the services. */
    @Test
    void stoppingRemovesItsListeners() {
        start(OFVersion.OF_13);
        assertThat(network.listenerCount()).isEqualTo(2);
        apps.close();
        apps = null;
        assertThat(network.listenerCount()).isZero();
    }

    // ---- helpers ----

    private static int ip(String text) {
        return IPv4Address.of(text).getInt();
    }

    private static void assertRouted(byte[] routed, byte[] original, MacAddress nextHop) {
        assertThat(EthernetFrames.source(routed)).isEqualTo(ROUTER.getLong());
        assertThat(EthernetFrames.destination(routed)).isEqualTo(nextHop.getLong());
        assertThat(RouterFrames.ttl(routed)).isEqualTo(RouterFrames.ttl(original) - 1);
        assertThat(checksumValid(routed, 14, 20)).isTrue();
        assertThat(Arrays.copyOfRange(routed, 26, routed.length))
                .as("addresses and payload unchanged").isEqualTo(Arrays.copyOfRange(original, 26, original.length));
    }

    private static void assertIcmpError(byte[] error, int type, int code, String from, byte[] original) {
        assertThat(EthernetFrames.destination(error)).isEqualTo(A.getLong());
        assertThat(EthernetFrames.source(error)).isEqualTo(ROUTER.getLong());
        assertThat(RouterFrames.sourceIp(error)).isEqualTo(ip(from));
        assertThat(RouterFrames.destinationIp(error)).isEqualTo(ip("10.0.1.10"));
        assertThat(RouterFrames.protocol(error)).isEqualTo(RouterFrames.PROTO_ICMP);
        assertThat(error[34] & 0xFF).isEqualTo(type);
        assertThat(error[35] & 0xFF).isEqualTo(code);
        assertThat(Arrays.copyOfRange(error, 42, error.length))
                .as("original header and 8 bytes").isEqualTo(Arrays.copyOfRange(original, 14, 14 + 28));
        assertThat(checksumValid(error, 14, 20)).isTrue();
        assertThat(checksumValid(error, 34, error.length - 34)).isTrue();
    }

    private static void assertIngressActions(OFVersion version, List<OFAction> actions, MacAddress nextHop, OFPort out) {
        assertThat(actions).hasSize(4);
        if (version == OFVersion.OF_10) {
            assertThat(actions.get(0)).isInstanceOf(OFActionNiciraDecTtl.class);
            assertThat(((OFActionSetDlSrc) actions.get(1)).getDlAddr()).isEqualTo(ROUTER);
            assertThat(((OFActionSetDlDst) actions.get(2)).getDlAddr()).isEqualTo(nextHop);
        } else {
            assertThat(actions.get(0)).isInstanceOf(OFActionDecNwTtl.class);
            assertThat(((OFActionSetField) actions.get(1)).getField().getValue()).isEqualTo(ROUTER);
            assertThat(((OFActionSetField) actions.get(2)).getField().getMatchField()).isEqualTo(MatchField.ETH_DST);
            assertThat(((OFActionSetField) actions.get(2)).getField().getValue()).isEqualTo(nextHop);
        }
        assertThat(((OFActionOutput) actions.get(3)).getPort()).isEqualTo(out);
    }

    private static byte[] awaitPacketOut(EmulatedSwitch sw, OFPort port) {
        await().atMost(WAIT).until(() -> !packetOutsTo(sw, port).isEmpty());
        assertThat(packetOutsTo(sw, port)).hasSize(1);
        return packetOutsTo(sw, port).get(0);
    }

    /** The first IPv4 frame sent out of {@code port}: a routed packet or an ICMP error. */
    private static byte[] awaitIpv4PacketOut(EmulatedSwitch sw, OFPort port) {
        return await().atMost(WAIT).until(() -> packetOutsTo(sw, port).stream()
                .filter(RouterFrames::isIpv4).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    private static List<byte[]> packetOutsTo(EmulatedSwitch sw, OFPort port) {
        return sw.received(OFPacketOut.class).stream()
                .filter(out -> outputs(out).contains(port))
                .map(OFPacketOut::getData)
                .toList();
    }

    private static List<OFPacketOut> arpRequests(EmulatedSwitch sw) {
        return sw.received(OFPacketOut.class).stream()
                .filter(out -> RouterFrames.isArp(out.getData())
                        && RouterFrames.arpOperation(out.getData()) == RouterFrames.ARP_REQUEST)
                .toList();
    }

    private static List<OFPort> outputs(OFPacketOut out) {
        return out.getActions().stream()
                .filter(OFActionOutput.class::isInstance)
                .map(a -> ((OFActionOutput) a).getPort())
                .toList();
    }

    private static boolean isRouting(U64 cookie) {
        return (cookie.getValue() & AppCookies.APP_MASK) == COOKIE.getValue();
    }

    private static List<OFFlowAdd> routeFlows(EmulatedSwitch sw) {
        return sw.received(OFFlowAdd.class).stream().filter(f -> isRouting(f.getCookie())).toList();
    }

    /** Deletes aimed at one next hop's flows (the app's stop-time cleanup is a different message). */
    private static List<OFFlowMod> deletes(EmulatedSwitch sw) {
        List<OFFlowMod> found = new java.util.ArrayList<>(sw.received(OFFlowDeleteStrict.class));
        sw.received(OFFlowDelete.class).stream()
                .filter(d -> d.getCookieMask().equals(U64.of(-1L)) && isRouting(d.getCookie()))
                .forEach(found::add);
        return found;
    }

    private static List<OFAction> actions(OFFlowAdd flow) {
        if (flow.getVersion() == OFVersion.OF_10) {
            return flow.getActions();
        }
        return flow.getInstructions().stream()
                .filter(OFInstructionApplyActions.class::isInstance)
                .flatMap(i -> ((OFInstructionApplyActions) i).getActions().stream())
                .toList();
    }

    @AfterEach
    void stop() {
        if (apps != null) {
            apps.close();
        }
        if (s1 != null) {
            s1.close();
        }
        if (s2 != null) {
            s2.close();
        }
        if (controller != null) {
            controller.close();
        }
        switchLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
