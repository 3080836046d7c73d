package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.types.DatapathId;

/** The limits that keep a peer, or many, from holding the controller's memory. */
class LimitsTest {
    private static final byte[] BIG_ECHO = RawPeer.bytesOf(RawPeer.OF13.buildEchoRequest()
            .setXid(9).setData(new byte[0xffff - 8]).build());

    @Test
    void switchThatStaysUnwritableIsClosedWithOneWarning() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.maxUnwritable(Duration.ofMillis(500)));
                LogCapture log = new LogCapture(); RawPeer flooder = RawPeer.connect(fixture.address)) {
            EmulatedSwitch healthy = fixture.connect(1);
            fixture.awaitSwitch(healthy);
            flooder.handshake(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.controller.switches().switches().size() == 2);

            flooder.flood(BIG_ECHO);

            await().atMost(Duration.ofSeconds(10)).until(flooder::floodEnded);
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.controller.switches().switches().size() == 1);
            List<String> warnings = log.warningsContaining(":" + flooder.localPort());
            assertThat(warnings).singleElement().asString()
                    .contains("switch 00:00:00:00:00:00:00:02")
                    .contains("has not taken what the controller sends for PT0.5S");
            assertThat(log.warnings()).hasSize(1);
            assertThat(fixture.controller.counters().connectionsClosedUnwritable()).isEqualTo(1);
            assertThat(fixture.controller.stats().connectionsClosedUnwritable()).isEqualTo(1);
            assertThat(fixture.controller.stats().writeStalls()).isPositive();
            assertThat(fixture.controller.switches().getSwitch(DatapathId.of(1))).isPresent();
            assertThat(fixture.controller.switches().getSwitch(DatapathId.of(1)).orElseThrow().barrier())
                    .succeedsWithin(Duration.ofSeconds(5));
        }
    }

    @Test
    void connectionsBeyondMaxPendingAreClosedAtOnceAndLoggedOnce() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (ControllerFixture fixture = new ControllerFixture(c -> c.maxPendingConnections(2));
                LogCapture log = new LogCapture()) {
            for (int i = 0; i < 2; i++) {
                Socket pending = open(fixture, sockets);
                assertThat(RawPeer.read(new DataInputStream(pending.getInputStream()))).isInstanceOf(OFHello.class);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.controller.counters().pendingConnections() == 2);

            for (int i = 0; i < 5; i++) {
                Socket refused = open(fixture, sockets);
                assertThat(closedWithoutAWord(refused)).as("refused connection %d is closed at once", i).isTrue();
            }

            assertThat(fixture.controller.counters().connectionsRefused()).isEqualTo(5);
            assertThat(log.warningsContaining("maxPendingConnections")).singleElement().asString()
                    .contains("refused: 2 connections are in their handshake");

            sockets.get(0).close();
            sockets.get(1).close();
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.controller.counters().pendingConnections() == 0);
            fixture.awaitSwitch(fixture.connect(1));
            assertThat(fixture.controller.counters().pendingConnections()).isZero();
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void switchesBeyondMaxSwitchesAreRefusedButOneReconnectingStillReplacesItself() {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.maxSwitches(2)); LogCapture log = new LogCapture()) {
            fixture.awaitSwitch(fixture.connect(1));
            EmulatedSwitch second = fixture.connect(2);
            fixture.awaitSwitch(second);

            EmulatedSwitch third = fixture.connect(3);
            await().atMost(Duration.ofSeconds(5)).until(() -> third.closeFuture().isDone());
            assertThat(log.warningsContaining("maxSwitches")).singleElement().asString()
                    .contains(":" + third.localAddress().getPort())
                    .contains("switch 00:00:00:00:00:00:00:03")
                    .contains("refused: 2 switches are connected");
            assertThat(fixture.controller.counters().connectionsRefused()).isEqualTo(1);
            assertThat(fixture.controller.switches().getSwitch(DatapathId.of(3))).isEmpty();

            EmulatedSwitch again = fixture.connect(1);
            fixture.awaitSwitch(again);

            second.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.controller.switches().switches().size() == 1);
            fixture.awaitSwitch(fixture.connect(4));
            assertThat(fixture.controller.counters().pendingConnections()).isZero();
        }
    }

    private static Socket open(ControllerFixture fixture, List<Socket> sockets) throws IOException {
        Socket socket = new Socket(fixture.address.getAddress(), fixture.address.getPort());
        sockets.add(socket);
        socket.setSoTimeout(5000);
        return socket;
    }

    /** True when the controller closed the connection and sent nothing (not even its HELLO). */
    private static boolean closedWithoutAWord(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }
}
