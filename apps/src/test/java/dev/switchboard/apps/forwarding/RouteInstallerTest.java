package dev.switchboard.apps.forwarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.apps.testing.FakeTopology;
import dev.switchboard.apps.testing.RecordingSwitch;
import dev.switchboard.apps.testing.RecordingSwitch.Sent;
import dev.switchboard.controller.MessageListener;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchErrorListener;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.SwitchService;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppFlows;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.VlanVid;

class RouteInstallerTest {
    private final List<Sent> log = new CopyOnWriteArrayList<>();
    private final Map<DatapathId, RecordingSwitch> switches = Map.of(
            DatapathId.of(1), new RecordingSwitch(1, OFVersion.OF_13, log),
            DatapathId.of(2), new RecordingSwitch(2, OFVersion.OF_13, log),
            DatapathId.of(3), new RecordingSwitch(3, OFVersion.OF_10, log));

    private final SwitchService service = new SwitchService() {
        @Override
        public Collection<OFSwitch> switches() {
            return List.copyOf(switches.values());
        }

        @Override
        public Optional<OFSwitch> getSwitch(DatapathId id) {
            return Optional.ofNullable(switches.get(id));
        }

        @Override
        public Registration addSwitchListener(SwitchListener listener) {
            return () -> { };
        }

        @Override
        public Registration addErrorListener(SwitchErrorListener listener) {
            return () -> { };
        }

        @Override
        public Registration addMessageListener(OFType type, MessageListener listener) {
            return () -> { };
        }
    };

    private final AppFlows flows = new AppFlows() {
        @Override
        public U64 cookie() {
            return AppCookies.cookie(ForwardingApp.COOKIE_NUMBER);
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

    private static Set<Link> line() {
        Set<Link> links = new HashSet<>(FakeTopology.cable(1, 2, 2, 1));
        links.addAll(FakeTopology.cable(2, 2, 3, 1));
        return links;
    }

    @Test
    void installsDestinationFirstAndCompletesOnlyWhenEverySwitchAnsweredItsBarrier() {
        FakeTopology topology = new FakeTopology(1, Set.of(DatapathId.of(1), DatapathId.of(2), DatapathId.of(3)),
                line(), Map.of(), Set.of());
        RouteKey key = new RouteKey(MacAddress.of(0xa), MacAddress.of(0xb), VlanVid.ZERO);
        Route route = Route.along(key, 7, new SwitchPort(DatapathId.of(1), OFPort.of(5)),
                topology.path(DatapathId.of(1), DatapathId.of(3)).orElseThrow(),
                new SwitchPort(DatapathId.of(3), OFPort.of(4)));
        RouteInstaller installer = new RouteInstaller(service, flows, 2000, 30, 0);

        CompletableFuture<Void> installed = installer.install(route);

        assertThat(log.stream().filter(s -> s.message() instanceof OFFlowAdd).map(s -> s.dpid().getLong()))
                .containsExactly(3L, 2L, 1L);
        assertThat(log.stream().map(s -> s.dpid().getLong() + ":" + s.message().getType())).containsExactly(
                "3:FLOW_MOD", "3:BARRIER_REQUEST", "2:FLOW_MOD", "2:BARRIER_REQUEST", "1:FLOW_MOD", "1:BARRIER_REQUEST");
        assertThat(log.stream().filter(s -> s.message() instanceof OFFlowAdd).map(s -> {
            OFFlowAdd flow = (OFFlowAdd) s.message();
            return flow.getMatch().get(MatchField.IN_PORT).getPortNumber() + ">" + flow.getCookie();
        })).containsExactly("1>" + flows.cookie(7), "1>" + flows.cookie(7), "5>" + flows.cookie(7));
        assertThat(log.stream().filter(s -> s.message() instanceof OFBarrierRequest)).hasSize(3);

        switches.get(DatapathId.of(3)).answerBarriers();
        switches.get(DatapathId.of(1)).answerBarriers();
        assertThat(installed).isNotDone();
        switches.get(DatapathId.of(2)).answerBarriers();
        assertThat(installed).isCompleted();
        assertThat(installer.route(key)).contains(route);
    }

    @Test
    void tagsAreNeverReusedAndCarryTheRunsEpoch() {
        RouteInstaller installer = new RouteInstaller(service, flows, 2000, 30, 0, () -> 3);
        long base = 3L << RouteInstaller.SEQUENCE_BITS;
        assertThat(LongStream.range(0, 5).map(i -> installer.nextTag()).toArray())
                .containsExactly(base + 1, base + 2, base + 3, base + 4, base + 5);
    }

    /**
     * Two runs draw different epochs, so the second run's first tags are not the first run's
     * even before it saw any of them; should the draw clash with the epoch of kept flows, the
     * next tags move to another epoch.
     */
    @Test
    void aNewRunsTagsNeverEqualTheKeptFlowsTags() {
        java.util.Iterator<Long> draws = List.of(5L, 6L, 5L, 9L).iterator();
        java.util.function.LongSupplier epochs = draws::next;
        RouteInstaller first = new RouteInstaller(service, flows, 2000, 30, 0, epochs);
        List<Long> kept = LongStream.range(0, 3).map(i -> first.nextTag()).boxed().toList();
        RouteInstaller second = new RouteInstaller(service, flows, 2000, 30, 0, epochs);
        assertThat(second.nextTag()).isNotIn(kept);
        kept.forEach(second::tagSeen); // epoch 5 is not second's (6): nothing moves
        assertThat(RouteInstaller.epoch(second.nextTag())).isEqualTo(6);

        RouteInstaller clashing = new RouteInstaller(service, flows, 2000, 30, 0, epochs); // draws 5, as the first run
        kept.forEach(clashing::tagSeen);
        long next = clashing.nextTag();
        assertThat(RouteInstaller.epoch(next)).isEqualTo(9);
        assertThat(next).isNotIn(kept);
    }
}
