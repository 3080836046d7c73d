package dev.switchboard.topology;

import static dev.switchboard.topology.AppsFixture.WAIT;
import static dev.switchboard.topology.AppsFixture.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.emulator.EmulatedSwitch;
import java.util.EnumSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

class TopologyAppTest {
    private static final MacAddress HOST = MacAddress.of("00:00:00:00:aa:01");

    @Test
    void bothAppsAreFoundThroughServiceLoaderAndTopologyStartsFirst() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            assertThat(fixture.appNames()).containsExactly("topology", "hosts", "services-under-test");
            assertThat(fixture.topology().current().version()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13", "OF_15"})
    void lldpAndBddpProbesGoOutOfEveryEnabledPortWhenASwitchConnects(OFVersion version) {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            EmulatedSwitch sw = fixture.connect(0x0a, 3, version);

            for (int port = 1; port <= 3; port++) {
                byte[] lldp = AppsFixture.probe(sw, port, EthernetFrames.TYPE_LLDP);
                byte[] bddp = AppsFixture.probe(sw, port, EthernetFrames.TYPE_BDDP);
                assertThat(EthernetFrames.destination(lldp)).isEqualTo(ProbeFrames.LLDP_DESTINATION);
                assertThat(EthernetFrames.destination(bddp)).isEqualTo(EthernetFrames.BROADCAST);
            }
            for (OFPacketOut out : sw.received(OFPacketOut.class)) {
                assertThat(out.getBufferId()).isEqualTo(OFBufferId.NO_BUFFER);
                OFPort inPort = version.compareTo(OFVersion.OF_15) < 0
                        ? out.getInPort() : out.getMatch().get(MatchField.IN_PORT);
                assertThat(inPort).isEqualTo(OFPort.CONTROLLER);
            }
            assertThat(sw.received(OFPacketOut.class)).hasSize(6); // 3 ports x (LLDP + BDDP), never LOCAL
        }
    }

    @Test
    void probesAreSentEveryIntervalAndNotOutOfDownPorts() {
        try (AppsFixture fixture = new AppsFixture(Map.of("topology",
                Map.of("probeInterval", "200ms", "quarantine", "0ms", "bddp", false)))) {
            EmulatedSwitch sw = fixture.connect(0x0a, 2);
            sw.sendPortStatus(OFPortReason.MODIFY, down(sw, 2, false));
            await().atMost(WAIT).until(() -> !fixture.topology().current().floodPorts(sw.datapathId()).contains(OFPort.of(2)));
            int before = AppsFixture.probesSent(sw, 2, EthernetFrames.TYPE_LLDP).size();

            await().atMost(WAIT).until(() -> AppsFixture.probesSent(sw, 1, EthernetFrames.TYPE_LLDP).size() >= 4);

            assertThat(AppsFixture.probesSent(sw, 2, EthernetFrames.TYPE_LLDP)).hasSizeLessThanOrEqualTo(before + 1);
            assertThat(AppsFixture.probesSent(sw, 1, EthernetFrames.TYPE_BDDP)).isEmpty();
        }
    }

    @Test
    void probeOfAFedToBMakesALinkFromAToB() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            List<TopologyEvent> events = new CopyOnWriteArrayList<>();
            fixture.topology().addListener(events::add);
            EmulatedSwitch a = fixture.connect(0x0a, 2);
            EmulatedSwitch b = fixture.connect(0x0b, 2);
            long versionBefore = fixture.topology().current().version();

            AppsFixture.deliverLldp(a, 1, b, 2);

            Link link = new Link(port(a, 1), port(b, 2), Link.Kind.DIRECT);
            await().atMost(WAIT).until(() -> fixture.topology().current().links().contains(link));
            Topology topology = fixture.topology().current();
            assertThat(topology.links()).containsExactly(link);
            assertThat(topology.linksFrom(a.datapathId())).containsExactly(link);
            assertThat(topology.linksFrom(b.datapathId())).isEmpty();
            assertThat(topology.isInterSwitchPort(port(a, 1))).isTrue();
            assertThat(topology.isInterSwitchPort(port(b, 2))).isTrue();
            assertThat(topology.isInterSwitchPort(port(b, 1))).isFalse();
            assertThat(topology.version()).isEqualTo(versionBefore + 1);
            assertThat(events).last().satisfies(event -> {
                assertThat(event.linksAdded()).containsExactly(link);
                assertThat(event.after()).isSameAs(topology);
                assertThat(event.before().version()).isEqualTo(versionBefore);
            });
        }
    }

    @Test
    void listenersAreToldOnDiscoverysWriterInOrderAfterEachSnapshotIsPublished() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            List<String> violations = new CopyOnWriteArrayList<>();
            List<Long> versions = new CopyOnWriteArrayList<>();
            fixture.topology().addListener(event -> {
                versions.add(event.after().version());
                if (fixture.topology().current().version() < event.after().version()) {
                    violations.add("v" + event.after().version() + " told before it was published");
                }
                if (!Thread.currentThread().getName().equals("app-topology")) {
                    violations.add("told on " + Thread.currentThread().getName());
                }
            });
            EmulatedSwitch a = fixture.connect(0x0a, 2);
            EmulatedSwitch b = fixture.connect(0x0b, 2);

            fixture.cable(a, 1, b, 2);

            long last = fixture.topology().current().version();
            await().atMost(WAIT).until(() -> versions.contains(last));
            assertThat(violations).isEmpty();
            assertThat(versions).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void confirmingAKnownLinkPublishesNothing() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            EmulatedSwitch a = fixture.connect(0x0a, 2);
            EmulatedSwitch b = fixture.connect(0x0b, 2);
            AppsFixture.deliverLldp(a, 1, b, 1);
            await().atMost(WAIT).until(() -> fixture.topology().current().links().size() == 1);
            Topology before = fixture.topology().current();

            for (int i = 0; i < 5; i++) {
                AppsFixture.deliverLldp(a, 1, b, 1);
            }
            // Packet-ins of one switch are handled in order: once this link shows, the
            // confirmations before it were handled too.
            AppsFixture.deliverLldp(a, 2, b, 2);
            await().atMost(WAIT).until(() -> fixture.topology().current().links().size() == 2);

            assertThat(fixture.topology().current().version()).isEqualTo(before.version() + 1);
        }
    }

    @Test
    void bddpOnlyLinkIsABroadcastDomainLinkUntilLldpShowsADirectOne() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            EmulatedSwitch a = fixture.connect(0x0a, 2);
            EmulatedSwitch b = fixture.connect(0x0b, 2);
            byte[] bddpA1 = AppsFixture.probe(a, 1, EthernetFrames.TYPE_BDDP);
            byte[] bddpA2 = AppsFixture.probe(a, 2, EthernetFrames.TYPE_BDDP);

            b.sendPacketIn(OFPort.of(1), bddpA1);
            Link broadcast = new Link(port(a, 1), port(b, 1), Link.Kind.BROADCAST_DOMAIN);
            await().atMost(WAIT).until(() -> fixture.topology().current().links().contains(broadcast));

            AppsFixture.deliverLldp(a, 1, b, 1);
            b.sendPacketIn(OFPort.of(1), bddpA2); // B/1 has a direct link now: this one is not used
            Link direct = new Link(port(a, 1), port(b, 1), Link.Kind.DIRECT);
            await().atMost(WAIT).until(() -> fixture.topology().current().links().contains(direct));
            AppsFixture.deliverLldp(b, 2, a, 2); // a marker, handled after the BDDP above
            await().atMost(WAIT).until(() -> fixture.topology().current().links().size() >= 2);

            assertThat(fixture.topology().current().links()).containsExactlyInAnyOrder(direct,
                    new Link(port(b, 2), port(a, 2), Link.Kind.DIRECT));
        }
    }

    @Test
    void aHostCannotForgeAProbeForAPortOtherThanItsOwn() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            EmulatedSwitch a = fixture.connect(0x0a, 2);
            EmulatedSwitch b = fixture.connect(0x0b, 2);
            long version = fixture.topology().current().version();

            // The host at a/2 gets a/2's probe and rewrites it to claim a/1, then sends it into b/1.
            byte[] forged = AppsFixture.probe(a, 2, EthernetFrames.TYPE_LLDP).clone();
            forged[29] = 1; // port id TLV: port 2 -> 1
            b.sendPacketIn(OFPort.of(1), forged);
            b.sendPacketIn(OFPort.of(2), Frames.arpRequest(HOST, IPv4Address.of("10.0.0.1"), IPv4Address.of("10.0.0.2")));

            await().atMost(WAIT).until(() -> fixture.hosts().host(HOST).isPresent());
            assertThat(fixture.topology().current().links()).isEmpty();
            assertThat(fixture.topology().current().version()).isEqualTo(version);
        }
    }

    @Test
    void lldpThatIsNotOursIsConsumedButMakesNoLink() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            List<Integer> seenAfterTopology = new CopyOnWriteArrayList<>();
            fixture.controller.packetIns().addProcessor("witness", PipelineOrder.TOPOLOGY + 1, (sw, pi) -> {
                seenAfterTopology.add(EthernetFrames.etherType(pi.getData()));
                return Disposition.CONTINUE;
            });
            EmulatedSwitch a = fixture.connect(0x0a, 2);
            EmulatedSwitch b = fixture.connect(0x0b, 2);
            long version = fixture.topology().current().version();

            b.sendPacketIn(OFPort.of(1), ProbeFrames.build(false, 1, 0x0a, 1, ProbeAuthenticator.withRandomKey())); // another run's key
            b.sendPacketIn(OFPort.of(1), ProbeFrames.build(true, 1, 0x0a, 1, ProbeAuthenticator.withRandomKey()));
            byte[] foreign = AppsFixture.probe(a, 1, EthernetFrames.TYPE_LLDP).clone();
            foreign[39] = 0x01; // not our organisation TLV
            b.sendPacketIn(OFPort.of(1), foreign);
            b.sendPacketIn(OFPort.of(1), Frames.arpRequest(HOST, IPv4Address.of("10.0.0.1"), IPv4Address.of("10.0.0.2")));

            await().atMost(WAIT).until(() -> seenAfterTopology.contains(EthernetFrames.TYPE_ARP));
            assertThat(seenAfterTopology).containsExactly(EthernetFrames.TYPE_ARP);
            assertThat(fixture.topology().current().links()).isEmpty();
            assertThat(fixture.topology().current().version()).isEqualTo(version);
        }
    }

    static OFPortDesc down(EmulatedSwitch sw, int port, boolean administratively) {
        OFPortDesc up = sw.ports().stream().filter(p -> p.getPortNo().equals(OFPort.of(port))).findFirst().orElseThrow();
        OFPortDesc.Builder b = up.createBuilder();
        if (administratively) {
            b.setConfig(EnumSet.of(OFPortConfig.PORT_DOWN));
        } else {
            b.setState(EnumSet.of(OFPortState.LINK_DOWN));
        }
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(PortLoss.class)
    void linkGoesAtOnceWhenItsPortGoesDownOrAway(PortLoss loss) {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            EmulatedSwitch a = fixture.connect(0x0a, 2);
            EmulatedSwitch b = fixture.connect(0x0b, 2);
            fixture.cable(a, 1, b, 1);
            fixture.cable(a, 2, b, 2);

            switch (loss) {
                case LINK_DOWN -> b.sendPortStatus(OFPortReason.MODIFY, down(b, 1, false));
                case PORT_DOWN -> b.sendPortStatus(OFPortReason.MODIFY, down(b, 1, true));
                case REMOVED -> b.sendPortStatus(OFPortReason.DELETE, b.ports().get(0));
            }

            await().atMost(WAIT).until(() -> fixture.topology().current().links().size() == 2);
            assertThat(fixture.topology().current().links()).allSatisfy(link ->
                    assertThat(link.src().port()).isEqualTo(OFPort.of(2)));
            assertThat(fixture.topology().current().floodPorts(b.datapathId())).doesNotContain(OFPort.of(1));
            assertThat(fixture.topology().current().floodPorts(a.datapathId())).contains(OFPort.of(1)); // an edge port now
        }
    }

    enum PortLoss { LINK_DOWN, PORT_DOWN, REMOVED }

    @Test
    void portComingBackUpIsProbedAtOnce() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            EmulatedSwitch a = fixture.connect(0x0a, 2);
            a.sendPortStatus(OFPortReason.MODIFY, down(a, 2, false));
            await().atMost(WAIT).until(() -> !fixture.topology().current().floodPorts(a.datapathId()).contains(OFPort.of(2)));
            int probes = AppsFixture.probesSent(a, 2, EthernetFrames.TYPE_LLDP).size();

            a.sendPortStatus(OFPortReason.MODIFY, a.portDesc(2, "eth2"));
            a.sendPortStatus(OFPortReason.ADD, a.portDesc(3, "eth3"));

            await().atMost(WAIT).until(() -> AppsFixture.probesSent(a, 2, EthernetFrames.TYPE_LLDP).size() == probes + 1
                    && AppsFixture.probesSent(a, 3, EthernetFrames.TYPE_LLDP).size() == 1);
            assertThat(fixture.topology().current().floodPorts(a.datapathId()))
                    .containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(2), OFPort.of(3));
        }
    }

    @Test
    void switchDisconnectRemovesItAndItsLinksAtOnce() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            List<TopologyEvent> events = new CopyOnWriteArrayList<>();
            fixture.topology().addListener(events::add);
            EmulatedSwitch a = fixture.connect(0x0a, 2);
            EmulatedSwitch b = fixture.connect(0x0b, 2);
            fixture.cable(a, 1, b, 1);

            b.close();

            await().atMost(WAIT).until(() -> !fixture.topology().current().switches().contains(b.datapathId()));
            assertThat(fixture.topology().current().links()).isEmpty();
            assertThat(fixture.topology().current().switches()).containsExactly(a.datapathId());
            assertThat(events).last().satisfies(event -> {
                assertThat(event.switchesRemoved()).containsExactly(b.datapathId());
                assertThat(event.linksRemoved()).hasSize(2);
            });
        }
    }

    @Test
    void linkNotConfirmedWithinTheTimeoutExpires() {
        try (AppsFixture fixture = new AppsFixture(Map.of("topology",
                Map.of("probeInterval", "1h", "linkTimeout", "300ms", "quarantine", "0ms")))) {
            EmulatedSwitch a = fixture.connect(0x0a, 2);
            EmulatedSwitch b = fixture.connect(0x0b, 2);
            List<TopologyEvent> events = new CopyOnWriteArrayList<>();
            fixture.topology().addListener(events::add);

            AppsFixture.deliverLldp(a, 1, b, 1);
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> !e.linksAdded().isEmpty()));
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> !e.linksRemoved().isEmpty()));

            assertThat(fixture.topology().current().links()).isEmpty();
            assertThat(fixture.topology().current().switches()).hasSize(2);
        }
    }

    @Test
    void endsOfALinkThatExpiredWithItsPortsUpStayOutOfFloodsForALinkTimeout() {
        try (AppsFixture fixture = new AppsFixture(Map.of("topology",
                Map.of("probeInterval", "1h", "linkTimeout", "400ms", "quarantine", "0ms")))) {
            EmulatedSwitch a = fixture.connect(0x0a, 2);
            EmulatedSwitch b = fixture.connect(0x0b, 2);
            List<Topology> published = new CopyOnWriteArrayList<>();
            fixture.topology().addListener(event -> published.add(event.after()));
            fixture.cable(a, 1, b, 1);

            await().atMost(WAIT).until(() -> fixture.topology().current().links().isEmpty());

            // Every snapshot from the one without the link on keeps both ends out of floods,
            // until the quarantine runs out: the cable may still be there, closing a loop.
            Topology expired = published.stream().filter(t -> t.links().isEmpty()).findFirst().orElseThrow();
            for (EmulatedSwitch sw : List.of(a, b)) {
                assertThat(expired.floodPorts(sw.datapathId())).doesNotContain(OFPort.of(1)).contains(OFPort.of(2));
                assertThat(expired.acceptsBroadcast(AppsFixture.port(sw, 1))).isFalse();
            }
            await().atMost(WAIT).until(() -> fixture.topology().current().acceptsBroadcast(AppsFixture.port(a, 1))
                    && fixture.topology().current().floodPorts(b.datapathId()).contains(OFPort.of(1)));
        }
    }

    @Test
    void ringOfFourBlocksOneCableAndFindsShortestPaths() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            EmulatedSwitch s1 = fixture.connect(1, 3);
            EmulatedSwitch s2 = fixture.connect(2, 3);
            EmulatedSwitch s3 = fixture.connect(3, 3);
            EmulatedSwitch s4 = fixture.connect(4, 3);
            fixture.cable(s3, 1, s4, 2);
            fixture.cable(s1, 1, s2, 2);
            fixture.cable(s4, 1, s1, 2);
            fixture.cable(s2, 1, s3, 2);

            Topology topology = fixture.topology().current();
            assertThat(topology.links()).hasSize(8);
            List<SwitchPort> blocked = Set.of(s1, s2, s3, s4).stream()
                    .flatMap(sw -> List.of(1, 2).stream().map(p -> port(sw, p)))
                    .filter(p -> !topology.acceptsBroadcast(p))
                    .toList();
            assertThat(blocked).containsExactlyInAnyOrder(port(s3, 1), port(s4, 2));
            assertThat(topology.floodPorts(s3.datapathId())).containsExactlyInAnyOrder(OFPort.of(2), OFPort.of(3));
            assertThat(topology.floodPorts(s4.datapathId())).containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(3));
            assertThat(topology.floodPorts(s1.datapathId())).containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(2), OFPort.of(3));
            for (EmulatedSwitch sw : List.of(s1, s2, s3, s4)) {
                for (OFPort p : topology.floodPorts(sw.datapathId())) {
                    assertThat(topology.acceptsBroadcast(new SwitchPort(sw.datapathId(), p))).isTrue();
                }
            }
            assertThat(topology.path(DatapathId.of(1), DatapathId.of(3))).hasValue(List.of(
                    new Link(port(s1, 1), port(s2, 2), Link.Kind.DIRECT),
                    new Link(port(s2, 1), port(s3, 2), Link.Kind.DIRECT)));
            assertThat(topology.path(DatapathId.of(2), DatapathId.of(4)).orElseThrow()).hasSize(2);
        }
    }

    /**
     * The quarantine is long enough that a loaded machine still checks the port before it ends
     * (connecting includes reading the switch's flows back), and the waits cover it.
     */
    private static final Duration QUARANTINE_WAIT = Duration.ofSeconds(15);

    @Test
    void newPortsAreQuarantinedThenJoinTheFlood() {
        try (AppsFixture fixture = new AppsFixture(Map.of("topology",
                Map.of("probeInterval", "1h", "quarantine", "5s")))) {
            List<TopologyEvent> events = new CopyOnWriteArrayList<>();
            fixture.topology().addListener(events::add);
            EmulatedSwitch sw = fixture.connect(0x0a, 2);
            DatapathId dpid = sw.datapathId();
            // Quarantined from the moment the switch shows, yet probed at once.
            assertThat(fixture.topology().current().floodPorts(dpid)).isEmpty();
            assertThat(fixture.topology().current().acceptsBroadcast(port(sw, 1))).isFalse();
            assertThat(fixture.topology().current().isQuarantined(port(sw, 1))).isTrue();
            AppsFixture.probe(sw, 1, EthernetFrames.TYPE_LLDP);

            await().atMost(QUARANTINE_WAIT).until(() -> fixture.topology().current().floodPorts(dpid).size() == 2);
            assertThat(fixture.topology().current().isQuarantined(port(sw, 1))).isFalse();
            // the release is an event of its own, not part of the switch's arrival (each port's
            // quarantine ends on its own timer, so the two may be released in one event or two)
            assertThat(events).anySatisfy(event -> {
                assertThat(event.switchesAdded()).isEmpty();
                assertThat(event.before().floodPorts(dpid)).isEmpty();
                assertThat(event.after().floodPorts(dpid)).isNotEmpty();
            });

            sw.sendPortStatus(OFPortReason.ADD, sw.portDesc(3, "eth3"));
            AppsFixture.probe(sw, 3, EthernetFrames.TYPE_LLDP);
            assertThat(fixture.topology().current().floodPorts(dpid)).doesNotContain(OFPort.of(3));
            assertThat(fixture.topology().current().acceptsBroadcast(port(sw, 3))).isFalse();
            await().atMost(QUARANTINE_WAIT).until(() -> fixture.topology().current().floodPorts(dpid).contains(OFPort.of(3)));
        }
    }
}
