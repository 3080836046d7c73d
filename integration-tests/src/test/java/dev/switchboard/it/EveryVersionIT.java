package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.ovsdb.PrivateOvs;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import dev.switchboard.topology.TopologyService;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * Every app, the third-party hub example included, on every OpenFlow version the controller
 * offers by default, driving a real network: each pair must carry pings and leave flows
 * with the app's cookie in OVS. One private OVS and one Mininet network (two switches, one
 * host each) serve the whole class; between runs the bridges are switched to the next version
 * and their flows deleted, so each run's flows are its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryVersionIT {
    private static final List<String> APPS = List.of("hub", "l2-learning", "forwarding");
    private static final List<String> SWITCHES = List.of("s1", "s2");
    /** Bounds OVS's wait before reconnecting to a restarted controller (default 8 s). */
    private static final String MAX_BACKOFF_MS = "1000";

    private PrivateOvs ovs;
    private MininetNetwork net;
    private JsonNode mininetTopology;
    private int port;

    @BeforeAll
    void startNetwork() {
        // Mininet waits for its switches to connect, so a controller without apps listens meanwhile.
        try (Switchboard first = startSwitchboard(0, List.of())) {
            port = first.openflowAddresses().get(0).getPort();
            ovs = PrivateOvs.start();
            net = MininetNetwork.start(ovs, "linear,2", port, "OpenFlow13", RunNames.name("v"));
            mininetTopology = net.topology();
        } catch (RuntimeException e) {
            stopNetwork();
            throw e;
        }
        for (String uuid : ovs.vsctl("--bare", "--columns=_uuid", "list", "controller").trim().split("\\s+")) {
            ovs.vsctl("set", "controller", uuid, "max_backoff=" + MAX_BACKOFF_MS);
        }
    }

    @AfterAll
    void stopNetwork() {
        try {
            if (net != null) {
                net.close();
            }
        } finally {
            if (ovs != null) {
                ovs.close();
            }
        }
    }

    static Stream<Arguments> offeredVersionsAndApps() {
        List<Arguments> pairs = new ArrayList<>();
        for (OFVersion version : ControllerConfig.DEFAULT_VERSIONS.stream().sorted().toList()) {
            for (String app : APPS) {
                pairs.add(Arguments.of(version, app));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("offeredVersionsAndApps")
    void theAppCarriesPingsWithItsOwnFlows(OFVersion version, String app) {
        String protocols = ovsName(version);
        for (String sw : SWITCHES) {
            ovs.vsctl("set", "bridge", net.kernelName(sw), "protocols=" + protocols);
            ovs.ofctl("-O", protocols, "del-flows", net.kernelName(sw));
        }
        try (Switchboard switchboard = startSwitchboard(port, List.of(app))) {
            Set<Long> dpids = AppNetwork.mininetSwitches(mininetTopology);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> dpids.stream().allMatch(dpid -> speaks(switchboard, dpid, version)));
            Optional<TopologyService> topology = switchboard.service(TopologyService.class);
            topology.ifPresent(service -> AppNetwork.awaitDiscovery(service::current, mininetTopology));

            // Polled: an app serves a switch only once its flows are reconciled, a moment after it connects.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> net.pingAll() == 0);

            // The first pings may all travel as packet-ins (hosts keep their ARP caches between
            // runs); a second round is carried by the app's flows.
            assertThat(net.pingAll()).as("second pingall of %s over %s", app, protocols).isZero();

            String cookie = String.format("cookie=0x%x", AppCookies.cookie(app).getValue() >>> 40);
            for (String sw : SWITCHES) {
                assertThat(ovs.ofctl("-O", protocols, "dump-flows", net.kernelName(sw)))
                        .as("%s's flows on %s over %s", app, sw, protocols)
                        .containsPattern(cookie + "[0-9a-f]*, .*n_packets=[1-9]");
            }
        }
    }

    private static boolean speaks(Switchboard switchboard, long dpid, OFVersion version) {
        Optional<OFSwitch> sw = switchboard.controller().switches().getSwitch(DatapathId.of(dpid));
        return sw.isPresent() && sw.get().factory().getVersion() == version;
    }

    private static Switchboard startSwitchboard(int port, List<String> apps) {
        return Switchboard.start(ControllerConfig.builder().listen(new InetSocketAddress("127.0.0.1", port)).build(),
                SwitchboardConfig.defaults().ovsdb(), apps, Map.of());
    }

    /** OVS's name for a version, e.g. OpenFlow13. */
    private static String ovsName(OFVersion version) {
        return "OpenFlow1" + version.name().charAt(4);
    }
}
