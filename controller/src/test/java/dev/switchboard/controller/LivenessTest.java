package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.types.DatapathId;

class LivenessTest {

    @Test
    void answersTheSwitchsEchoRequests() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch emulator = fixture.connect(7);
            fixture.awaitSwitch(emulator);

            emulator.send(emulator.factory().buildEchoRequest().setXid(77).setData(new byte[] {1, 2, 3}).build());

            OFEchoReply reply = await().atMost(Duration.ofSeconds(5))
                    .until(() -> emulator.received(OFEchoReply.class), r -> !r.isEmpty()).get(0);
            assertThat(reply.getXid()).isEqualTo(77);
            assertThat(reply.getData()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void disconnectsSwitchThatStopsAnsweringEchoesAndKeepsTheOthers() {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.echoInterval(Duration.ofMillis(100)).maxMissedEchoes(2));
                LogCapture log = new LogCapture()) {
            EmulatedSwitch silent = fixture.connect(EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(1)).answerEchoes(false).build());
            EmulatedSwitch lively = fixture.connect(2);
            OFSwitch silentSwitch = fixture.awaitSwitch(silent);
            fixture.awaitSwitch(lively);

            await().atMost(Duration.ofSeconds(5)).until(() -> silent.closeFuture().isDone());

            assertThat(silent.received(OFEchoRequest.class)).hasSizeGreaterThanOrEqualTo(2);
            assertThat(log.warningsContaining("echo requests unanswered")).hasSize(1);
            assertThat(fixture.events).contains("removed " + silentSwitch.id() + " " + silentSwitch.remoteAddress().getPort());
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(lively::isConnected);
            assertThat(fixture.controller.switches().getSwitch(DatapathId.of(2))).isPresent();
        }
    }

    @Test
    void secondConnectionWithTheSameDatapathIdReplacesTheFirst() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            EmulatedSwitch first = fixture.connect(5);
            OFSwitch firstSwitch = fixture.awaitSwitch(first);
            EmulatedSwitch second = fixture.connect(5);
            OFSwitch secondSwitch = fixture.awaitSwitch(second);

            await().atMost(Duration.ofSeconds(5)).until(() -> first.closeFuture().isDone());
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(second::isConnected);
            DatapathId id = DatapathId.of(5);
            assertThat(fixture.events).containsExactly(
                    "added " + id + " " + firstSwitch.remoteAddress().getPort(),
                    "removed " + id + " " + firstSwitch.remoteAddress().getPort(),
                    "added " + id + " " + secondSwitch.remoteAddress().getPort());
            assertThat(fixture.controller.switches().switches()).containsExactly(secondSwitch);
            assertThat(firstSwitch.isConnected()).isFalse();
            assertThat(secondSwitch.barrier()).succeedsWithin(Duration.ofSeconds(5));
        }
    }
}
