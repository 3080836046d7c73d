package dev.switchboard.it;

import static dev.switchboard.it.TestSetup.hostBehind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cluster.ClusterConfig;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The cluster's shared state end to end: three Switchboard instances (in this JVM) on one
 * ZooKeeper server (curator-test), and three real OVS bridges in a line, s1 - s2 - s3 (patch
 * ports), each connected to all three instances, with h1 behind s1 and h3 behind s3 (network
 * namespaces). The mastership spreads one bridge per instance, so every link joins switches of two
 * masters and h1's traffic to h3 crosses three. Every instance's REST API shows the whole
 * network: all three switches with their master, the four one-way links, both hosts; h1 and h3
 * ping each other, and each master installed forwarding flows on its own bridge.
 */
class ClusterSharedStateIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration SESSION = Duration.ofSeconds(6);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** ForwardingApp's flows: the Switchboard cookie prefix and its cookie number 0x05. */
    private static final String FORWARDING_COOKIE = "cookie=0x534205";

    private record Instance(String id, Switchboard switchboard) {
        int openflowPort() {
            return switchboard.openflowAddresses().get(0).getPort();
        }

        String api() {
            return "http://127.0.0.1:" + switchboard.rest().orElseThrow().port() + "/api/v1";
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest
    @ValueSource(strings = {"OpenFlow13", "OpenFlow10"})
    void everyInstanceSeesTheWholeNetworkAndPingsCrossThreeMasters(String protocol) throws Exception {
        String run = "ss" + protocol.substring(protocol.length() - 2);
        Map<String, DatapathId> bridges = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            bridges.put(RunNames.name(run + i), DatapathId.of(0x5e00 + (protocol.endsWith("13") ? 0x10 : 0x20) + i));
        }
        List<String> names = new ArrayList<>(bridges.keySet());
        String subnet = protocol.endsWith("13") ? "10.221.13." : "10.221.10.";
        List<String> namespaces = List.of(RunNames.name(run + "h1"), RunNames.name(run + "h3"));
        List<String> veths = List.of(RunNames.name(run + "v1"), RunNames.name(run + "v3"));
        List<Instance> instances = new ArrayList<>();
        try (TestingServer zk = new TestingServer(); PrivateOvs ovs = PrivateOvs.start()) {
            try {
                runScenario(new Network(protocol, run, bridges, names, subnet, namespaces, veths), zk, ovs, instances);
            } finally {
                // before ZooKeeper stops: the members leave while it is there to hear them
                instances.forEach(instance -> instance.switchboard().close());
            }
        } finally {
            namespaces.forEach(ns -> Commands.run(Duration.ofSeconds(10), "ip", "netns", "del", ns));
            veths.forEach(veth -> Commands.run(Duration.ofSeconds(10), "ip", "link", "del", veth));
        }
    }

    /** The names and addresses of one run's network. */
    private record Network(String protocol, String run, Map<String, DatapathId> bridges, List<String> names,
            String subnet, List<String> namespaces, List<String> veths) {
    }

    private void runScenario(Network network, TestingServer zk, PrivateOvs ovs, List<Instance> instances) throws Exception {
        String protocol = network.protocol();
        String run = network.run();
        Map<String, DatapathId> bridges = network.bridges();
        List<String> names = network.names();
        String subnet = network.subnet();
        List<String> namespaces = network.namespaces();
        List<String> veths = network.veths();
        for (String id : List.of("m1", "m2", "m3")) {
            instances.add(start(id, zk.getConnectString(), ovs, run));
        }
        long started = System.nanoTime();
        List<String> targets = instances.stream().map(i -> ovs.controllerTarget(i.openflowPort())).toList();
        for (Map.Entry<String, DatapathId> bridge : bridges.entrySet()) {
            List<String> vsctl = new ArrayList<>(List.of("add-br", bridge.getKey(), "--", "set", "bridge",
                    bridge.getKey(), "datapath_type=netdev", "protocols=" + protocol, "fail_mode=secure",
                    "other-config:datapath-id=" + String.format("%016x", bridge.getValue().getLong()),
                    "--", "set-controller", bridge.getKey()));
            vsctl.addAll(targets);
            ovs.vsctl(vsctl.toArray(String[]::new));
        }
        for (int i = 0; i < 2; i++) {
            patch(ovs, names.get(i), names.get(i + 1));
        }
        hostBehind(namespaces.get(0), veths.get(0), subnet + "1/24");
        hostBehind(namespaces.get(1), veths.get(1), subnet + "3/24");
        ovs.moveIntoNamespace(veths.get(0));
        ovs.moveIntoNamespace(veths.get(1));
        ovs.vsctl("add-port", names.get(0), veths.get(0));
        ovs.vsctl("add-port", names.get(2), veths.get(1));

        // 1. one master per bridge by OVS's word, one bridge per instance
        Map<String, Instance> masters = new HashMap<>();
        for (String bridge : names) {
            await().atMost(PATIENCE).until(() -> masterByOvs(ovs, bridge, instances) != null);
        }
        await().atMost(PATIENCE).until(() -> {
            Set<Instance> distinct = new HashSet<>();
            for (String bridge : names) {
                distinct.add(masterByOvs(ovs, bridge, instances));
            }
            return distinct.size() == 3 && !distinct.contains(null);
        });
        for (String bridge : names) {
            masters.put(bridge, masterByOvs(ovs, bridge, instances));
        }
        System.out.printf("shared state (%s): masters %s%n", protocol, describe(masters));

        // 2. every instance's REST API: three switches with their masters, four links
        Set<String> expectedLinks = new TreeSet<>();
        for (int i = 0; i < 2; i++) {
            String a = names.get(i);
            String b = names.get(i + 1);
            String ab = link(bridges.get(a), ofport(ovs, a + "p"), bridges.get(b), ofport(ovs, b + "q"));
            String ba = link(bridges.get(b), ofport(ovs, b + "q"), bridges.get(a), ofport(ovs, a + "p"));
            expectedLinks.add(ab);
            expectedLinks.add(ba);
        }
        for (Instance instance : instances) {
            await().atMost(PATIENCE).until(() -> links(instance).equals(expectedLinks));
        }
        long linksEverywhere = System.nanoTime();
        System.out.printf("shared state (%s): all 4 links at all 3 instances %d ms after the bridges were added%n",
                protocol, (linksEverywhere - started) / 1_000_000);
        for (Instance instance : instances) {
            Map<String, String> shownMasters = new HashMap<>();
            for (JsonNode sw : get(instance.api() + "/switches")) {
                shownMasters.put(sw.get("dpid").asText(), sw.path("master").asText());
            }
            Map<String, String> expectedMasters = new HashMap<>();
            bridges.forEach((bridge, dpid) -> expectedMasters.put(dpid.toString(), masters.get(bridge).id()));
            assertThat(shownMasters).as("switches and masters at %s", instance.id()).isEqualTo(expectedMasters);
        }

        // 3. h1 and h3 ping each other across the three masters' switches
        await().atMost(PATIENCE).until(() -> ping(namespaces.get(0), subnet + "3"));
        long pinged = System.nanoTime();
        System.out.printf("shared state (%s): h1 reached h3 %d ms after the links were known everywhere%n",
                protocol, (pinged - linksEverywhere) / 1_000_000);
        await().atMost(PATIENCE).until(() -> ping(namespaces.get(1), subnet + "1"));
        ExecResult three = Commands.run(List.of("ip", "netns", "exec", namespaces.get(0), "ping", "-c", "3", "-i", "0.2",
                "-W", "2", subnet + "3"), Map.of(), Duration.ofSeconds(20));
        assertThat(three.stdout()).as(three.stdout() + three.stderr()).contains("3 received");

        // 4. both hosts, where they are attached, at every instance
        String h1 = subnet + "1";
        String h3 = subnet + "3";
        Map<String, String> expectedHosts = Map.of(
                h1, bridges.get(names.get(0)) + "/" + ofport(ovs, veths.get(0)),
                h3, bridges.get(names.get(2)) + "/" + ofport(ovs, veths.get(1)));
        for (Instance instance : instances) {
            await().atMost(PATIENCE).until(() -> hostsByIp(instance).entrySet().containsAll(expectedHosts.entrySet()));
        }

        // 5. each master programmed its own bridge: forwarding flows on all three
        for (String bridge : names) {
            String flows = ovs.ofctl("-O", protocol, "dump-flows", bridge);
            assertThat(flows).as("forwarding flows on %s (master %s)", bridge, masters.get(bridge).id())
                    .contains(FORWARDING_COOKIE);
        }
    }

    private static Instance start(String id, String zk, PrivateOvs ovs, String run) {
        Map<String, Map<String, Object>> configs = Map.of("topology", Map.of("probeInterval", "1s"));
        Switchboard switchboard = Switchboard.start(
                ControllerConfig.builder().listen(new InetSocketAddress(ovs.controllerAddress(), 0)).build(),
                SwitchboardConfig.defaults().ovsdb(), List.of("topology", "hosts", "forwarding"),
                name -> AppConfig.of("apps." + name, configs.get(name)),
                new RestConfig(true, "127.0.0.1", 0, Optional.empty()),
                Optional.of(new ClusterConfig(zk, id, SESSION, "/" + RunNames.name(run))));
        return new Instance(id, switchboard);
    }

    /** A patch pair between two bridges: {@code a}p on a, {@code b}q on b. */
    private static void patch(PrivateOvs ovs, String a, String b) {
        ovs.vsctl("add-port", a, a + "p", "--", "set", "interface", a + "p", "type=patch", "options:peer=" + b + "q",
                "--", "add-port", b, b + "q", "--", "set", "interface", b + "q", "type=patch", "options:peer=" + a + "p");
    }

    private static int ofport(PrivateOvs ovs, String iface) {
        return Integer.parseInt(await().atMost(PATIENCE).until(() -> ovs.vsctl("get", "interface", iface, "ofport").trim(),
                port -> !port.isEmpty() && !port.equals("-1") && !port.equals("[]")));
    }

    private static String link(DatapathId src, int srcPort, DatapathId dst, int dstPort) {
        return src + "/" + srcPort + "->" + dst + "/" + dstPort;
    }

    private Set<String> links(Instance instance) throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode link : get(instance.api() + "/links")) {
            out.add(link.get("src").get("dpid").asText() + "/" + link.get("src").get("port").asLong() + "->"
                    + link.get("dst").get("dpid").asText() + "/" + link.get("dst").get("port").asLong());
        }
        return out;
    }

    /** IPv4 address -> dpid/port of each host the instance shows. */
    private Map<String, String> hostsByIp(Instance instance) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (JsonNode host : get(instance.api() + "/hosts")) {
            for (JsonNode ip : host.get("ipv4")) {
                out.put(ip.asText(), host.get("location").get("dpid").asText() + "/" + host.get("location").get("port").asLong());
            }
        }
        return out;
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static boolean ping(String namespace, String address) {
        return Commands.run(List.of("ip", "netns", "exec", namespace, "ping", "-c", "1", "-W", "1", address), Map.of(),
                Duration.ofSeconds(10)).exitCode() == 0;
    }

    private static Instance masterByOvs(PrivateOvs ovs, String bridge, List<Instance> instances) {
        Map<String, String> roles = new HashMap<>();
        String uuids = ovs.vsctl("get", "bridge", bridge, "controller").replaceAll("[\\[\\]\\s]", "");
        for (String uuid : uuids.split(",")) {
            if (uuid.isEmpty()) {
                continue;
            }
            String csv = ovs.vsctl("--format=csv", "--data=bare", "--no-headings", "--columns=target,role", "list",
                    "controller", uuid);
            String[] cells = csv.trim().split(",");
            if (cells.length == 2) {
                roles.put(cells[0].replace("\"", "").trim(), cells[1].replace("\"", "").trim());
            }
        }
        return OvsMasters.soleMaster(ovs, roles, instances, Instance::openflowPort);
    }

    private static String describe(Map<String, Instance> masters) {
        Map<String, String> out = new java.util.TreeMap<>();
        masters.forEach((bridge, instance) -> out.put(bridge, instance.id()));
        return out.toString();
    }
}
