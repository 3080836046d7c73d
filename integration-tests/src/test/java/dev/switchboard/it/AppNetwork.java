package dev.switchboard.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.Topology;
import dev.switchboard.topology.TopologyService;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Switchboard running the apps under test in this JVM, a private OVS and a real Mininet
 * network connected to it; closes all three, in reverse, whatever happened.
 */
final class AppNetwork implements AutoCloseable {
    private static final Duration DISCOVERY = Duration.ofSeconds(30);

    /** Replaced by {@link #startController()} after {@link #stopController()}. */
    Switchboard switchboard;
    final PrivateOvs ovs;
    final MininetNetwork net;
    /** Packet-ins other than discovery probes, counted before any app sees them. */
    private final LongAdder dataPacketIns;
    private final JsonNode mininetTopology;

    private final String protocols;
    private final List<String> apps;
    private final Map<String, Map<String, Object>> configs;
    private final int port;

    private AppNetwork(Switchboard switchboard, PrivateOvs ovs, MininetNetwork net, LongAdder dataPacketIns, String protocols,
            List<String> apps, Map<String, Map<String, Object>> configs) {
        this.switchboard = switchboard;
        this.protocols = protocols;
        this.apps = apps;
        this.configs = configs;
        this.port = switchboard.openflowAddresses().get(0).getPort();
        this.ovs = ovs;
        this.net = net;
        this.dataPacketIns = dataPacketIns;
        this.mininetTopology = net.topology();
    }

    static AppNetwork start(String topology, String protocols, List<String> apps, Map<String, Map<String, Object>> configs,
            String runSuffix) {
        LongAdder counter = new LongAdder();
        PrivateOvs ovs = PrivateOvs.start();
        Switchboard switchboard = null;
        try {
            switchboard = startSwitchboard(ovs.controllerAddress(), 0, apps, configs, counter);
            MininetNetwork net = MininetNetwork.start(ovs, topology, switchboard.openflowAddresses().get(0).getPort(),
                    protocols, RunNames.name(runSuffix));
            return new AppNetwork(switchboard, ovs, net, counter, protocols, apps, configs);
        } catch (RuntimeException e) {
            if (switchboard != null) {
                switchboard.close();
            }
            ovs.close();
            throw e;
        }
    }

    private static Switchboard startSwitchboard(java.net.InetAddress address, int port, List<String> apps, Map<String, Map<String, Object>> configs,
            LongAdder counter) {
        Switchboard switchboard = Switchboard.start(
                ControllerConfig.builder().listen(new InetSocketAddress(address, port)).build(),
                SwitchboardConfig.defaults().ovsdb(), apps, configs);
        switchboard.controller().packetIns().addProcessor("test-counter", Integer.MIN_VALUE, (sw, packetIn) -> {
            int type = EthernetFrames.isEthernet(packetIn.getData()) ? EthernetFrames.etherType(packetIn.getData()) : -1;
            if (type != EthernetFrames.TYPE_LLDP && type != EthernetFrames.TYPE_BDDP) {
                counter.increment();
            }
            return Disposition.CONTINUE;
        });
        return switchboard;
    }

    /** Stops the controller as a shutdown does (apps, then the OpenFlow side); the network stays. */
    void stopController() {
        Switchboard stopping = switchboard;
        switchboard = null;
        stopping.close();
    }

    /** A new controller, apps and all, on the port the stopped one listened on. */
    void startController() {
        switchboard = startSwitchboard(ovs.controllerAddress(), port, apps, configs, dataPacketIns);
    }

    /** OVS's name for the OpenFlow version the switches speak, e.g. OpenFlow13. */
    String protocols() {
        return protocols;
    }

    /** Packet-ins other than discovery probes so far. */
    long dataPacketIns() {
        return dataPacketIns.sum();
    }

    TopologyService topology() {
        return switchboard.service(TopologyService.class).orElseThrow();
    }

    /** Mininet's switch-to-switch links, both directions, as {@code dpid/port->dpid/port}. */
    Set<String> mininetSwitchLinks() {
        return mininetSwitchLinks(mininetTopology);
    }

    static Set<String> mininetSwitchLinks(JsonNode mininetTopology) {
        Map<String, Long> dpids = new HashMap<>();
        mininetTopology.path("switches").fields().forEachRemaining(e -> dpids.put(e.getKey(), e.getValue().asLong()));
        Set<String> links = new HashSet<>();
        for (JsonNode link : mininetTopology.path("links")) {
            JsonNode a = link.get(0);
            JsonNode b = link.get(1);
            if (dpids.containsKey(a.path("node").asText()) && dpids.containsKey(b.path("node").asText())) {
                String x = dpids.get(a.path("node").asText()) + "/" + a.path("port").asInt();
                String y = dpids.get(b.path("node").asText()) + "/" + b.path("port").asInt();
                links.add(x + "->" + y);
                links.add(y + "->" + x);
            }
        }
        return links;
    }

    /** Mininet's switches by datapath id. */
    Set<Long> mininetSwitches() {
        return mininetSwitches(mininetTopology);
    }

    static Set<Long> mininetSwitches(JsonNode mininetTopology) {
        Set<Long> dpids = new HashSet<>();
        mininetTopology.path("switches").forEach(dpid -> dpids.add(dpid.asLong()));
        return dpids;
    }

    /** The switch ports hosts hang on, as dpid to ports. */
    Map<Long, Set<Integer>> mininetHostPorts() {
        return mininetHostPorts(mininetTopology);
    }

    static Map<Long, Set<Integer>> mininetHostPorts(JsonNode mininetTopology) {
        Map<String, Long> dpids = new HashMap<>();
        mininetTopology.path("switches").fields().forEachRemaining(e -> dpids.put(e.getKey(), e.getValue().asLong()));
        Map<Long, Set<Integer>> ports = new HashMap<>();
        for (JsonNode link : mininetTopology.path("links")) {
            for (int i = 0; i < 2; i++) {
                JsonNode end = link.get(i);
                JsonNode other = link.get(1 - i);
                if (dpids.containsKey(end.path("node").asText()) && !dpids.containsKey(other.path("node").asText())) {
                    ports.computeIfAbsent(dpids.get(end.path("node").asText()), k -> new HashSet<>()).add(end.path("port").asInt());
                }
            }
        }
        return ports;
    }

    JsonNode mininetTopology() {
        return mininetTopology;
    }

    static Set<String> ourLinks(Topology topology) {
        Set<String> links = new HashSet<>();
        for (Link link : topology.links()) {
            if (link.kind() == Link.Kind.DIRECT) {
                links.add(link.src().dpid().getLong() + "/" + link.src().port().getPortNumber() + "->"
                        + link.dst().dpid().getLong() + "/" + link.dst().port().getPortNumber());
            }
        }
        return links;
    }

    /**
     * Waits until the controller sees Mininet's switches and links, and every host port may
     * flood (its quarantine is over): only then is a pingall fair.
     */
    void awaitDiscovery() {
        awaitDiscovery(() -> topology().current(), mininetTopology);
    }

    /** {@link #awaitDiscovery()} for a controller and network not started through this class. */
    static void awaitDiscovery(Supplier<Topology> topology, JsonNode mininetTopology) {
        Set<String> expected = mininetSwitchLinks(mininetTopology);
        Set<Long> switches = mininetSwitches(mininetTopology);
        Map<Long, Set<Integer>> hostPorts = mininetHostPorts(mininetTopology);
        await().atMost(DISCOVERY).pollInterval(Duration.ofMillis(200)).until(() -> {
            Topology now = topology.get();
            if (!ourLinks(now).equals(expected)) {
                return false;
            }
            Set<Long> ours = new HashSet<>();
            now.switches().forEach(d -> ours.add(d.getLong()));
            if (!ours.equals(switches)) {
                return false;
            }
            for (Map.Entry<Long, Set<Integer>> e : hostPorts.entrySet()) {
                Set<OFPort> flood = now.floodPorts(DatapathId.of(e.getKey()));
                for (int port : e.getValue()) {
                    if (!flood.contains(OFPort.of(port))) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    String dumpFlows(String switchName) {
        return ofctl("dump-flows", switchName);
    }

    /** {@code ovs-ofctl -O PROTOCOLS COMMAND SWITCH}, in the version the switches speak. */
    String ofctl(String command, String switchName) {
        return ovs.ofctl("-O", protocols, command, net.kernelName(switchName));
    }

    @Override
    public void close() {
        try {
            net.close();
        } finally {
            try {
                ovs.close();
            } finally {
                if (switchboard != null) {
                    switchboard.close();
                }
            }
        }
    }
}
