package dev.switchboard.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.Registration;
import dev.switchboard.topology.Frames;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
import dev.switchboard.topology.TopologyService;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The tracker on its own, fed packet-ins directly, with a topology the test swaps at exact
 * moments: the races between discovery and learning cannot be timed through a real switch.
 */
class HostTrackerTest {
    private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);
    private static final DatapathId S1 = DatapathId.of(1);
    private static final MacAddress H1 = MacAddress.of("00:00:00:00:00:01");
    private static final IPv4Address TARGET = IPv4Address.of("10.0.0.254");
    private static final SwitchPort S1_P1 = new SwitchPort(S1, OFPort.of(1));
    private static final Link S1_TO_S2 = new Link(S1_P1, new SwitchPort(DatapathId.of(2), OFPort.of(1)),
            Link.Kind.DIRECT);

    /** Hands out the queued snapshots one per call, then repeats the last. */
    private static final class ScriptedTopology implements TopologyService {
        final Deque<Topology> next = new ArrayDeque<>();
        Topology last;

        ScriptedTopology(Topology... snapshots) {
            next.addAll(List.of(snapshots));
        }

        @Override
        public Topology current() {
            if (!next.isEmpty()) {
                last = next.poll();
            }
            return last;
        }

        @Override
        public Registration addListener(dev.switchboard.topology.TopologyListener listener) {
            return () -> { };
        }
    }

    private record Snapshot(Set<Link> links) implements Topology {
        @Override
        public long version() {
            return 1;
        }

        @Override
        public Set<DatapathId> switches() {
            return Set.of(S1, DatapathId.of(2));
        }

        @Override
        public Set<Link> linksFrom(DatapathId dpid) {
            return Set.of();
        }

        @Override
        public boolean isInterSwitchPort(SwitchPort port) {
            return links.stream().anyMatch(l -> l.src().equals(port) || l.dst().equals(port));
        }

        @Override
        public Optional<List<Link>> path(DatapathId from, DatapathId to) {
            return Optional.empty();
        }

        @Override
        public Set<OFPort> floodPorts(DatapathId dpid) {
            return Set.of();
        }

        @Override
        public boolean acceptsBroadcast(SwitchPort port) {
            return true;
        }
    }

    private static final Topology NO_LINKS = new Snapshot(Set.of());
    private static final Topology LINKED = new Snapshot(Set.of(S1_TO_S2, S1_TO_S2.reversed()));

    private static OFSwitch switchS1() {
        return (OFSwitch) Proxy.newProxyInstance(OFSwitch.class.getClassLoader(), new Class<?>[] {OFSwitch.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> S1;
                    case "factory" -> F;
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    case "toString" -> "s1";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static OFPacketIn packetIn(int port, byte[] frame) {
        return F.buildPacketIn()
                .setBufferId(OFBufferId.NO_BUFFER)
                .setReason(OFPacketInReason.NO_MATCH)
                .setMatch(F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(port)).build())
                .setData(frame)
                .build();
    }

    private static byte[] arpFrom(MacAddress mac, IPv4Address ip) {
        return Frames.arpRequest(mac, ip, TARGET);
    }

    @Test
    void aLinkPublishedWhileTheHostIsLearntKeepsItsPortFreeOfHosts() {
        // The packet path sees no link; by the time the tracker takes its lock, the link is published.
        HostTracker tracker = new HostTracker(new ScriptedTopology(NO_LINKS, LINKED), HostsConfig.defaults());

        tracker.process(switchS1(), packetIn(1, arpFrom(H1, IPv4Address.of("10.0.0.1"))));

        assertThat(tracker.host(H1)).isEmpty();
    }

    @Test
    void transitTrafficDoesNotKeepAliveAHostAtAnInterSwitchPort() {
        ScriptedTopology topology = new ScriptedTopology(NO_LINKS);
        HostTracker tracker = new HostTracker(topology, HostsConfig.defaults());
        tracker.process(switchS1(), packetIn(1, arpFrom(H1, IPv4Address.of("10.0.0.1"))));
        assertThat(tracker.host(H1)).isPresent();

        // The port turned out to be a link (and the listener's clean-up was missed): the
        // host's own packets crossing it must not refresh it.
        topology.next.add(LINKED);
        tracker.process(switchS1(), packetIn(1, arpFrom(H1, IPv4Address.of("10.0.0.1"))));

        assertThat(tracker.host(H1)).isEmpty();
        assertThat(tracker.hostWithIp(IPv4Address.of("10.0.0.1"))).isEmpty();
    }

    @Test
    void aHostKeepsOnlyItsNewestAddressesAndForgetsTheOldestOnes() {
        HostTracker tracker = new HostTracker(new ScriptedTopology(NO_LINKS), HostsConfig.defaults());
        int sent = HostTracker.MAX_ADDRESSES_PER_FAMILY + 3;
        for (int i = 1; i <= sent; i++) {
            tracker.process(switchS1(), packetIn(1, arpFrom(H1, IPv4Address.of("10.0.1." + i))));
        }

        Host host = tracker.host(H1).orElseThrow();
        assertThat(host.ipv4()).hasSize(HostTracker.MAX_ADDRESSES_PER_FAMILY);
        for (int i = 1; i <= 3; i++) {
            assertThat(host.ipv4()).doesNotContain(IPv4Address.of("10.0.1." + i));
            assertThat(tracker.hostWithIp(IPv4Address.of("10.0.1." + i))).isEmpty();
        }
        assertThat(tracker.hostWithIp(IPv4Address.of("10.0.1." + sent))).hasValue(host);
    }

    @Test
    void aFullTableLearnsNoNewHostsButStillServesKnownOnes() {
        HostTracker tracker = new HostTracker(new ScriptedTopology(NO_LINKS), new HostsConfig(null, 2));
        for (int i = 1; i <= 5; i++) {
            tracker.process(switchS1(), packetIn(2, arpFrom(MacAddress.of(i), IPv4Address.of("10.0.2." + i))));
        }

        assertThat(tracker.hosts()).extracting(Host::mac).containsExactlyInAnyOrder(MacAddress.of(1), MacAddress.of(2));
        assertThat(tracker.refusedHosts()).isEqualTo(3);
        tracker.process(switchS1(), packetIn(2, arpFrom(MacAddress.of(1), IPv4Address.of("10.0.2.101"))));
        assertThat(tracker.hostWithIp(IPv4Address.of("10.0.2.101")).map(Host::mac)).hasValue(MacAddress.of(1));
    }

    /** Runs {@code hook} once, inside the first call of {@link #current()} after it was armed. */
    private static final class HookedTopology implements TopologyService {
        Runnable hook;

        @Override
        public Topology current() {
            Runnable once = hook;
            hook = null;
            if (once != null) {
                once.run();
            }
            return NO_LINKS;
        }

        @Override
        public Registration addListener(dev.switchboard.topology.TopologyListener listener) {
            return () -> { };
        }
    }

    @Test
    void aSightingWrittenOnAnEntryReplacedMeanwhileReachesTheCurrentEntry() {
        HookedTopology topology = new HookedTopology();
        HostTracker tracker = new HostTracker(topology, HostsConfig.defaults());
        IPv4Address first = IPv4Address.of("10.0.4.1");
        tracker.process(switchS1(), packetIn(1, arpFrom(H1, first)));
        long before = System.nanoTime();
        // Between the packet path's read of the entry and its write, another loop publishes a
        // replacement (a new address) made from times it read a little earlier.
        topology.hook = () -> tracker.learn(H1.getLong(), 0, S1_P1, true, IPv4Address.of("10.0.4.2").getInt(), 0, 0,
                before - TimeUnit.MILLISECONDS.toNanos(500));

        tracker.process(switchS1(), packetIn(1, arpFrom(H1, first)));

        HostEntry current = tracker.table().get(new HostKey(HostKey.of(H1.getLong(), 0)));
        assertThat(current.host.ipv4()).as("the replacement was published").contains(IPv4Address.of("10.0.4.2"));
        assertThat(current.lastSeenNanos - before).as("the packet's sighting is on the current entry")
                .isGreaterThanOrEqualTo(0);
        assertThat(current.seenAtLocationNanos - before).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aNewAddressSeenElsewhereNeitherMovesTheHostWithinTheHoldNorRenewsTheHold() {
        HostTracker tracker = new HostTracker(new ScriptedTopology(NO_LINKS), HostsConfig.defaults());
        SwitchPort p2 = new SwitchPort(S1, OFPort.of(2));
        long t0 = System.nanoTime();
        long hold = HostTracker.MOVE_HOLD_NANOS;
        tracker.learn(H1.getLong(), 0, S1_P1, true, IPv4Address.of("10.0.5.1").getInt(), 0, 0, t0);

        // a stray packet at p2, with an address not known yet, within the hold
        tracker.learn(H1.getLong(), 0, p2, true, IPv4Address.of("10.0.5.2").getInt(), 0, 0, t0 + hold * 6 / 10);
        assertThat(tracker.host(H1).orElseThrow().location()).as("within the hold").isEqualTo(S1_P1);

        // the host sends from p2 once it has been quiet at p1 for the hold: it moves
        tracker.learn(H1.getLong(), 0, p2, true, IPv4Address.of("10.0.5.2").getInt(), 0, 0, t0 + hold * 12 / 10);
        assertThat(tracker.host(H1).orElseThrow().location()).as("the hold counts from the last packet at p1")
                .isEqualTo(p2);
    }

    @Test
    void removingAHostLeavesAnAddressAnotherHostClaimedSince() {
        HostTracker tracker = new HostTracker(new ScriptedTopology(NO_LINKS), HostsConfig.defaults());
        IPv4Address shared = IPv4Address.of("10.0.3.1");
        tracker.process(switchS1(), packetIn(1, arpFrom(H1, shared)));
        tracker.process(switchS1(), packetIn(2, arpFrom(MacAddress.of(2), shared)));

        tracker.portRemoved(switchS1(), F.buildPortDesc().setPortNo(OFPort.of(1)).build());

        assertThat(tracker.host(H1)).isEmpty();
        assertThat(tracker.hostWithIp(shared).map(Host::mac)).hasValue(MacAddress.of(2));
    }

    @Test
    void listenersAreToldAfterTheChangeIsPublishedAndOutsideTheUpdate() {
        HostTracker tracker = new HostTracker(new ScriptedTopology(NO_LINKS), HostsConfig.defaults());
        List<String> seen = new java.util.ArrayList<>();
        tracker.addListener(new HostListener() {
            @Override
            public void hostAdded(Host host) {
                // The table the listener reads already holds the host, and a change made from
                // inside the call (no lock is held, so it cannot deadlock) is told after it returns.
                seen.add("added, visible=" + tracker.host(host.mac()).isPresent());
                tracker.process(switchS1(), packetIn(1, arpFrom(host.mac(), IPv4Address.of("10.0.0.2"))));
                seen.add("added returns");
            }

            @Override
            public void hostUpdated(Host before, Host after) {
                seen.add("updated, visible=" + tracker.hostWithIp(IPv4Address.of("10.0.0.2")).isPresent());
            }
        });

        tracker.process(switchS1(), packetIn(1, arpFrom(H1, IPv4Address.of("10.0.0.1"))));

        assertThat(seen).containsExactly("added, visible=true", "added returns", "updated, visible=true");
    }

    @Test
    void concurrentLearnersLoseNoHostNoAddressAndNoEvent() throws Exception {
        ScriptedTopology topology = new ScriptedTopology(NO_LINKS);
        topology.current(); // from now on the script repeats NO_LINKS, safe from any thread
        HostTracker tracker = new HostTracker(topology, HostsConfig.defaults());
        java.util.concurrent.atomic.AtomicInteger added = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger updated = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
        tracker.addListener(new HostListener() {
            @Override
            public void hostAdded(Host host) {
                enter();
                added.incrementAndGet();
                inside.decrementAndGet();
            }

            @Override
            public void hostUpdated(Host before, Host after) {
                enter();
                updated.incrementAndGet();
                inside.decrementAndGet();
            }

            private void enter() {
                if (inside.incrementAndGet() != 1) {
                    overlapped.set(true);
                }
            }
        });
        int threads = 4;
        int hostsPerThread = 200;
        MacAddress shared = MacAddress.of(0x02_00_00_00_ff_ffL);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < hostsPerThread; i++) {
                        MacAddress mac = MacAddress.of(0x02_00_00_00_00_00L | (thread << 16) | (i + 1));
                        tracker.process(switchS1(), packetIn(2, arpFrom(mac, IPv4Address.of("10." + thread + ".0." + (i + 1)))));
                    }
                    // Every thread also gives one shared host an address of its own.
                    tracker.process(switchS1(), packetIn(3, arpFrom(shared, IPv4Address.of("10.100.0." + (thread + 1)))));
                    return null;
                }));
            }
            for (var future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(tracker.hosts()).hasSize(threads * hostsPerThread + 1);
        assertThat(tracker.host(shared).orElseThrow().ipv4()).hasSize(threads);
        for (int t = 0; t < threads; t++) {
            assertThat(tracker.hostWithIp(IPv4Address.of("10." + t + ".0.7")).map(Host::mac))
                    .hasValue(MacAddress.of(0x02_00_00_00_00_00L | (t << 16) | 7));
        }
        assertThat(added.get()).isEqualTo(threads * hostsPerThread + 1);
        assertThat(updated.get()).isEqualTo(threads - 1);
        assertThat(overlapped).isFalse();
    }
}
