package dev.switchboard.apps.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchService;
import dev.switchboard.controller.app.AppFlows;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/** The route bookkeeping on its own, fed from several threads at once as event loops would. */
class RouteFlowsTest {
    private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);
    private static final DatapathId S1 = DatapathId.of(1);
    private static final DatapathId S2 = DatapathId.of(2);
    private static final Link S1_TO_S2 = new Link(new SwitchPort(S1, OFPort.of(1)), new SwitchPort(S2, OFPort.of(1)),
            Link.Kind.DIRECT);

    private final AtomicInteger flowAdds = new AtomicInteger();
    private final AtomicInteger flowDeletes = new AtomicInteger();
    private final OFSwitch s1 = emulated(S1);
    private final OFSwitch s2 = emulated(S2);

    private OFSwitch emulated(DatapathId dpid) {
        return (OFSwitch) Proxy.newProxyInstance(OFSwitch.class.getClassLoader(), new Class<?>[] {OFSwitch.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> dpid;
                    case "factory" -> F;
                    case "isConnected" -> true;
                    case "write" -> {
                        if (args[0] instanceof OFFlowAdd) {
                            flowAdds.incrementAndGet();
                        } else if (args[0] instanceof OFFlowDelete) {
                            flowDeletes.incrementAndGet();
                        }
                        yield null;
                    }
                    case "hashCode" -> dpid.hashCode();
                    case "equals" -> proxy == args[0];
                    case "toString" -> dpid.toString();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private final SwitchService switches = new SwitchService() {
        @Override
        public Collection<OFSwitch> switches() {
            return List.of(s1, s2);
        }

        @Override
        public Optional<OFSwitch> getSwitch(DatapathId id) {
            return id.equals(S1) ? Optional.of(s1) : id.equals(S2) ? Optional.of(s2) : Optional.empty();
        }

        @Override
        public Registration addSwitchListener(dev.switchboard.controller.SwitchListener listener) {
            return () -> { };
        }

        @Override
        public Registration addErrorListener(dev.switchboard.controller.SwitchErrorListener listener) {
            return () -> { };
        }

        @Override
        public Registration addMessageListener(OFType type, dev.switchboard.controller.MessageListener listener) {
            return () -> { };
        }
    };

    private final AppFlows appFlows = new AppFlows() {
        @Override
        public U64 cookie() {
            return U64.of(0x5342_0600_0000_0000L);
        }

        @Override
        public CompletableFuture<Void> removeAll(OFSwitch sw) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> removeAll() {
            return CompletableFuture.completedFuture(null);
        }
    };

    private final RouteFlows flows = new RouteFlows(switches, appFlows, MacAddress.of("02:53:42:00:00:01"),
            Duration.ofSeconds(30));

    @Test
    void concurrentInstallsLoseNoNextHopAndNoPath() throws Exception {
        int threads = 4;
        int destinationsPerThread = 100;
        IPv4Address shared = IPv4Address.of("10.0.2.254");
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    boolean all = true;
                    for (int i = 0; i < destinationsPerThread; i++) {
                        IPv4Address destination = IPv4Address.of("10.3." + thread + "." + (i + 1));
                        // Half to a next hop of this thread's own, half through one next hop all share.
                        IPv4Address nextHop = i % 2 == 0 ? IPv4Address.of("10.0.1." + (thread + 1)) : shared;
                        MacAddress mac = MacAddress.of(0x02_00_00_00_01_00L | nextHop.getInt() & 0xFF);
                        all &= flows.install(destination, nextHop, mac, S1, new SwitchPort(S2, OFPort.of(2)),
                                List.of(S1_TO_S2));
                    }
                    return all;
                }));
            }
            for (Future<Boolean> future : done) {
                assertThat(future.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(flows.nextHopCount()).isEqualTo(threads + 1);
        assertThat(flows.nextHopsCrossing(List.of(S1_TO_S2), List.of())).hasSize(threads + 1);
        assertThat(flows.nextHopsWithMac(MacAddress.of(0x02_00_00_00_01_00L | 254))).containsExactly(shared);
        assertThat(flowAdds.get()).isEqualTo(threads * destinationsPerThread * 2);

        flows.remove(shared);
        assertThat(flows.nextHopCount()).isEqualTo(threads);
        assertThat(flows.nextHopsCrossing(Set.of(), Set.of(S1, S2))).doesNotContain(shared);
        assertThat(flowDeletes.get()).isEqualTo(2); // one delete by cookie on each switch of the path
    }
}
