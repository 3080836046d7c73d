package dev.switchboard.topology;

import static dev.switchboard.topology.AppsFixture.WAIT;
import static dev.switchboard.topology.AppsFixture.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.hosts.Host;
import dev.switchboard.hosts.HostListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Two cluster members (two controllers with the topology and hosts apps) sharing through an
 * in-memory exchange, each mastering one switch: each member's services show the whole network.
 */
class ClusterSharedTopologyTest {
    private static final MacAddress H1 = MacAddress.of("02:00:00:00:00:a1");

    @Test
    void eachMemberSeesTheOthersSwitchesLinksAndHostsAndHearsThemGo() {
        try (InMemoryExchange.Hub hub = new InMemoryExchange.Hub();
                AppsFixture a = AppsFixture.quiet(hub.member("a"));
                AppsFixture b = AppsFixture.quiet(hub.member("b"))) {
            List<TopologyEvent> eventsAtA = new CopyOnWriteArrayList<>();
            List<String> threadsAtA = new CopyOnWriteArrayList<>();
            a.topology().addListener(event -> {
                eventsAtA.add(event);
                threadsAtA.add(Thread.currentThread().getName());
            });
            List<String> hostEventsAtB = new CopyOnWriteArrayList<>();
            b.hosts().addListener(new HostListener() {
                @Override
                public void hostAdded(Host host) {
                    hostEventsAtB.add("added " + host.mac() + " at " + host.location());
                }

                @Override
                public void hostRemoved(Host host) {
                    hostEventsAtB.add("removed " + host.mac());
                }
            });
            EmulatedSwitch s1 = a.connect(0x0a, 2);
            EmulatedSwitch s2 = b.connect(0x0b, 2);
            Set<DatapathId> both = Set.of(s1.datapathId(), s2.datapathId());
            await().atMost(WAIT).until(() -> a.topology().current().switches().equals(both)
                    && b.topology().current().switches().equals(both));

            // s1's probe (sent by a) arrives at s2 (mastered by b): b checks it with the cluster's
            // key and makes the link, and a hears of it. And the other way round.
            AppsFixture.deliverLldp(s1, 1, s2, 2);
            AppsFixture.deliverLldp(s2, 2, s1, 1);
            Link forward = new Link(port(s1, 1), port(s2, 2), Link.Kind.DIRECT);
            Set<Link> cable = Set.of(forward, forward.reversed());
            await().atMost(WAIT).until(() -> a.topology().current().links().equals(cable)
                    && b.topology().current().links().equals(cable));
            for (AppsFixture member : List.of(a, b)) {
                Topology topology = member.topology().current();
                assertThat(topology.path(s1.datapathId(), s2.datapathId())).hasValue(List.of(forward));
                assertThat(topology.floodPorts(s1.datapathId())).containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(2));
                assertThat(topology.floodPorts(s2.datapathId())).containsExactlyInAnyOrder(OFPort.of(1), OFPort.of(2));
            }
            assertThat(eventsAtA).anySatisfy(event -> assertThat(event.linksAdded()).contains(forward));
            assertThat(threadsAtA).containsOnly("app-topology");

            // a host learnt by a at s1's edge port: b's host service finds it, and b's listeners hear of it
            s1.sendPacketIn(OFPort.of(2), Frames.arpRequest(H1, IPv4Address.of("10.0.0.1"), IPv4Address.of("10.0.0.3")));
            await().atMost(WAIT).until(() -> b.hosts().host(H1).isPresent());
            assertThat(b.hosts().host(H1).get().location()).isEqualTo(port(s1, 2));
            assertThat(b.hosts().hostWithIp(IPv4Address.of("10.0.0.1"))).isPresent();
            assertThat(b.hosts().hosts()).extracting(Host::mac).containsExactly(H1);
            assertThat(hostEventsAtB).containsExactly("added " + H1 + " at " + port(s1, 2));

            // a leaves the cluster: its switch, the link it found and its host go at b, told as changes
            hub.leave("a");
            await().atMost(WAIT).until(() -> b.topology().current().switches().equals(Set.of(s2.datapathId())));
            await().atMost(WAIT).until(() -> b.hosts().host(H1).isEmpty());
            // both links had s1 at one end: b's own (s1 -> s2) goes at once with s1, a's went with a's part
            assertThat(b.topology().current().links()).isEmpty();
            assertThat(hostEventsAtB).last().isEqualTo("removed " + H1);
        }
    }

    @Test
    void aHostThatTurnsUpAtThisMembersSwitchIsToldAsMovedFromTheOtherMembers() {
        try (InMemoryExchange.Hub hub = new InMemoryExchange.Hub();
                AppsFixture a = AppsFixture.quiet(hub.member("a"));
                AppsFixture b = AppsFixture.quiet(hub.member("b"))) {
            List<String> heardAtA = new CopyOnWriteArrayList<>();
            a.hosts().addListener(new HostListener() {
                @Override
                public void hostAdded(Host host) {
                    heardAtA.add("added at " + host.location());
                }

                @Override
                public void hostMoved(Host before, Host after) {
                    heardAtA.add("moved " + before.location() + " to " + after.location());
                }
            });
            EmulatedSwitch s1 = a.connect(0x0a, 2);
            EmulatedSwitch s2 = b.connect(0x0b, 2);
            s2.sendPacketIn(OFPort.of(1), Frames.arpRequest(H1, IPv4Address.of("10.0.0.1"), IPv4Address.of("10.0.0.3")));
            await().atMost(WAIT).until(() -> a.hosts().host(H1).map(Host::location).filter(port(s2, 1)::equals).isPresent());

            // the host turns up at a's switch: a learns it and tells it as a move from b's switch
            s1.sendPacketIn(OFPort.of(2), Frames.arpRequest(H1, IPv4Address.of("10.0.0.1"), IPv4Address.of("10.0.0.3")));
            await().atMost(WAIT).until(() -> heardAtA.size() == 2);
            assertThat(heardAtA).containsExactly("added at " + port(s2, 1), "moved " + port(s2, 1) + " to " + port(s1, 2));
            assertThat(a.hosts().hosts()).extracting(Host::location).containsExactly(port(s1, 2));
        }
    }
}
