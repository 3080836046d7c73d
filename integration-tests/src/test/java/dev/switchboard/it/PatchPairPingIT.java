package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport;
import dev.switchboard.ovsdb.vswitch.ApplyOptions;
import dev.switchboard.ovsdb.vswitch.BridgeSpec;
import dev.switchboard.ovsdb.vswitch.Change;
import dev.switchboard.ovsdb.vswitch.ChangeResult;
import dev.switchboard.ovsdb.vswitch.InterfaceType;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import dev.switchboard.ovsdb.vswitch.PortSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two bridges joined by a patch pair that our OVSDB client creates carry a ping between
 * namespaces on either side (standalone bridges: OVS's own NORMAL forwarding).
 */
class PatchPairPingIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        return Commands.check(command, Map.of(), PATIENCE);
    }

    @Test
    void pingCrossesThePatchPair() {
        String br1 = RunNames.name("pb1");
        String br2 = RunNames.name("pb2");
        String ns1 = RunNames.name("pn1");
        String ns2 = RunNames.name("pn2");
        String veth1 = RunNames.name("pv1");
        String veth2 = RunNames.name("pv2");
        try (PrivateOvs ovs = PrivateOvs.start();
                JsonRpcTransport transport = new JsonRpcTransport(JsonRpcOptions.defaults());
                OvsdbClient client = OvsdbClient.connect(transport, Endpoint.parse(ovs.dbTarget()), OpenVSwitch.newReplica())) {
            try {
                for (String[] host : new String[][] {{ns1, veth1, "10.213.0.1/24"}, {ns2, veth2, "10.213.0.2/24"}}) {
                    ip("netns", "add", host[0]);
                    ip("link", "add", host[1], "type", "veth", "peer", "name", host[1] + "i");
                    ip("link", "set", host[1] + "i", "netns", host[0]);
                    ip("-n", host[0], "addr", "add", host[2], "dev", host[1] + "i");
                    ip("-n", host[0], "link", "set", host[1] + "i", "up");
                    ip("-n", host[0], "link", "set", "lo", "up");
                    ovs.moveIntoNamespace(host[1]);
                }
                OpenVSwitch vswitch = new OpenVSwitch(client.awaitSynchronised(PATIENCE));

                ChangeResult result = vswitch.applyNow(List.of(
                        new Change.AddBridge(BridgeSpec.named(br1).withDatapathType("netdev"), false),
                        new Change.AddBridge(BridgeSpec.named(br2).withDatapathType("netdev"), false),
                        new Change.AddPort(PortSpec.patch(br1, br1 + "p", br2 + "p"), false),
                        new Change.AddPort(PortSpec.patch(br2, br2 + "p", br1 + "p"), false),
                        new Change.AddPort(PortSpec.of(br1, veth1, InterfaceType.SYSTEM), false),
                        new Change.AddPort(PortSpec.of(br2, veth2, InterfaceType.SYSTEM), false)), ApplyOptions.DEFAULT);

                assertThat(result.interfaceErrors()).isEmpty();
                assertThat(result.ofports()).containsKeys(veth1, veth2, br1 + "p", br2 + "p");
                assertThat(ovs.vsctl("show")).contains("options: {peer=" + br2 + "p}").contains("options: {peer=" + br1 + "p}");
                ExecResult ping = Commands.run(List.of("ip", "netns", "exec", ns1, "ping", "-c", "3", "-W", "2", "10.213.0.2"),
                        Map.of(), PATIENCE);
                assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
                assertThat(ping.stdout()).contains("3 received");
            } finally {
                for (String ns : List.of(ns1, ns2)) {
                    Commands.run(List.of("ip", "netns", "del", ns), Map.of(), PATIENCE);
                }
                for (String veth : List.of(veth1, veth2)) {
                    Commands.run(List.of("ip", "link", "del", veth), Map.of(), PATIENCE);
                }
            }
        }
    }
}
