package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFErrorType;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowModFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

class HandshakeTest {

    private static EmulatedSwitchOptions.Builder emulator(long dpid) {
        return EmulatedSwitchOptions.builder().datapathId(DatapathId.of(dpid));
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13", "OF_14", "OF_15"})
    void switchBecomesReadyWithItsDatapathIdAndPorts(OFVersion version) {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = fixture.connect(emulator(0xab).helloVersion(version)
                    .supportedVersions(EnumSet.of(version)).portCount(3).build());

            OFSwitch sw = fixture.awaitSwitch(emulator);

            assertThat(sw.id()).isEqualTo(DatapathId.of(0xab));
            assertThat(sw.version()).isEqualTo(version);
            assertThat(sw.ports().values()).extracting(OFPortDesc::getName).contains("eth1", "eth2", "eth3");
            assertThat(sw.description().manufacturer()).isEqualTo("Switchboard");
            assertThat(fixture.events).containsExactly("added " + sw.id() + " " + sw.remoteAddress().getPort());
            assertThat(emulator.received(OFSetConfig.class)).hasSize(1);
            assertThat(emulator.received(OFDescStatsRequest.class)).hasSize(1);
            assertThat(emulator.received(OFBarrierRequest.class)).hasSize(1);
            List<OFFlowAdd> flows = emulator.received(OFFlowAdd.class);
            if (version == OFVersion.OF_10) {
                assertThat(flows).as("1.0 sends table misses to the controller without a flow").isEmpty();
            } else {
                assertThat(flows).singleElement().satisfies(HandshakeTest::isTableMissToController);
            }
        }
    }

    private static void isTableMissToController(OFFlowAdd flow) {
        assertThat(flow.getPriority()).isZero();
        assertThat(flow.getMatch().getMatchFields()).isEmpty();
        OFInstructionApplyActions apply = (OFInstructionApplyActions) flow.getInstructions().get(0);
        assertThat(((OFActionOutput) apply.getActions().get(0)).getPort()).isEqualTo(OFPort.CONTROLLER);
    }

    @Test
    void negotiatesHighestVersionInBothBitmaps() {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.versions(EnumSet.of(OFVersion.OF_10, OFVersion.OF_13)))) {
            OFSwitch sw = fixture.connectReady(emulator(1).helloVersion(OFVersion.OF_15)
                    .supportedVersions(EnumSet.of(OFVersion.OF_10, OFVersion.OF_13, OFVersion.OF_15)).build());

            assertThat(sw.version()).isEqualTo(OFVersion.OF_13);
        }
    }

    @Test
    void negotiatesLowerHelloVersionWithoutBitmap() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            OFSwitch sw = fixture.connectReady(emulator(1).helloVersion(OFVersion.OF_14).sendVersionBitmap(false).build());

            assertThat(sw.version()).isEqualTo(OFVersion.OF_14);
        }
    }

    @Test
    void acceptsHelloOfAFutureVersion() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            OFSwitch sw = fixture.connectReady(emulator(1).helloVersion(OFVersion.OF_13)
                    .supportedVersions(EnumSet.of(OFVersion.OF_10, OFVersion.OF_13)).helloWireVersionOverride(7).build());

            assertThat(sw.version()).isEqualTo(OFVersion.OF_13);
        }
    }

    @Test
    void refusesSwitchWithoutCommonVersion() {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.versions(EnumSet.of(OFVersion.OF_13)));
                LogCapture log = new LogCapture()) {
            EmulatedSwitch emulator = fixture.connect(emulator(1).helloVersion(OFVersion.OF_10)
                    .supportedVersions(EnumSet.of(OFVersion.OF_10)).build());

            await().atMost(Duration.ofSeconds(5)).until(() -> emulator.closeFuture().isDone());
            assertThat(emulator.received(OFErrorMsg.class)).singleElement()
                    .satisfies(e -> assertThat(e.getErrType()).isEqualTo(OFErrorType.HELLO_FAILED));
            assertThat(log.warningsContaining("no common OpenFlow version")).hasSize(1);
            assertThat(fixture.controller.switches().switches()).isEmpty();
        }
    }

    @Test
    void collectsPortDescriptionsSentInSeveralParts() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            OFSwitch sw = fixture.connectReady(emulator(1).portCount(5).portsPerDescReply(2).build());

            assertThat(sw.ports().values()).extracting(OFPortDesc::getName)
                    .containsExactlyInAnyOrder("eth1", "eth2", "eth3", "eth4", "eth5");
        }
    }

    @Test
    void portStatusDuringHandshakeIsKeptAndAppliedWhenReady() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = EmulatedSwitch.prepare(emulator(1).build());
            emulator.onMessage(OFType.BARRIER_REQUEST, barrier -> List.<OFMessage>of(
                    emulator.factory().buildPortStatus().setReason(OFPortReason.ADD)
                            .setDesc(emulator.portDesc(9, "late9")).build(),
                    emulator.factory().buildBarrierReply().setXid(barrier.getXid()).build()));

            OFSwitch sw = fixture.awaitSwitch(fixture.connect(emulator));

            // in the ports before the switch was announced: switchAdded saw it, no port event tells it again
            assertThat(sw.port(OFPort.of(9))).isPresent();
            await().atMost(Duration.ofSeconds(5)).until(() -> !fixture.events.isEmpty());
            assertThat(fixture.events).singleElement().asString().startsWith("added ");
            assertThat(emulator.isConnected()).isTrue();
        }
    }

    @Test
    void disconnectsSwitchThatStallsInTheHandshake() {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.handshakeTimeout(Duration.ofMillis(300)));
                LogCapture log = new LogCapture()) {
            EmulatedSwitch emulator = EmulatedSwitch.prepare(emulator(1).build());
            emulator.onMessage(OFType.FEATURES_REQUEST, request -> List.of());
            fixture.connect(emulator);

            await().atMost(Duration.ofSeconds(5)).until(() -> emulator.closeFuture().isDone());
            assertThat(log.warningsContaining("stuck in WAIT_FEATURES_REPLY")).hasSize(1);
            assertThat(fixture.controller.switches().switches()).isEmpty();
        }
    }

    @Test
    void switchThatRefusesTheTableMissFlowIsNotAnnounced() {
        try (ControllerFixture fixture = new ControllerFixture(); LogCapture log = new LogCapture()) {
            EmulatedSwitch emulator = EmulatedSwitch.prepare(emulator(1).helloVersion(OFVersion.OF_13)
                    .supportedVersions(EnumSet.of(OFVersion.OF_13)).build());
            emulator.onMessage(OFType.FLOW_MOD, flow -> List.of(emulator.factory().errorMsgs().buildFlowModFailedErrorMsg()
                    .setXid(flow.getXid()).setCode(OFFlowModFailedCode.TABLE_FULL).build()));
            fixture.connect(emulator);

            await().atMost(Duration.ofSeconds(5)).until(() -> emulator.closeFuture().isDone());
            assertThat(log.warningsContaining("refused the table-miss flow")).singleElement().asString().contains("TABLE_FULL");
            assertThat(fixture.events).isEmpty();
        }
    }

    @Test
    void failedBindLeavesNothingBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int free;
            try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                free = probe.getLocalPort();
            }
            Controller controller = new Controller(ControllerConfig.builder().listen(
                    new InetSocketAddress("127.0.0.1", free), new InetSocketAddress("127.0.0.1", taken.getLocalPort())).build());

            assertThatThrownBy(controller::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
            try (ServerSocket again = new ServerSocket(free, 50, InetAddress.getLoopbackAddress())) {
                assertThat(again.getLocalPort()).isEqualTo(free);
            }
            controller.close();
        }
    }
}
