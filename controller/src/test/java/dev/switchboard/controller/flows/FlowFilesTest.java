package dev.switchboard.controller.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModifyStrict;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class FlowFilesTest {
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final OFFactory OF10 = OFFactories.getFactory(OFVersion.OF_10);

    private static final String FILE = """
            # a comment, then a blank line

            priority=100,in_port=1,dl_type=0x0800,nw_dst=10.0.0.0/24,actions=output:2,mod_dl_dst:00:00:00:00:00:02
            cookie=0x1f table=0 idle_timeout=30 hard_timeout=60 tcp tp_dst=80 nw_src=192.168.1.7 actions=normal
            tp_src=53,udp,actions=flood
              arp,arp_tpa=10.0.0.1,actions=controller
            dl_src=00:11:22:33:44:55,dl_vlan=10,actions=strip_vlan,output:3
            icmp,icmp_type=8,actions=drop
            add priority=5,actions=
            """;

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13", "OF_14", "OF_15"})
    void readsTheCommonFieldsAndActionsOnEveryVersion(OFVersion version) {
        List<OFFlowAdd> flows = FlowFiles.parse(FILE, OFFactories.getFactory(version));

        assertThat(flows).hasSize(7);
        OFFlowAdd first = flows.get(0);
        assertThat(first.getPriority()).isEqualTo(100);
        assertThat(first.getMatch().get(MatchField.IN_PORT)).isEqualTo(OFPort.of(1));
        assertThat(first.getMatch().get(MatchField.ETH_TYPE)).isEqualTo(EthType.IPv4);
        assertThat(first.getMatch().getMasked(MatchField.IPV4_DST).getMask()).isEqualTo(IPv4Address.of("255.255.255.0"));
        assertThat(outputs(first)).containsExactly(OFPort.of(2));
        assertThat(actions(first)).hasSize(2);

        OFFlowAdd second = flows.get(1);
        assertThat(second.getCookie()).isEqualTo(U64.of(0x1f));
        assertThat(second.getIdleTimeout()).isEqualTo(30);
        assertThat(second.getHardTimeout()).isEqualTo(60);
        assertThat(second.getPriority()).isEqualTo(32768);
        assertThat(second.getMatch().get(MatchField.IP_PROTO)).isEqualTo(IpProtocol.TCP);
        assertThat(second.getMatch().get(MatchField.TCP_DST)).isEqualTo(TransportPort.of(80));
        assertThat(second.getMatch().get(MatchField.IPV4_SRC)).isEqualTo(IPv4Address.of("192.168.1.7"));
        assertThat(outputs(second)).containsExactly(OFPort.NORMAL);

        assertThat(flows.get(2).getMatch().get(MatchField.UDP_SRC)).isEqualTo(TransportPort.of(53));
        assertThat(outputs(flows.get(2))).containsExactly(OFPort.FLOOD);
        assertThat(flows.get(3).getMatch().get(MatchField.ARP_TPA)).isEqualTo(IPv4Address.of("10.0.0.1"));
        assertThat(outputs(flows.get(3))).containsExactly(OFPort.CONTROLLER);
        assertThat(flows.get(4).getMatch().get(MatchField.ETH_SRC)).isEqualTo(MacAddress.of("00:11:22:33:44:55"));
        assertThat(flows.get(4).getMatch().get(MatchField.VLAN_VID)).isEqualTo(OFVlanVidMatch.ofVlan(10));
        assertThat(actions(flows.get(4))).hasSize(2);
        assertThat(actions(flows.get(5))).isEmpty();
        assertThat(actions(flows.get(6))).isEmpty();
        flows.forEach(FlowFilesTest::encodes);
    }

    @Test
    void setFieldAndGotoTableFromOpenFlow13() {
        OFFlowAdd flow = FlowFiles.parse("table=1,ip,actions=set_field:10.0.0.9->ip_dst,mod_vlan_vid:7,goto_table:2", OF13).get(0);

        assertThat(flow.getTableId()).isEqualTo(TableId.of(1));
        assertThat(actions(flow)).hasSize(2).allMatch(action -> action instanceof OFActionSetField);
        assertThat(flow.getInstructions()).anyMatch(i -> i instanceof OFInstructionGotoTable g && g.getTableId().equals(TableId.of(2)));
    }

    @Test
    void maskedMacsFromOpenFlow12AndAClearErrorBefore() {
        String line = "dl_src=00:11:22:33:44:55/ff:ff:ff:00:00:00,actions=drop";

        assertThat(FlowFiles.parse(line, OF13).get(0).getMatch().getMasked(MatchField.ETH_SRC).getMask())
                .isEqualTo(MacAddress.of("ff:ff:ff:00:00:00"));
        assertThat(catchThrowableOfType(FlowParseException.class, () -> FlowFiles.parse(line, OF10)).getMessage())
                .startsWith("line 1: 'dl_src=00:11:22:33:44:55/ff:ff:ff:00:00:00': not supported in OpenFlow OF_10");
    }

    @Test
    void manyLinesParseInOrder() {
        String file = IntStream.range(0, 5000)
                .mapToObj(i -> "priority=10,ip,nw_dst=10." + (i >> 8) + "." + (i & 0xff) + ".1,actions=output:" + (1 + i % 4))
                .collect(Collectors.joining("\n"));

        List<OFFlowAdd> flows = FlowFiles.parse(file, OF10);

        assertThat(flows).hasSize(5000);
        assertThat(flows.get(4999).getMatch().get(MatchField.IPV4_DST)).isEqualTo(IPv4Address.of("10.19.135.1"));
        assertThat(outputs(flows.get(4999))).containsExactly(OFPort.of(4));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "priority=1,nw_dst=10.0.0.300,ip,actions=drop | line 2: 'nw_dst=10.0.0.300': not an IPv4 address",
            "priority=1,actions=output:x                 | line 2: 'output:x': not a number",
            "priority=70000,actions=drop                 | line 2: 'priority=70000': out of range 0-65535",
            "in_port=1,tp_dst=80,actions=drop            | line 2: 'tp_dst=80': needs tcp, udp or sctp",
            "nw_src=10.0.0.1,actions=drop                | line 2: 'nw_src=10.0.0.1': needs ip or arp",
            "dl_dst=00:zz:00:00:00:01,actions=drop       | line 2: 'dl_dst=00:zz:00:00:00:01': not a MAC address",
            "frobnicate=3,actions=drop                   | line 2: 'frobnicate=3': unknown field",
            "priority=3,actions=output:2,teleport:9      | line 2: 'teleport:9': unknown action",
            "priority=3,in_port=1                        | line 2: 'priority=3,in_port=1': no actions=",
            "tcp,udp,actions=drop                        | line 2: 'udp': contradicts an earlier field",
            "in_port=1,in_port=2,actions=drop            | line 2: 'in_port=2': set twice",
            "actions=set_field:1.2.3.4                   | line 2: 'set_field:1.2.3.4': set_field needs VALUE->FIELD",
    })
    void anErrorNamesTheLineAndTheToken(String line, String expected) {
        String file = "# first line is a comment\n" + line + "\npriority=1,actions=drop\n";

        FlowParseException e = catchThrowableOfType(FlowParseException.class, () -> FlowFiles.parse(file, OF13));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith(expected.strip());
        assertThat(e.where()).isEqualTo("line 2");
    }

    @Test
    void jsonMapsToTheSameFlows() {
        String json = """
                {"flows": [
                  {"priority": 100, "match": {"in_port": 1, "dl_type": "0x0800", "nw_dst": "10.0.0.0/24"},
                   "actions": ["output:2", "mod_dl_dst:00:00:00:00:00:02"]},
                  {"cookie": "0x1f", "table": 0, "idle_timeout": 30, "hard_timeout": 60,
                   "match": {"tcp": true, "tp_dst": 80, "nw_src": "192.168.1.7"}, "actions": "normal"},
                  {"match": {}, "actions": []}
                ]}
                """;
        String text = """
                priority=100,in_port=1,dl_type=0x0800,nw_dst=10.0.0.0/24,actions=output:2,mod_dl_dst:00:00:00:00:00:02
                cookie=0x1f,table=0,idle_timeout=30,hard_timeout=60,tcp,tp_dst=80,nw_src=192.168.1.7,actions=normal
                actions=drop
                """;

        assertThat(withoutXids(FlowFiles.parse(json, OF13))).isEqualTo(withoutXids(FlowFiles.parse(text, OF13)));
        assertThat(FlowFiles.parse("[" + json.substring(json.indexOf('[') + 1), OF13)).hasSize(3);
    }

    @Test
    void jsonErrorsNameTheFlow() {
        FlowParseException e = catchThrowableOfType(FlowParseException.class, () -> FlowFiles.parse(
                "[{\"actions\": []}, {\"match\": {\"nw_proto\": \"six\"}, \"actions\": []}]", OF13));

        assertThat(e.getMessage()).startsWith("flow 2: 'nw_proto=six': not a number");
        assertThat(catchThrowableOfType(FlowParseException.class, () -> FlowFiles.parse("[{\"match\": {}}]", OF13)).getMessage())
                .startsWith("flow 1: 'actions': missing");
        assertThat(catchThrowableOfType(FlowParseException.class, () -> FlowFiles.parse("[{\"prio\": 1, \"actions\": []}]", OF13)).getMessage())
                .startsWith("flow 1: 'prio': unknown key");
    }

    @Test
    void aCommentAfterAFlowIsDropped() {
        List<FlowDefinition> flows = FlowFiles.fromText("priority=5,ip,actions=output:2   # to the server\n# only a comment\n");

        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).actions()).containsExactly("output:2");
        assertThat(flows.get(0).text()).isEqualTo("priority=5,ip,actions=output:2");
        assertThat(outputs(FlowFiles.parse("in_port=1,actions=output:3#no space before it", OF13).get(0)))
                .containsExactly(OFPort.of(3));
    }

    @Test
    void aBackslashContinuesTheFlowOnTheNextLineAndErrorsNameItsFirstLine() {
        String file = """
                # comment
                priority=7,ip,\\
                   nw_dst=10.0.0.1,\\
                   actions=mod_dl_dst:00:00:00:00:00:02,\\
                output:2
                priority=8,actions=drop
                """;

        List<FlowDefinition> flows = FlowFiles.fromText(file);

        assertThat(flows).extracting(FlowDefinition::where).containsExactly("line 2", "line 6");
        assertThat(flows).extracting(FlowDefinition::position).containsExactly(2, 6);
        assertThat(flows.get(0).actions()).containsExactly("mod_dl_dst:00:00:00:00:00:02", "output:2");
        assertThat(FlowFiles.parse(file, OF13).get(0).getMatch().get(MatchField.IPV4_DST)).isEqualTo(IPv4Address.of("10.0.0.1"));

        FlowParseException bad = catchThrowableOfType(FlowParseException.class,
                () -> FlowFiles.parse("actions=drop\npriority=1,\\\n  ip,nw_dst=10.0.0.300,actions=drop\n", OF13));
        assertThat(bad.getMessage()).startsWith("line 2: 'nw_dst=10.0.0.300'");
        FlowParseException open = catchThrowableOfType(FlowParseException.class,
                () -> FlowFiles.fromText("actions=drop\npriority=1,\\\n"));
        assertThat(open.where()).isEqualTo("line 2");
        assertThat(open.getMessage()).contains("ends inside a continued line");
    }

    @Test
    void unbalancedParenthesesInActionsAreNamedWithTheirLine() {
        FlowParseException unclosed = catchThrowableOfType(FlowParseException.class,
                () -> FlowFiles.fromText("actions=drop\npriority=1,actions=output:1,learn(table=1,output:NXM_OF_IN_PORT[]\n"));
        assertThat(unclosed.where()).isEqualTo("line 2");
        assertThat(unclosed.token()).startsWith("learn(table=1");
        assertThat(unclosed.getMessage()).contains("never closed");

        FlowParseException stray = catchThrowableOfType(FlowParseException.class,
                () -> FlowFiles.fromText("priority=1,actions=output:1),normal"));
        assertThat(stray.where()).isEqualTo("line 1");
        assertThat(stray.getMessage()).contains("')' without a '('");

        // balanced but unknown to the builder: still the line and the whole action
        FlowParseException learn = catchThrowableOfType(FlowParseException.class,
                () -> FlowFiles.parse("priority=1,actions=learn(table=1,output:1),normal", OF13));
        assertThat(learn.getMessage()).startsWith("line 1: 'learn(table=1,output:1)': unknown action");
    }

    @Test
    void modifyAndDeleteSelectFlowsByMatchAndCookieMaskDeletesAcrossTables() {
        FlowModBuilder builder = new FlowModBuilder(OF13);
        OFFlowMod modify = builder.build(FlowFiles.definitions("cookie=0x1f/-1,priority=100,tcp,tp_dst=80,actions=output:3").get(0),
                FlowModBuilder.Command.MODIFY_STRICT);
        assertThat(modify).isInstanceOf(OFFlowModifyStrict.class);
        assertThat(modify.getTableId()).as("OVS refuses all tables for a modify").isEqualTo(TableId.ZERO);
        assertThat(modify.getCookie()).isEqualTo(U64.of(0x1f));
        assertThat(modify.getCookieMask()).isEqualTo(U64.NO_MASK);
        assertThat(modify.getMatch().get(MatchField.TCP_DST)).isEqualTo(TransportPort.of(80));

        OFFlowMod delete = builder.build(FlowFiles.match("match", "priority=100,tcp,tp_dst=80"), FlowModBuilder.Command.DELETE);
        assertThat(delete).isInstanceOf(OFFlowDelete.class);
        assertThat(delete.getTableId()).isEqualTo(TableId.ALL);
        assertThat(delete.getOutPort()).isEqualTo(OFPort.ANY);
        assertThat(delete.getMatch().get(MatchField.TCP_DST)).isEqualTo(TransportPort.of(80));
        OFFlowMod all = builder.build(FlowFiles.match("match", ""), FlowModBuilder.Command.DELETE);
        assertThat(all.getMatch().getMatchFields()).isEmpty();
        assertThat(new FlowModBuilder(OF10).build(FlowFiles.match("match", "in_port=1"), FlowModBuilder.Command.DELETE_STRICT))
                .isInstanceOf(OFFlowDeleteStrict.class);

        assertThat(catchThrowableOfType(FlowParseException.class, () -> FlowFiles.match("match", "ip,actions=drop")).getMessage())
                .startsWith("match: 'actions=': a match has no actions");
        assertThat(catchThrowableOfType(FlowParseException.class, () -> builder.build(FlowFiles.match("match", "cookie=0x1f"),
                FlowModBuilder.Command.DELETE)).getMessage()).contains("cookie=VALUE/MASK");
        assertThat(catchThrowableOfType(FlowParseException.class, () -> new FlowModBuilder(OF10).build(
                FlowFiles.match("match", "cookie=1/-1"), FlowModBuilder.Command.DELETE)).getMessage()).contains("no cookie mask");
        assertThat(catchThrowableOfType(FlowParseException.class, () -> FlowFiles.parse("cookie=1/-1,actions=drop", OF13)).getMessage())
                .contains("needs one value");
    }

    @Test
    void jsonFlowsKeepTheirPositionAndText() {
        List<FlowDefinition> flows = FlowFiles.definitions("[{\"actions\": []}, {\"priority\": 3, \"actions\": [\"normal\"]}]");

        assertThat(flows.get(1).position()).isEqualTo(2);
        assertThat(flows.get(1).text()).isEqualTo("{\"priority\":3,\"actions\":[\"normal\"]}");
    }

    /** Each message gets an xid of its own when built. */
    private static List<Object> withoutXids(List<OFFlowAdd> flows) {
        return flows.stream().map(f -> (Object) f.createBuilder().setXid(0).build()).toList();
    }

    private static List<OFAction> actions(OFFlowAdd flow) {
        if (flow.getVersion() == OFVersion.OF_10) {
            return flow.getActions();
        }
        return flow.getInstructions().stream()
                .filter(i -> i instanceof OFInstructionApplyActions)
                .flatMap(i -> ((OFInstructionApplyActions) i).getActions().stream())
                .toList();
    }

    private static List<OFPort> outputs(OFFlowAdd flow) {
        return actions(flow).stream().filter(a -> a instanceof OFActionOutput).map(a -> ((OFActionOutput) a).getPort()).toList();
    }

    private static void encodes(OFFlowAdd flow) {
        ByteBuf buf = Unpooled.buffer();
        try {
            flow.writeTo(buf);
            assertThat(buf.readableBytes()).isGreaterThan(0);
        } finally {
            buf.release();
        }
    }
}
