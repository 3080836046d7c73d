package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Apps are found on the class path by name: a built-in one started in-process, and the
 * third-party example app of docs/apps.md added as a jar beside ours through the launcher,
 * each driving a real Mininet network.
 */
class AppPluginIT {
    private static final Path ROOT = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();

    @Test
    void normalAppForwardsAndItsFlowCarriesItsCookie() {
        try (PrivateOvs ovs = PrivateOvs.start();
                Switchboard switchboard = Switchboard.start(
                        ControllerConfig.builder().listen(new InetSocketAddress(ovs.controllerAddress(), 0)).build(),
                        SwitchboardConfig.defaults().ovsdb(), List.of("normal"), Map.of());
                MininetNetwork net = MininetNetwork.start(ovs, "single,3",
                        switchboard.openflowAddresses().get(0).getPort(), "OpenFlow13", RunNames.name("n"))) {
            // polled: the app serves the switch once its flows are reconciled, a moment after it connects
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> net.pingAll() == 0);
            assertThat(ovs.ofctl("-O", "OpenFlow13", "dump-flows", net.kernelName("s1")))
                    .containsPattern("cookie=0x5342010000000000,.*n_packets=[1-9].*actions=NORMAL");
        }
    }

    @Test
    void aThirdPartyJarOnTheClassPathIsAnApp() throws Exception {
        Path hubJar = ROOT.resolve("examples/hub-app/target/hub-app.jar");
        assertThat(hubJar).exists();
        int port = freePort();
        Path log = Files.createTempFile("hub-controller", ".log");
        Process controller = null;
        try (PrivateOvs ovs = PrivateOvs.start()) {
            ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("switchboard").toString(), "controller",
                    "--address", ovs.controllerAddress().getHostAddress(), "--port", String.valueOf(port),
                    "--apps", "hub", "--rest-port", "0")
                    .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("SWITCHBOARD_CLASSPATH", hubJar.toString());
            controller = builder.start();
            runHubNetwork(ovs, port, log);
        } finally {
            if (controller != null) {
                controller.destroy();
                controller.waitFor(20, TimeUnit.SECONDS);
            }
        }
        assertThat(Files.readString(log)).contains("app hub started").contains("hub flooded");
    }

    private static void runHubNetwork(PrivateOvs ovs, int port, Path log) throws IOException {
        try (MininetNetwork net = MininetNetwork.start(ovs, "single,3", port, "OpenFlow10", RunNames.name("p"))) {
            // Polled: the controller serves a switch only once its flows are reconciled, a moment
            // after it connects, and until then the switch's packets pass the apps by.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> net.pingAll() == 0);
            String hubCookie = "cookie=0x5342" + Integer.toHexString(org.example.hub.HubApp.COOKIE_NUMBER);
            assertThat(ovs.ofctl("dump-flows", net.kernelName("s1"))).contains(hubCookie).contains("actions=FLOOD");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
