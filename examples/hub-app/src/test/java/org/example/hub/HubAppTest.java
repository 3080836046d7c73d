package org.example.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.openflow.OpenFlowMessages;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/** The hub app, found on the class path by name like any app, against an emulated switch. */
class HubAppTest {

    static Set<OFVersion> offeredVersions() {
        return ControllerConfig.DEFAULT_VERSIONS;
    }

    /** Every version the controller offers: the app must not touch a field some version lacks. */
    @ParameterizedTest
    @MethodSource("offeredVersions")
    void floodsThePacketAndInstallsAFloodFlowWithItsCookie(OFVersion version) {
        var loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (Controller controller = new Controller(ControllerConfig.builder()
                        .listen(new InetSocketAddress("127.0.0.1", 0)).build());
                AppRuntime apps = AppRuntime.start(controller, List.of("hub"),
                        name -> AppConfig.of("apps." + name, Map.of("priority", 7, "idleTimeout", "5s")),
                        HubAppTest.class.getClassLoader())) {
            InetSocketAddress address = controller.start().get(0);
            EmulatedSwitch sw = EmulatedSwitch.prepare(EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(1)).supportedVersions(Set.of(version)).build())
                    .connectTo(loops, address);
            // the app serves a switch once its flows are reconciled (the default: keep those on live ports)
            await().atMost(Duration.ofSeconds(5)).until(() -> controller.switches().getSwitch(DatapathId.of(1))
                    .filter(apps::serves).isPresent());

            sw.sendPacketIn(OFPort.of(2), new byte[60]);

            await().atMost(Duration.ofSeconds(5)).until(() -> !sw.received(OFPacketOut.class).isEmpty());
            OFPacketOut out = sw.received(OFPacketOut.class).get(0);
            assertThat(((OFActionOutput) out.getActions().get(0)).getPort()).isEqualTo(OFPort.FLOOD);
            assertThat(out.getData()).hasSize(60);
            assertThat(OpenFlowMessages.inPort(out)).isEqualTo(OFPort.of(2));
            await().atMost(Duration.ofSeconds(5)).until(() -> sw.received(OFFlowAdd.class).stream()
                    .anyMatch(f -> f.getPriority() == 7));
            OFFlowAdd flow = sw.received(OFFlowAdd.class).stream().filter(f -> f.getPriority() == 7).findFirst().orElseThrow();
            assertThat(flow.getCookie()).isEqualTo(dev.switchboard.controller.app.AppCookies.cookie(HubApp.COOKIE_NUMBER));
            assertThat(flow.getIdleTimeout()).isEqualTo(5);
            assertThat(flow.getMatch().get(MatchField.IN_PORT)).isEqualTo(OFPort.of(2));
            sw.close();
        } finally {
            loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
