package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/** What {@link Controller#stats()} counts, against emulated switches over real TCP. */
class ControllerStatsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private static SwitchStats statsOf(Controller controller, long dpid) {
        return controller.stats().switches().stream().filter(s -> s.id().equals(DatapathId.of(dpid)))
                .findFirst().orElseThrow();
    }

    private static OFMessage flowAdd(OFFactory factory) {
        return factory.buildFlowAdd().setPriority(1).build();
    }

    private static OFMessage packetOut(OFFactory factory) {
        return factory.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                .setActions(List.of(factory.actions().output(OFPort.of(2), 0))).setData(new byte[64]).build();
    }

    @Test
    void packetInsAndWhatIsSentAreCountedPerSwitchOnAndOffTheEventLoop() {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.versions(Set.of(OFVersion.OF_13)));
                LogCapture log = new LogCapture()) {
            // answers every packet-in on the event loop, in its read burst
            fixture.controller.packetIns().addProcessor("answering", 100, (sw, packetIn) -> {
                sw.write(flowAdd(sw.factory()));
                sw.write(packetOut(sw.factory()));
                return Disposition.CONTINUE;
            });
            fixture.controller.packetIns().addProcessor("broken", 200, (sw, packetIn) -> {
                throw new IllegalStateException("broken on purpose");
            });
            EmulatedSwitch emulator = fixture.connect(11);
            OFSwitch sw = fixture.awaitSwitch(emulator);
            fixture.awaitSwitch(fixture.connect(12));
            assertThat(fixture.controller.stats().connectedSwitches()).isEqualTo(2);

            for (int i = 0; i < 5; i++) {
                emulator.sendPacketIn(OFPort.of(1), new byte[64]);
            }
            // and from this thread, outside any burst: one alone, two together
            sw.write(flowAdd(sw.factory()));
            sw.writeAll(List.of(flowAdd(sw.factory()), packetOut(sw.factory())));

            await().atMost(PATIENCE).untilAsserted(() -> {
                SwitchStats stats = statsOf(fixture.controller, 11);
                assertThat(stats.packetIns()).isEqualTo(5);
                assertThat(stats.flowMods()).isEqualTo(5 + 2);
                assertThat(stats.packetOuts()).isEqualTo(5 + 1);
            });
            SwitchStats quiet = statsOf(fixture.controller, 12);
            assertThat(quiet.packetIns()).isZero();
            assertThat(quiet.flowMods()).isZero();
            assertThat(fixture.controller.stats().processorFailures()).containsExactlyEntriesOf(
                    java.util.Map.of("broken", 5L));

            emulator.close();
            await().atMost(PATIENCE).until(() -> fixture.controller.stats().connectedSwitches() == 1);
            assertThat(fixture.controller.stats().switches()).extracting(SwitchStats::id)
                    .containsExactly(DatapathId.of(12));
        }
    }

    @Test
    void echoRoundTripsAreMeasuredForTheControllersOwnEchoes() {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.echoInterval(Duration.ofMillis(100)))) {
            fixture.awaitSwitch(fixture.connect(3));

            await().atMost(PATIENCE).until(() -> statsOf(fixture.controller, 3).echoReplies() >= 2);
            SwitchStats stats = statsOf(fixture.controller, 3);
            assertThat(stats.echoRoundTripNanos()).isPositive();
            assertThat(stats.lastEchoRoundTripNanos()).isPositive().isLessThanOrEqualTo(stats.echoRoundTripNanos());
            assertThat(fixture.controller.stats().unhandledMessages()).as("the echo replies were handled").isZero();
        }
    }

    @Test
    void handshakeFailuresAreCountedByReason() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.versions(Set.of(OFVersion.OF_13))
                .handshakeTimeout(Duration.ofMillis(300)));
                LogCapture log = new LogCapture()) {
            ControllerStats stats = fixture.controller.stats();
            fixture.connect(EmulatedSwitchOptions.builder().datapathId(DatapathId.of(1))
                    .helloVersion(OFVersion.OF_10).supportedVersions(OFVersion.OF_10).build());
            await().atMost(PATIENCE).until(() -> stats.handshakeFailures(HandshakeFailure.NO_COMMON_VERSION) == 1);

            try (RawPeer rude = RawPeer.connect(fixture.address)) {
                rude.send(RawPeer.OF13.buildFeaturesReply().setDatapathId(DatapathId.of(2)).build()); // before HELLO
                await().atMost(PATIENCE).until(() -> stats.handshakeFailures(HandshakeFailure.PROTOCOL) == 1);
            }
            try (RawPeer silent = RawPeer.connect(fixture.address)) {
                await().atMost(PATIENCE).until(() -> stats.handshakeFailures(HandshakeFailure.TIMEOUT) == 1);
            }
            RawPeer.connect(fixture.address).close();
            await().atMost(PATIENCE).until(() -> stats.handshakeFailures(HandshakeFailure.CLOSED) == 1);

            assertThat(stats.handshakeFailures(HandshakeFailure.TLS)).isZero();
            assertThat(stats.handshakeFailures(HandshakeFailure.SWITCH_LIMIT)).isZero();
            assertThat(stats.connectedSwitches()).isZero();
            assertThat(stats.pendingConnections()).isZero();
        }
    }

    @Test
    void connectionsBeyondTheLimitsAreHandshakeFailures() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.maxSwitches(1).maxPendingConnections(1));
                LogCapture log = new LogCapture()) {
            ControllerStats stats = fixture.controller.stats();
            fixture.awaitSwitch(fixture.connect(1));
            fixture.connect(2);
            await().atMost(PATIENCE).until(() -> stats.handshakeFailures(HandshakeFailure.SWITCH_LIMIT) == 1);

            try (Socket first = new Socket(fixture.address.getAddress(), fixture.address.getPort());
                    Socket second = new Socket(fixture.address.getAddress(), fixture.address.getPort())) {
                await().atMost(PATIENCE).until(() -> stats.handshakeFailures(HandshakeFailure.PENDING_LIMIT) == 1);
            }
            assertThat(stats.connectedSwitches()).isEqualTo(1);
        }
    }
}
