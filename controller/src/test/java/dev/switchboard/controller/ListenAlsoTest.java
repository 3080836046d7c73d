package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * {@link Controller#listenAlso}: a listener added while the controller runs takes switches like
 * the configured ones, is bound once per address, and goes when the controller stops.
 */
class ListenAlsoTest {

    @Test
    void aSwitchConnectsOnAnAddressAddedWhileRunning() throws Exception {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ControllerFixture fixture = new ControllerFixture()) {
            // another loopback address, at the port the controller chose: as a lab's uplink would be
            InetSocketAddress also = new InetSocketAddress("127.0.0.2", fixture.address.getPort());
            assertThat(fixture.controller.listenAlso(also)).isEqualTo(also);
            assertThat(fixture.controller.listenAlso(also)).as("bound once").isEqualTo(also);

            EmulatedSwitch emulator = EmulatedSwitch.prepare(EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(0x42)).build()).connectTo(loops, also);
            try {
                OFSwitch sw = await().atMost(Duration.ofSeconds(5))
                        .until(() -> fixture.controller.switches().getSwitch(DatapathId.of(0x42)), java.util.Optional::isPresent)
                        .orElseThrow();
                assertThat(sw.isConnected()).isTrue();
            } finally {
                emulator.close();
            }
            fixture.controller.close();
            assertThat(refused(also)).as("closed with the controller").isTrue();
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void anAddressTakenIsAnErrorAndBeforeStartNothingListens() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                ControllerFixture fixture = new ControllerFixture()) {
            assertThatThrownBy(() -> fixture.controller.listenAlso(
                    new InetSocketAddress(taken.getInetAddress(), taken.getLocalPort())))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot listen for switches");
        }
        Controller idle = new Controller(ControllerConfig.builder().listen(new InetSocketAddress("127.0.0.1", 0)).build());
        try {
            assertThatThrownBy(() -> idle.listenAlso(new InetSocketAddress("127.0.0.1", 0)))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            idle.close();
        }
    }

    private static boolean refused(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 2000);
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
