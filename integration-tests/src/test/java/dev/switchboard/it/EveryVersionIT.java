package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.ovs.runtime.PrivateOvs;
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
import java.util.regex.Pattern;
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
 * with the app's cookie in OVS. One private OVS serves the whole class, with two Mininet
 * networks: two switches with one host each for the switching apps, and {@link RoutingIT}'s
 * two subnets for routing, each listening for its own controller. Between runs the bridges
 * are switched to the next version and their flows deleted, so each run's flows are its own.
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
    private MininetNetwork routed;
    private JsonNode routedTopology;
    private int routedPort;

    @BeforeAll
    void startNetwork() {
        // Mininet waits for its switches to connect, so a controller without apps listens meanwhile.
        // The switches live in the private OVS's namespace: controllers listen on its uplink.
        ovs = PrivateOvs.start();
        try (Switchboard first = startSwitchboard(0, List.of(), Map.of());
                Switchboard second = startSwitchboard(0, List.of(), Map.of())) {
            port = first.openflowAddresses().get(0).getPort();
            routedPort = second.openflowAddresses().get(0).getPort();
            net = MininetNetwork.start(ovs, "linear,2", port, "OpenFlow13", RunNames.name("v"));
            mininetTopology = net.topology();
            routed = MininetNetwork.start(ovs, "routed", routedPort, "OpenFlow13", RunNames.name("w"));
            routedTopology = routed.topology();
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
            if (routed != null) {
                routed.close();
            }
        } finally {
            closeSwitchingNetwork();
        }
    }

    private void closeSwitchingNetwork() {
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
        try (Switchboard switchboard = connect(net, mininetTopology, port, version, List.of(app), Map.of())) {
            // Polled: an app serves a switch only once its flows are reconciled, a moment after it connects.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> net.pingAll() == 0);

            // The first pings travel as packet-ins, and so may a few after them: OVS's userspace
            // datapath keeps its cached "to the controller" decision until its revalidator runs.
            // Pings go on until each switch counts packets on one of the app's own flows.
            String cookie = String.format("cookie=0x%x", AppCookies.cookie(AppRuntime.available(getClass().getClassLoader()).get(app)).getValue() >>> 40);
            Pattern carried = Pattern.compile(cookie + "[0-9a-f]*, .*n_packets=[1-9]");
            for (String sw : SWITCHES) {
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                        .failFast("a pingall lost packets", () -> net.pingAll() != 0)
                        .untilAsserted(() -> assertThat(ovs.ofctl("-O", protocols, "dump-flows", net.kernelName(sw)))
                                .as("%s's flows on %s over %s", app, sw, protocols).containsPattern(carried));
            }
        }
    }

    /** Routing (with forwarding, as deployed) routes between its subnets and answers for its gateways. */
    @ParameterizedTest(name = "routing on {0}")
    @MethodSource("offeredVersions")
    void routingRoutesBetweenSubnetsWithItsOwnFlows(OFVersion version) {
        String protocols = ovsName(version);
        try (Switchboard switchboard = connect(routed, routedTopology, routedPort, version,
                List.of("forwarding", "routing"), Map.of("routing", RoutingIT.ROUTING))) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> routed.run("h1", "ping -c 1 -W 1 10.0.2.10").contains(" 0% packet loss"));

            // one router hop: the reply's TTL is one less
            assertThat(routed.run("h1", "ping -c 2 -i 0.2 -W 1 10.0.2.10")).contains(" 0% packet loss").contains("ttl=63");
            assertThat(routed.run("h2", "ping -c 2 -i 0.2 -W 1 10.0.1.10")).contains(" 0% packet loss").contains("ttl=63");
            assertThat(routed.run("h1", "ping -c 1 -W 1 10.0.1.1")).contains(" 0% packet loss").contains("ttl=64");
            String cookie = String.format("cookie=0x%x", AppCookies.cookie(AppRuntime.available(getClass().getClassLoader()).get("routing")).getValue() >>> 40);
            Pattern routedFlow = Pattern.compile(cookie + "[0-9a-f]*, .*n_packets=[1-9].*dec_ttl");
            // pings go on (each must pass) until a routed flow counts them, as for the switching apps
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .failFast("a ping from h1 to h2 was lost",
                            () -> !routed.run("h1", "ping -c 1 -W 1 10.0.2.10").contains(" 0% packet loss"))
                    .untilAsserted(() -> assertThat(ovs.ofctl("-O", protocols, "dump-flows", routed.kernelName("s1")))
                            .as("routing's flows on s1 over %s", protocols).containsPattern(routedFlow));
        }
    }

    static Set<OFVersion> offeredVersions() {
        return ControllerConfig.DEFAULT_VERSIONS;
    }

    /**
     * Moves the network's bridges to {@code version} with empty flow tables, and starts a
     * controller running {@code apps} that they connect to; returns once every switch speaks
     * that version and, when the apps discover the topology, Mininet's links are known.
     */
    private Switchboard connect(MininetNetwork network, JsonNode topology, int listenPort, OFVersion version,
            List<String> apps, Map<String, Map<String, Object>> configs) {
        String protocols = ovsName(version);
        for (String sw : SWITCHES) {
            ovs.vsctl("set", "bridge", network.kernelName(sw), "protocols=" + protocols);
            ovs.ofctl("-O", protocols, "del-flows", network.kernelName(sw));
        }
        Switchboard switchboard = startSwitchboard(listenPort, apps, configs);
        try {
            Set<Long> dpids = AppNetwork.mininetSwitches(topology);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> dpids.stream().allMatch(dpid -> speaks(switchboard, dpid, version)));
            switchboard.service(TopologyService.class)
                    .ifPresent(service -> AppNetwork.awaitDiscovery(service::current, topology));
            return switchboard;
        } catch (RuntimeException | Error e) {
            switchboard.close();
            throw e;
        }
    }

    private static boolean speaks(Switchboard switchboard, long dpid, OFVersion version) {
        Optional<OFSwitch> sw = switchboard.controller().switches().getSwitch(DatapathId.of(dpid));
        return sw.isPresent() && sw.get().factory().getVersion() == version;
    }

    private Switchboard startSwitchboard(int port, List<String> apps, Map<String, Map<String, Object>> configs) {
        return Switchboard.start(ControllerConfig.builder().listen(new InetSocketAddress(ovs.controllerAddress(), port)).build(),
                SwitchboardConfig.defaults().ovsdb(), apps, configs);
    }

    /** OVS's name for a version, e.g. OpenFlow13. */
    private static String ovsName(OFVersion version) {
        return "OpenFlow1" + version.name().charAt(4);
    }
}
