package dev.switchboard.hosts;

import static dev.switchboard.topology.AppsFixture.WAIT;
import static dev.switchboard.topology.AppsFixture.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.topology.AppsFixture;
import dev.switchboard.topology.Frames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.VlanVid;

class HostsAppTest {
    private static final MacAddress H1 = MacAddress.of("00:00:00:00:00:01");
    private static final MacAddress H2 = MacAddress.of("00:00:00:00:00:02");
    private static final MacAddress MARKER = MacAddress.of("00:00:00:00:00:99");
    private static final IPv4Address IP1 = IPv4Address.of("10.0.0.1");
    private static final IPv4Address IP1B = IPv4Address.of("10.0.0.11");
    private static final IPv4Address IP2 = IPv4Address.of("10.0.0.2");
    private static final IPv6Address IP6 = IPv6Address.of("fe80::1");

    /** Records every event as text. */
    private static final class Recorder implements HostListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void hostAdded(Host host) {
            events.add("added " + host.mac() + " at " + host.location());
        }

        @Override
        public void hostMoved(Host before, Host after) {
            events.add("moved " + after.mac() + " " + before.location() + " -> " + after.location());
        }

        @Override
        public void hostUpdated(Host before, Host after) {
            events.add("updated " + after.mac() + " " + after.ipv4() + after.ipv6());
        }

        @Override
        public void hostRemoved(Host host) {
            events.add("removed " + host.mac());
        }
    }

    /** A packet from another host; once it is learnt, everything sent before on that switch was handled. */
    private static void sendMarker(AppsFixture fixture, EmulatedSwitch sw, int port) {
        sw.sendPacketIn(OFPort.of(port), Frames.arpRequest(MARKER, IPv4Address.of("10.0.0.99"), IP2));
        await().atMost(WAIT).until(() -> fixture.hosts().host(MARKER).isPresent());
    }

    @Test
    void learnsMacVlanAndAddressesFromArpIpv4AndIpv6() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            Recorder recorder = new Recorder();
            fixture.hosts().addListener(recorder);
            EmulatedSwitch sw = fixture.connect(1, 3);
            HostService hosts = fixture.hosts();

            sw.sendPacketIn(OFPort.of(3), Frames.arpRequest(H1, IP1, IP2));
            await().atMost(WAIT).until(() -> hosts.host(H1).isPresent());
            Host learnt = hosts.host(H1).orElseThrow();
            assertThat(learnt.vlan()).isEqualTo(VlanVid.ZERO);
            assertThat(learnt.location()).isEqualTo(port(sw, 3));
            assertThat(learnt.ipv4()).containsExactly(IP1);
            assertThat(hosts.hostWithIp(IP1)).hasValue(learnt);

            sw.sendPacketIn(OFPort.of(3), Frames.ipv4(H1, H2, IP1B, IP2));
            sw.sendPacketIn(OFPort.of(3), Frames.ipv6(H1, H2, IP6, IPv6Address.of("fe80::2")));
            await().atMost(WAIT).until(() -> hosts.host(H1).orElseThrow().ipv6().contains(IP6));

            Host updated = hosts.host(H1, VlanVid.ZERO).orElseThrow();
            assertThat(updated.ipv4()).containsExactlyInAnyOrder(IP1, IP1B);
            assertThat(updated.firstSeen()).isEqualTo(learnt.firstSeen());
            assertThat(updated.lastSeen()).isAfterOrEqualTo(learnt.lastSeen());
            assertThat(hosts.hostWithIp(IP1B).map(Host::mac)).hasValue(H1);
            assertThat(hosts.hostWithIp(IP6).map(Host::mac)).hasValue(H1);
            assertThat(recorder.events).hasSize(3);
            assertThat(recorder.events.get(0)).isEqualTo("added " + H1 + " at " + port(sw, 3));
            assertThat(recorder.events.subList(1, 3)).allMatch(e -> e.startsWith("updated " + H1));
        }
    }

    @Test
    void taggedFramesMakeAHostPerVlanAndGroupOrZeroAddressesAreIgnored() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            EmulatedSwitch sw = fixture.connect(1, 3);
            HostService hosts = fixture.hosts();

            sw.sendPacketIn(OFPort.of(2), Frames.arpRequest(H1, 10, IP1, IP2));
            sw.sendPacketIn(OFPort.of(2), Frames.arpRequest(MacAddress.of("01:00:5e:00:00:01"), IP2, IP1));
            sw.sendPacketIn(OFPort.of(2), Frames.arpRequest(H2, IPv4Address.NONE, IP1)); // an ARP probe: no address yet
            sendMarker(fixture, sw, 3);

            assertThat(hosts.host(H1, VlanVid.ofVlan(10))).hasValueSatisfying(h -> assertThat(h.ipv4()).containsExactly(IP1));
            assertThat(hosts.host(H1, VlanVid.ZERO)).isEmpty();
            assertThat(hosts.host(H1).map(Host::vlan)).hasValue(VlanVid.ofVlan(10));
            assertThat(hosts.host(H2)).hasValueSatisfying(h -> assertThat(h.ipv4()).isEmpty());
            assertThat(hosts.hostWithIp(IPv4Address.NONE)).isEmpty();
            assertThat(hosts.hosts()).extracting(Host::mac).containsExactlyInAnyOrder(H1, H2, MARKER);
        }
    }

    @Test
    void hostSeenAtAnotherEdgePortMoves() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            Recorder recorder = new Recorder();
            fixture.hosts().addListener(recorder);
            EmulatedSwitch s1 = fixture.connect(1, 3);
            EmulatedSwitch s2 = fixture.connect(2, 3);

            s1.sendPacketIn(OFPort.of(3), Frames.arpRequest(H1, IP1, IP2));
            await().atMost(WAIT).until(() -> fixture.hosts().host(H1).isPresent());
            // Right after it was seen at s1:3, a frame at s2:2 may be the controller's own flood
            // of that broadcast arriving over a link not discovered yet: the host stays.
            s2.sendPacketIn(OFPort.of(2), Frames.ipv4(H1, H2, IP1, IP2));
            sendMarker(fixture, s2, 3);
            assertThat(fixture.hosts().host(H1).orElseThrow().location()).isEqualTo(port(s1, 3));

            // Once the host has been quiet at s1:3 for the hold, a frame at s2:2 moves it.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                s2.sendPacketIn(OFPort.of(2), Frames.ipv4(H1, H2, IP1, IP2));
                return fixture.hosts().host(H1).orElseThrow().location().equals(port(s2, 2));
            });
            assertThat(recorder.events).containsExactly("added " + H1 + " at " + port(s1, 3),
                    "added " + MARKER + " at " + port(s2, 3), "moved " + H1 + " " + port(s1, 3) + " -> " + port(s2, 2));
            assertThat(fixture.hosts().host(H1).orElseThrow().ipv4()).containsExactly(IP1);
        }
    }

    @Test
    void interSwitchPortIsNeverAnAttachment() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            Recorder recorder = new Recorder();
            fixture.hosts().addListener(recorder);
            EmulatedSwitch s1 = fixture.connect(1, 3);
            EmulatedSwitch s2 = fixture.connect(2, 3);
            fixture.cable(s1, 1, s2, 1);
            s1.sendPacketIn(OFPort.of(3), Frames.arpRequest(H1, IP1, IP2));
            await().atMost(WAIT).until(() -> fixture.hosts().host(H1).isPresent());
            Host before = fixture.hosts().host(H1).orElseThrow();

            // H1's packet crossing the cable, and H2 first seen only there.
            s2.sendPacketIn(OFPort.of(1), Frames.ipv4(H1, H2, IP1, IP2));
            s2.sendPacketIn(OFPort.of(1), Frames.ipv4(H2, H1, IP2, IP1));
            sendMarker(fixture, s2, 3);

            assertThat(fixture.hosts().host(H1).orElseThrow().location()).isEqualTo(port(s1, 3));
            assertThat(fixture.hosts().host(H1).orElseThrow().lastSeen()).isAfterOrEqualTo(before.lastSeen());
            assertThat(fixture.hosts().host(H2)).isEmpty();
            assertThat(recorder.events).noneMatch(e -> e.startsWith("moved"));
        }
    }

    @Test
    void hostLearntWhereALinkIsFoundLaterIsDropped() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            EmulatedSwitch s1 = fixture.connect(1, 3);
            EmulatedSwitch s2 = fixture.connect(2, 3);
            s2.sendPacketIn(OFPort.of(1), Frames.arpRequest(H1, IP1, IP2)); // before discovery ran
            await().atMost(WAIT).until(() -> fixture.hosts().host(H1).isPresent());

            fixture.cable(s1, 1, s2, 1);

            await().atMost(WAIT).until(() -> fixture.hosts().host(H1).isEmpty());
            assertThat(fixture.hosts().hostWithIp(IP1)).isEmpty();
        }
    }

    @Test
    void hostsExpireWhenNotSeenAndListenersAreTold() {
        try (AppsFixture fixture = new AppsFixture(Map.of(
                "topology", Map.of("probeInterval", "1h", "quarantine", "0ms"),
                "hosts", Map.of("expiry", "300ms")))) {
            Recorder recorder = new Recorder();
            fixture.hosts().addListener(recorder);
            EmulatedSwitch sw = fixture.connect(1, 3);

            sw.sendPacketIn(OFPort.of(3), Frames.arpRequest(H1, IP1, IP2));
            await().atMost(WAIT).until(() -> recorder.events.contains("added " + H1 + " at " + port(sw, 3)));
            await().atMost(WAIT).until(() -> recorder.events.contains("removed " + H1));

            assertThat(fixture.hosts().host(H1)).isEmpty();
            assertThat(fixture.hosts().hostWithIp(IP1)).isEmpty();
            assertThat(fixture.hosts().hosts()).isEmpty();
        }
    }

    @Test
    void hostsOfARemovedSwitchOrPortAreRemoved() {
        try (AppsFixture fixture = AppsFixture.quiet()) {
            EmulatedSwitch s1 = fixture.connect(1, 3);
            EmulatedSwitch s2 = fixture.connect(2, 3);
            s1.sendPacketIn(OFPort.of(3), Frames.arpRequest(H1, IP1, IP2));
            s2.sendPacketIn(OFPort.of(3), Frames.arpRequest(H2, IP2, IP1));
            await().atMost(WAIT).until(() -> fixture.hosts().hosts().size() == 2);

            s1.sendPortStatus(org.projectfloodlight.openflow.protocol.OFPortReason.DELETE, s1.ports().get(2));
            await().atMost(WAIT).until(() -> fixture.hosts().host(H1).isEmpty());
            s2.close();
            await().atMost(WAIT).until(() -> fixture.hosts().hosts().isEmpty());
        }
    }
}
