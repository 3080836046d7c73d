package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of bad input closes only the connection that sent it, logged once with the
 * peer's address and what was wrong, while a healthy switch beside it goes on working.
 */
class BadInputTest {
    private static final int MAX_MESSAGE = 2048;

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("garbage bytes", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        "unsupported OpenFlow version 0x47"),
                Arguments.of("unsupported version", new byte[] {9, 2, 0, 8, 0, 0, 0, 1}, "unsupported OpenFlow version 0x09"),
                Arguments.of("version zero", new byte[] {0, 0, 0, 8, 0, 0, 0, 1}, "unsupported OpenFlow version 0x00"),
                Arguments.of("length below header", new byte[] {4, 2, 0, 4, 0, 0, 0, 1}, "smaller than the 8-byte OpenFlow header"),
                Arguments.of("length above maximum", new byte[] {4, 10, 0x10, 0x00, 0, 0, 0, 1}, "4096 bytes exceeds the maximum of 2048"),
                Arguments.of("unparseable message", new byte[] {4, 6, 0, 12, 0, 0, 0, 1, 1, 2, 3, 4}, "cannot parse"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void closesOnlyTheOffendingConnection(String kind, byte[] bytes, String expectedReason) {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.maxMessageBytes(MAX_MESSAGE));
                LogCapture log = new LogCapture()) {
            OFSwitch healthy = fixture.awaitSwitch(fixture.connect(1));
            EmulatedSwitch offender = fixture.connect(2);
            fixture.awaitSwitch(offender);

            offender.sendRaw(bytes);

            await().atMost(Duration.ofSeconds(5)).until(() -> offender.closeFuture().isDone());
            String peer = "127.0.0.1:" + offender.localAddress().getPort();
            assertThat(log.warningsContaining(peer)).singleElement().asString().contains(expectedReason);
            assertThat(fixture.controller.counters().connectionsClosedForBadInput()).isEqualTo(1);
            assertThat(healthy.barrier()).succeedsWithin(Duration.ofSeconds(5));
            assertThat(fixture.controller.switches().switches()).containsExactly(healthy);
        }
    }

    @Test
    void badInputInsteadOfHelloIsHandledTheSameWay() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture(); LogCapture log = new LogCapture();
                Socket peer = new Socket(fixture.address.getAddress(), fixture.address.getPort())) {
            OFSwitch healthy = fixture.awaitSwitch(fixture.connect(1));

            peer.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
            peer.getOutputStream().flush();

            peer.setSoTimeout(5000);
            InputStream in = peer.getInputStream();
            byte[] buffer = new byte[256];
            int total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
            assertThat(total).as("only our HELLO comes back before the close").isLessThanOrEqualTo(16);
            await().atMost(Duration.ofSeconds(5)).until(() -> !log.warningsContaining(":" + peer.getLocalPort()).isEmpty());
            assertThat(log.warningsContaining(":" + peer.getLocalPort())).singleElement().asString()
                    .contains("unsupported OpenFlow version 0x53");
            assertThat(fixture.controller.switches().switches()).containsExactly(healthy);
            assertThat(healthy.barrier()).succeedsWithin(Duration.ofSeconds(5));
        }
    }

    @Test
    void skipsWellFramedMessagesOpenflowjDoesNotKnow() {
        try (ControllerFixture fixture = new ControllerFixture(); LogCapture log = new LogCapture()) {
            EmulatedSwitch emulator = fixture.connect(1);
            OFSwitch sw = fixture.awaitSwitch(emulator);

            emulator.sendRaw(new byte[] {4, 4, 0, 16, 0, 0, 0, 1, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1});
            emulator.sendRaw(new byte[] {4, 4, 0, 16, 0, 0, 0, 2, 0x00, 0x00, 0x23, 0x20, 0, 0, 0, (byte) 200});
            emulator.sendRaw(new byte[] {4, 99, 0, 8, 0, 0, 0, 3});

            // the emulator's own writes from this thread may be overtaken by its barrier reply: wait for the count
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.controller.counters().unknownMessagesSkipped() == 3);
            assertThat(sw.barrier()).succeedsWithin(Duration.ofSeconds(5));
            assertThat(emulator.isConnected()).isTrue();
            assertThat(log.warnings()).isEmpty();
        }
    }
}
