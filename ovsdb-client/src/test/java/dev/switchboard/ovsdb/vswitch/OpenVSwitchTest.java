package dev.switchboard.ovsdb.vswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.ovsdb.client.ReplicaListener;
import dev.switchboard.ovsdb.data.Row;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The typed layer against a real private OVS; every change is checked with ovs-vsctl. */
class OpenVSwitchTest {
    private static final String RUN = "sb" + HexFormat.of().toHexDigits((short) new SecureRandom().nextInt());
    private static PrivateOvs ovs;
    private static JsonRpcTransport transport;
    private static OvsdbClient client;
    private static OpenVSwitch vswitch;

    @BeforeAll
    static void start() {
        ovs = PrivateOvs.start();
        transport = new JsonRpcTransport(JsonRpcOptions.defaults());
        client = OvsdbClient.connect(transport, Endpoint.parse(ovs.dbTarget()), OpenVSwitch.newReplica());
        client.awaitSynchronised(Duration.ofSeconds(10));
        vswitch = new OpenVSwitch(client);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (ovs != null) {
            ovs.close();
        }
    }

    @AfterEach
    void removeBridges() {
        for (String bridge : ovs.vsctl("list-br").lines().toList()) {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    private static String name(String suffix) {
        return RUN + suffix;
    }

    @Test
    void addsABridgeWithItsSettings() {
        String br = name("a");
        ChangeResult result = vswitch.applyNow(List.of(new Change.AddBridge(BridgeSpec.named(br).withDatapathType("netdev")
                .withFailMode("secure").withProtocols(Set.of("OpenFlow13", "OpenFlow15"))
                .withOtherConfig(Map.of("datapath-id", "00000000000000b1")).withExternalIds(Map.of("owner", "switchboard")), false)),
                ApplyOptions.DEFAULT);

        assertThat(ovs.vsctl("list-br")).contains(br);
        assertThat(ovs.vsctl("get", "bridge", br, "datapath_type")).isEqualTo("netdev");
        assertThat(ovs.vsctl("get", "bridge", br, "fail_mode")).isEqualTo("secure");
        assertThat(ovs.vsctl("get", "bridge", br, "protocols")).isEqualTo("[OpenFlow13, OpenFlow15]");
        assertThat(ovs.vsctl("get", "bridge", br, "external_ids:owner")).isEqualTo("switchboard");
        assertThat(ovs.vsctl("get", "bridge", br, "datapath_id")).isEqualTo("\"00000000000000b1\"");
        assertThat(result.bridges().get(br).toString()).isEqualTo(ovs.vsctl("get", "bridge", br, "_uuid"));
        assertThat(result.ofports()).containsEntry(br, 65534L);
        assertThat(vswitch.bridge(br)).hasValueSatisfying(b -> {
            assertThat(b.failMode()).hasValue("secure");
            assertThat(b.ports()).extracting(Views.PortView::name).containsExactly(br);
        });
    }

    @Test
    void addsPortsOfEveryKindInOneTransactionAndReportsOfports() {
        String br1 = name("b1");
        String br2 = name("b2");
        ChangeResult result = vswitch.applyNow(List.of(
                new Change.AddBridge(BridgeSpec.named(br1).withDatapathType("netdev"), false),
                new Change.AddBridge(BridgeSpec.named(br2).withDatapathType("netdev"), false),
                new Change.AddPort(PortSpec.of(br1, name("in"), InterfaceType.INTERNAL).withTag(10L), false),
                new Change.AddPort(PortSpec.patch(br1, name("p12"), name("p21")), false),
                new Change.AddPort(PortSpec.patch(br2, name("p21"), name("p12")), false),
                new Change.AddPort(PortSpec.tunnel(br1, name("vx"), InterfaceType.VXLAN, "127.0.0.2", "42"), false),
                new Change.AddPort(PortSpec.tunnel(br1, name("gn"), InterfaceType.GENEVE, "127.0.0.3", null), false),
                new Change.AddPort(PortSpec.tunnel(br1, name("gr"), InterfaceType.GRE, "127.0.0.4", null), false),
                new Change.AddPort(PortSpec.of(br2, name("tp"), InterfaceType.TAP).withTrunks(Set.of(1L, 2L)), false)),
                ApplyOptions.DEFAULT);

        String show = ovs.vsctl("show");
        assertThat(show).contains("Port " + name("vx")).contains("type: vxlan")
                .contains("options: {key=\"42\", remote_ip=\"127.0.0.2\"}")
                .contains("type: patch").contains("options: {peer=" + name("p21") + "}")
                .contains("type: geneve").contains("type: gre").contains("type: tap");
        assertThat(ovs.vsctl("get", "port", name("in"), "tag")).isEqualTo("10");
        assertThat(ovs.vsctl("get", "port", name("tp"), "trunks")).isEqualTo("[1, 2]");
        for (String iface : List.of(name("in"), name("p12"), name("p21"), name("vx"), name("tp"))) {
            assertThat(result.ofports().get(iface)).as(iface)
                    .isEqualTo(Long.parseLong(ovs.vsctl("get", "interface", iface, "ofport")));
        }
        assertThat(result.interfaceErrors()).isEmpty();
    }

    @Test
    void mayExistAndIfExistsBehaveLikeOvsVsctl() {
        String br = name("c");
        vswitch.applyNow(List.of(new Change.AddBridge(BridgeSpec.named(br), false)), ApplyOptions.DEFAULT.withNoWait(true));

        assertThat(vswitch.applyNow(List.of(new Change.AddBridge(BridgeSpec.named(br), true)), ApplyOptions.DEFAULT))
                .isEqualTo(ChangeResult.NOTHING);
        assertThatThrownBy(() -> vswitch.applyNow(List.of(new Change.AddBridge(BridgeSpec.named(br), false)), ApplyOptions.DEFAULT))
                .isInstanceOf(VSwitchException.class).hasMessage("bridge " + br + " already exists");
        assertThat(vswitch.applyNow(List.of(new Change.DeleteBridge(name("zz"), true)), ApplyOptions.DEFAULT))
                .isEqualTo(ChangeResult.NOTHING);
        assertThatThrownBy(() -> vswitch.applyNow(List.of(new Change.DeletePort(null, name("zz"), false)), ApplyOptions.DEFAULT))
                .hasMessage("no port named " + name("zz"));

        vswitch.applyNow(List.of(new Change.DeleteBridge(br, false)), ApplyOptions.DEFAULT);
        assertThat(ovs.vsctl("list-br")).doesNotContain(br);
    }

    @Test
    void failedBatchAppliesNothing() {
        String br = name("d");
        assertThatThrownBy(() -> vswitch.applyNow(List.of(
                new Change.AddBridge(BridgeSpec.named(br), false),
                new Change.AddPort(PortSpec.of(name("nobr"), name("x"), InterfaceType.INTERNAL), false)), ApplyOptions.DEFAULT))
                .isInstanceOf(VSwitchException.class).hasMessageContaining("no bridge named " + name("nobr"));

        assertThat(ovs.vsctl("list-br")).doesNotContain(br);
        assertThat(vswitch.bridge(br)).isEmpty();
    }

    @Test
    void controllersManagersAndVlans() {
        String br = name("e");
        vswitch.applyNow(List.of(
                new Change.AddBridge(BridgeSpec.named(br).withDatapathType("netdev"), false),
                new Change.AddPort(PortSpec.of(br, name("v"), InterfaceType.INTERNAL), false),
                new Change.SetControllers(br, List.of("tcp:127.0.0.1:6653", "tcp:127.0.0.1:6633"))), ApplyOptions.DEFAULT);
        vswitch.applyNow(List.of(new Change.SetVlan(name("v"), 7L, Set.of(7L, 8L)),
                new Change.SetManagers(List.of("ptcp:16640:127.0.0.1"))), ApplyOptions.DEFAULT);

        assertThat(ovs.vsctl("get-controller", br).lines()).containsExactlyInAnyOrder("tcp:127.0.0.1:6653", "tcp:127.0.0.1:6633");
        assertThat(ovs.vsctl("get-manager")).isEqualTo("ptcp:16640:127.0.0.1");
        assertThat(ovs.vsctl("get", "port", name("v"), "tag")).isEqualTo("7");
        assertThat(vswitch.bridge(br).orElseThrow().controllers()).hasSize(2);

        vswitch.applyNow(List.of(new Change.SetControllers(br, List.of()), new Change.SetManagers(List.of()),
                new Change.SetVlan(name("v"), null, Set.of())), ApplyOptions.DEFAULT);
        assertThat(ovs.vsctl("get-controller", br)).isEmpty();
        assertThat(ovs.vsctl("get-manager")).isEmpty();
        assertThat(ovs.vsctl("get", "port", name("v"), "tag")).isEqualTo("[]");
        assertThat(ovs.vsctl("--columns=_uuid", "list", "controller")).isEmpty();
    }

    @Test
    void changesMadeWithOvsVsctlReachTheReplica() {
        String br = name("f");
        List<String> inserted = new CopyOnWriteArrayList<>();
        ReplicaListener listener = new ReplicaListener() {
            @Override
            public void rowInserted(String table, Row row) {
                if (table.equals("Bridge")) {
                    inserted.add(row.getString("name"));
                }
            }
        };
        client.replica().addListener(listener);
        try {
            ovs.vsctl("add-br", br, "--", "set", "bridge", br, "datapath_type=netdev", "fail_mode=standalone");

            await().atMost(Duration.ofSeconds(10)).until(() -> inserted.contains(br));
            assertThat(vswitch.bridge(br).orElseThrow().failMode()).hasValue("standalone");
            ovs.vsctl("set", "bridge", br, "fail_mode=secure");
            await().atMost(Duration.ofSeconds(10)).until(() -> vswitch.bridge(br).orElseThrow().failMode().equals(java.util.Optional.of("secure")));
        } finally {
            client.replica().removeListener(listener);
        }
    }

    @Test
    void concurrentWritersBothSucceed() throws Exception {
        String br = name("g");
        vswitch.applyNow(List.of(new Change.AddBridge(BridgeSpec.named(br).withDatapathType("netdev"), false)), ApplyOptions.DEFAULT);
        try (OvsdbClient other = OvsdbClient.connect(transport, Endpoint.parse(ovs.dbTarget()), OpenVSwitch.newReplica())) {
            OpenVSwitch second = new OpenVSwitch(other.awaitSynchronised(Duration.ofSeconds(10)));
            var first = vswitch.apply(List.of(new Change.AddPort(PortSpec.of(br, name("x1"), InterfaceType.INTERNAL), false)),
                    ApplyOptions.DEFAULT.withNoWait(true));
            var next = second.apply(List.of(new Change.AddPort(PortSpec.of(br, name("x2"), InterfaceType.INTERNAL), false)),
                    ApplyOptions.DEFAULT.withNoWait(true));
            first.get();
            next.get();
        }
        assertThat(ovs.vsctl("list-ports", br).lines()).contains(name("x1"), name("x2"));
    }

    @Test
    void ensureChangesOnlyWhatDiffersFromTheDeclaration() throws Exception {
        String br = name("h");
        BridgeSpec declared = BridgeSpec.named(br).withDatapathType("netdev").withFailMode("secure")
                .withProtocols(Set.of("OpenFlow13"));
        List<String> controllers = List.of("tcp:127.0.0.1:6653");

        assertThat(vswitch.ensure(List.of(declared), controllers).get()).hasSize(2);
        assertThat(vswitch.ensure(List.of(declared), controllers).get()).isEmpty();
        ovs.vsctl("set", "bridge", br, "fail_mode=standalone", "--", "del-controller", br);
        await().atMost(Duration.ofSeconds(10)).until(() -> vswitch.bridge(br).orElseThrow().controllers().isEmpty());

        assertThat(vswitch.ensure(List.of(declared), controllers).get())
                .containsExactly(new Change.ConfigureBridge(declared), new Change.SetControllers(br, controllers));
        assertThat(ovs.vsctl("get", "bridge", br, "fail_mode")).isEqualTo("secure");
        assertThat(ovs.vsctl("get-controller", br)).isEqualTo("tcp:127.0.0.1:6653");
        assertThat(ovs.vsctl("get", "bridge", br, "protocols")).isEqualTo("[OpenFlow13]");
    }

    @Test
    void deletingAndAddingTheSameNamesInOneBatchWorksAsInOvsVsctl() {
        String br = name("i");
        String port = name("ip");
        vswitch.applyNow(List.of(new Change.AddBridge(BridgeSpec.named(br).withDatapathType("netdev"), false),
                new Change.AddPort(PortSpec.of(br, port, InterfaceType.INTERNAL), false)), ApplyOptions.DEFAULT);

        vswitch.applyNow(List.of(new Change.DeletePort(br, port, false),
                new Change.AddPort(PortSpec.of(br, port, InterfaceType.INTERNAL).withTag(5L), false)), ApplyOptions.DEFAULT);
        assertThat(ovs.vsctl("get", "port", port, "tag")).isEqualTo("5");

        vswitch.applyNow(List.of(new Change.DeleteBridge(br, true),
                new Change.AddBridge(BridgeSpec.named(br).withDatapathType("netdev").withFailMode("secure"), false)),
                ApplyOptions.DEFAULT);
        assertThat(ovs.vsctl("get", "bridge", br, "fail_mode")).isEqualTo("secure");
        assertThat(ovs.vsctl("list-ports", br)).isEmpty();
    }

    @Test
    void laterSettingInTheSameBatchReplacesTheEarlierOne() {
        String br = name("j");
        vswitch.applyNow(List.of(new Change.AddBridge(BridgeSpec.named(br).withDatapathType("netdev"), false)),
                ApplyOptions.DEFAULT);

        vswitch.applyNow(List.of(new Change.SetControllers(br, List.of("tcp:127.0.0.1:1")),
                new Change.SetControllers(br, List.of("tcp:127.0.0.1:2")),
                new Change.SetManagers(List.of("ptcp:16641:127.0.0.1")), new Change.SetManagers(List.of())),
                new ApplyOptions(false, Duration.ofSeconds(10), 5));

        assertThat(ovs.vsctl("get-controller", br)).isEqualTo("tcp:127.0.0.1:2");
        assertThat(ovs.vsctl("get-manager")).isEmpty();
    }
}
