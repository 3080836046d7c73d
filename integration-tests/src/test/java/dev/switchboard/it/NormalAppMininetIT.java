package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.ovsdb.PrivateOvs;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The smallest app, loaded through ServiceLoader like any other, drives a real Mininet network. */
class NormalAppMininetIT {

    @Test
    void normalAppForwardsAndItsFlowCarriesItsCookie() {
        try (Switchboard switchboard = Switchboard.start(
                        ControllerConfig.builder().listen(new InetSocketAddress("127.0.0.1", 0)).build(),
                        SwitchboardConfig.defaults().ovsdb(), List.of("normal"), Map.of());
                PrivateOvs ovs = PrivateOvs.start();
                MininetNetwork net = MininetNetwork.start(ovs, "single,3",
                        switchboard.openflowAddresses().get(0).getPort(), "OpenFlow13", RunNames.name("n"))) {
            assertThat(net.pingAll()).isZero();
            assertThat(ovs.ofctl("-O", "OpenFlow13", "dump-flows", net.kernelName("s1")))
                    .containsPattern("cookie=0x5342010000000000,.*n_packets=[1-9].*actions=NORMAL");
        }
    }
}
