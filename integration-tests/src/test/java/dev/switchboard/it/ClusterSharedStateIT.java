package dev.switchboard.it;

import static dev.switchboard.it.TestSetup.hostBehind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cluster.ClusterConfig;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppCookies;
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
 * ping each other, and each master installed forwarding flows on its own bridge; so on every
 * OpenFlow version offered. With the routing app too, h1 and h3 in two subnets reach each other
 * through the router, which each ingress master runs for the packets its switch takes in.
 */
class ClusterSharedStateIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration SESSION = Duration.ofSeconds(6);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** ForwardingApp's flows: the Switchboard cookie prefix and its cookie number 0x05. */
    private static final String FORWARDING_COOKIE = "cookie=0x534205";
    /** RoutingApp's flows, the same way. */
    private static final String ROUTING_COOKIE = String.format("cookie=0x%x",
            AppCookies.cookie(dev.switchboard.apps.routing.RoutingApp.COOKIE_NUMBER).getValue() >>> 40);

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
    @ValueSource(strings = {"OpenFlow10", "OpenFlow12", "OpenFlow13", "OpenFlow14", "OpenFlow15"})
    void everyInstanceSeesTheWholeNetworkAndPingsCrossThreeMasters(String protocol) throws Exception {
        int version = Integer.parseInt(protocol.substring(protocol.length() - 2));
        String subnet = "10.221." + version + ".";
        inCluster(protocol, "ss", 0x5e00 + version * 0x10, List.of("forwarding"), Map.of(), subnet + "1/24", subnet + "3/24",
                (network, ovs, instances) -> {
                    Map<String, Instance> masters = masters(network, ovs, instances);
                    sharedStateAndForwarding(network, ovs, instances, masters, subnet);
                });
    }

    /**
     * The routing app across the three masters: h1 in 10.222.V1.0/24 behind s1, h3 in
     * 10.222.V3.0/24 behind s3, their gateways only in the controller. s1's master routes h1's
     * packets and sends them towards s3 along the path; s2's and s3's masters carry them on (their
     * forwarding), and the same the other way from s3's master. One router hop: the TTL drops by one.
     * h3 is silent until h1 sends to it: s1's master ARPs for it across s2 and s3 (whose masters
     * flood the request on), s3's master hears the reply, and the held packet goes once h3's
     * address reaches s1's master through the shared host table.
     */
    @ParameterizedTest
    @ValueSource(strings = {"OpenFlow10", "OpenFlow13"})
    void routingCrossesThreeMasters(String protocol) throws Exception {
        int version = Integer.parseInt(protocol.substring(protocol.length() - 2));
        String left = "10.222." + version + "1.";
        String right = "10.222." + version + "3.";
        Map<String, Object> routing = Map.of("interfaces",
                List.of(Map.of("gateway", left + "1/24"), Map.of("gateway", right + "1/24")));
        inCluster(protocol, "sr", 0x5f00 + version * 0x10, List.of("forwarding", "routing"), Map.of("routing", routing),
                left + "10/24", right + "10/24", (network, ovs, instances) -> {
                    Map<String, Instance> masters = masters(network, ovs, instances);
                    String h1 = network.namespaces().get(0);
                    String h3 = network.namespaces().get(1);
                    TestSetup.ip("-n", h1, "route", "add", "default", "via", left + "1");
                    TestSetup.ip("-n", h3, "route", "add", "default", "via", right + "1");
                    // h1's own gateway, answered by s1's master. h3 stays silent: no member knows its
                    // address, so s1's master must ARP for it through the others' switches
                    await().atMost(PATIENCE).until(() -> ping(h1, left + "1"));
                    for (Instance instance : instances) {
                        assertThat(hostsByIp(instance)).as("h3's address before h1 sends to it").doesNotContainKey(right + "10");
                    }
                    long started = System.nanoTime();
                    await().atMost(PATIENCE).until(() -> ping(h1, right + "10"));
                    System.out.printf("routing in a cluster (%s): masters %s, h1 reached h3 after %d ms%n", protocol,
                            describe(masters), (System.nanoTime() - started) / 1_000_000);
                    for (List<String> pair : List.of(List.of(h1, right + "10"), List.of(h3, left + "10"))) {
                        ExecResult three = Commands.run(List.of("ip", "netns", "exec", pair.get(0), "ping", "-c", "3", "-i",
                                "0.3", "-W", "2", pair.get(1)), Map.of(), Duration.ofSeconds(20));
                        assertThat(three.stdout()).as(three.stdout() + three.stderr()).contains("3 received")
                                .as("one router hop").contains("ttl=63");
                    }
                    // the ingress masters programmed the routes on their own bridges: h1's at s1, h3's at s3
                    for (String bridge : List.of(network.names().get(0), network.names().get(2))) {
                        String flows = ovs.ofctl("-O", protocol, "dump-flows", bridge);
                        assertThat(flows).as("routing flows on %s (master %s)", bridge, masters.get(bridge).id())
                                .contains(ROUTING_COOKIE).contains("dec_ttl");
                    }
                });
    }

    /** What runs on the cluster and network that {@link #inCluster} made. */
    private interface Scenario {
        void run(Network network, PrivateOvs ovs, List<Instance> instances) throws Exception;
    }

    /**
     * Starts ZooKeeper, OVS and three instances running topology, hosts and {@code apps}, makes the
     * s1 - s2 - s3 line with h1 ({@code h1Address}) behind s1 and h3 behind s3, runs the scenario
     * and removes it all.
     */
    private void inCluster(String protocol, String prefix, int firstDpid, List<String> apps,
            Map<String, Map<String, Object>> configs, String h1Address, String h3Address, Scenario scenario) throws Exception {
        String run = prefix + protocol.substring(protocol.length() - 2);
        Map<String, DatapathId> bridges = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            bridges.put(RunNames.name(run + i), DatapathId.of(firstDpid + i));
        }
        List<String> names = new ArrayList<>(bridges.keySet());
        List<String> namespaces = List.of(RunNames.name(run + "h1"), RunNames.name(run + "h3"));
        List<String> veths = List.of(RunNames.name(run + "v1"), RunNames.name(run + "v3"));
        List<Instance> instances = new ArrayList<>();
        try (TestingServer zk = new TestingServer(); PrivateOvs ovs = PrivateOvs.start()) {
            try {
                Network network = new Network(protocol, run, bridges, names, namespaces, veths);
                for (String id : List.of("m1", "m2", "m3")) {
                    instances.add(start(id, zk.getConnectString(), ovs, run, apps, configs));
                }
                build(network, ovs, instances, h1Address, h3Address);
                scenario.run(network, ovs, instances);
            } finally {
                // before ZooKeeper stops: the members leave while it is there to hear them
                instances.forEach(instance -> instance.switchboard().close());
            }
        } finally {
            namespaces.forEach(ns -> Commands.run(Duration.ofSeconds(10), "ip", "netns", "del", ns));
            veths.forEach(veth -> Commands.run(Duration.ofSeconds(10), "ip", "link", "del", veth));
        }
    }

    /** The names of one run's network. */
    private record Network(String protocol, String run, Map<String, DatapathId> bridges, List<String> names,
            List<String> namespaces, List<String> veths) {
    }

    /** The bridges, each connected to every instance, the patch cables and the two hosts. */
    private void build(Network network, PrivateOvs ovs, List<Instance> instances, String h1Address, String h3Address) {
        String protocol = network.protocol();
        Map<String, DatapathId> bridges = network.bridges();
        List<String> names = network.names();
        List<String> namespaces = network.namespaces();
        List<String> veths = network.veths();
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
        hostBehind(namespaces.get(0), veths.get(0), h1Address);
        hostBehind(namespaces.get(1), veths.get(1), h3Address);
        ovs.moveIntoNamespace(veths.get(0));
        ovs.moveIntoNamespace(veths.get(1));
        ovs.vsctl("add-port", names.get(0), veths.get(0));
        ovs.vsctl("add-port", names.get(2), veths.get(1));
    }

    /** One master per bridge by OVS's word, one bridge per instance: bridge name -> its master. */
    private Map<String, Instance> masters(Network network, PrivateOvs ovs, List<Instance> instances) {
        List<String> names = network.names();
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
        System.out.printf("shared state (%s): masters %s%n", network.protocol(), describe(masters));
        return masters;
    }

    private void sharedStateAndForwarding(Network network, PrivateOvs ovs, List<Instance> instances,
            Map<String, Instance> masters, String subnet) throws Exception {
        String protocol = network.protocol();
        Map<String, DatapathId> bridges = network.bridges();
        List<String> names = network.names();
        List<String> namespaces = network.namespaces();
        List<String> veths = network.veths();
        long started = System.nanoTime();

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
        System.out.printf("shared state (%s): all 4 links at all 3 instances %d ms after the masters were settled%n",
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

    private static Instance start(String id, String zk, PrivateOvs ovs, String run, List<String> apps,
            Map<String, Map<String, Object>> appConfigs) {
        Map<String, Map<String, Object>> configs = new HashMap<>(appConfigs);
        configs.put("topology", Map.of("probeInterval", "1s"));
        List<String> names = new ArrayList<>(List.of("topology", "hosts"));
        names.addAll(apps);
        Switchboard switchboard = Switchboard.start(
                ControllerConfig.builder().listen(new InetSocketAddress(ovs.controllerAddress(), 0)).build(),
                SwitchboardConfig.defaults().ovsdb(), names,
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
