package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import dev.switchboard.emulator.FlowTable;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/** The normal app across a controller restart: its one flow is added once, then kept. */
class NormalForwardingTest {

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void theFlowIsAddedWhenMissingAndKeptAcrossARestart(OFVersion version) {
        FlowTable table = new FlowTable();
        var loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EmulatedSwitch first = run(loops, version, table);
            assertThat(first.received(OFFlowAdd.class)).filteredOn(f -> f.getCookie().equals(AppCookies.cookie(NormalForwarding.COOKIE_NUMBER)))
                    .hasSize(1);
            EmulatedSwitch second = run(loops, version, table);
            assertThat(second.received(OFFlowAdd.class)).as("kept, not written again")
                    .noneMatch(f -> f.getCookie().equals(AppCookies.cookie(NormalForwarding.COOKIE_NUMBER)));
            assertThat(second.received(OFFlowDelete.class)).isEmpty();
            assertThat(table.flows()).filteredOn(f -> f.cookie().equals(AppCookies.cookie(NormalForwarding.COOKIE_NUMBER))).hasSize(1);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** One controller run with the normal app and one connection of the switch holding {@code table}. */
    private static EmulatedSwitch run(MultiThreadIoEventLoopGroup loops, OFVersion version, FlowTable table) {
        try (Controller controller = new Controller(ControllerConfig.builder()
                        .listen(new InetSocketAddress("127.0.0.1", 0)).build());
                AppRuntime apps = AppRuntime.start(controller.switches(), controller.packetIns(),
                        List.of(new NormalForwarding()), name -> AppConfig.empty("apps." + name))) {
            InetSocketAddress address = controller.start().get(0);
            EmulatedSwitch sw = EmulatedSwitch.prepare(EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(1)).supportedVersions(Set.of(version)).build())
                    .withFlowTable(table).connectTo(loops, address);
            await().atMost(Duration.ofSeconds(5)).until(() -> controller.switches().getSwitch(DatapathId.of(1))
                    .filter(apps::serves).isPresent());
            await().atMost(Duration.ofSeconds(5)).until(() -> table.flows().stream()
                    .anyMatch(f -> f.cookie().equals(AppCookies.cookie(NormalForwarding.COOKIE_NUMBER))));
            sw.close();
            return sw;
        }
    }
}
