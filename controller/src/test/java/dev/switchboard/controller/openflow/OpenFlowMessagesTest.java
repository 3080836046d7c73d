package dev.switchboard.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.openflow.OpenFlowMessages.FlowSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * Every helper on every version the controller offers, read back from the bytes a switch
 * would receive: a helper that used a field some version lacks would throw here, and one that
 * put a value where the version does not look would read back wrong.
 */
class OpenFlowMessagesTest {
    private static final byte[] FRAME = new byte[60];
    private static final U64 COOKIE = U64.of(0x5342_0100_0000_0007L);

    static Set<OFVersion> offeredVersions() {
        return ControllerConfig.DEFAULT_VERSIONS;
    }

    @ParameterizedTest
    @MethodSource("offeredVersions")
    void readsThePacketInsInPort(OFVersion version) throws OFParseError {
        OFPacketIn in = wire(packetIn(OFFactories.getFactory(version), OFPort.of(7), OFBufferId.NO_BUFFER));

        assertThat(OpenFlowMessages.inPort(in)).isEqualTo(OFPort.of(7));
    }

    @ParameterizedTest
    @MethodSource("offeredVersions")
    void packetOutOfAnUnbufferedPacketInCarriesItsDataAndInPort(OFVersion version) throws OFParseError {
        OFFactory f = OFFactories.getFactory(version);
        OFPacketIn in = packetIn(f, OFPort.of(3), OFBufferId.NO_BUFFER);

        OFPacketOut out = wire(OpenFlowMessages.packetOut(f, in, OpenFlowMessages.inPort(in),
                OpenFlowMessages.outputs(f, List.of(OFPort.of(1), OFPort.FLOOD))));

        assertThat(OpenFlowMessages.inPort(out)).isEqualTo(OFPort.of(3));
        assertThat(out.getBufferId()).isEqualTo(OFBufferId.NO_BUFFER);
        assertThat(out.getData()).isEqualTo(FRAME);
        assertThat(outputPorts(out.getActions())).containsExactly(OFPort.of(1), OFPort.FLOOD);
    }

    @ParameterizedTest
    @MethodSource("offeredVersions")
    void packetOutOfABufferedPacketInReleasesTheBufferWithoutData(OFVersion version) throws OFParseError {
        OFFactory f = OFFactories.getFactory(version);
        OFPacketIn in = packetIn(f, OFPort.of(3), OFBufferId.of(42));

        OFPacketOut out = wire(OpenFlowMessages.packetOut(f, in, OFPort.of(3), OpenFlowMessages.outputs(f, List.of(OFPort.of(2)))));

        assertThat(out.getBufferId()).isEqualTo(OFBufferId.of(42));
        assertThat(out.getData()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("offeredVersions")
    void packetOutOfAControllerMadeFrame(OFVersion version) throws OFParseError {
        OFFactory f = OFFactories.getFactory(version);
        byte[] probe = {1, 2, 3, 4};

        OFPacketOut out = wire(OpenFlowMessages.packetOut(f, probe, OFPort.CONTROLLER, OpenFlowMessages.outputs(f, List.of(OFPort.of(5)))));

        assertThat(OpenFlowMessages.inPort(out)).isEqualTo(OFPort.CONTROLLER);
        assertThat(out.getData()).isEqualTo(probe);
        assertThat(outputPorts(out.getActions())).containsExactly(OFPort.of(5));
    }

    @ParameterizedTest
    @MethodSource("offeredVersions")
    void flowAddAppliesItsActionsWhereTheVersionKeepsThem(OFVersion version) throws OFParseError {
        OFFactory f = OFFactories.getFactory(version);
        Match match = f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(4))
                .setExact(MatchField.ETH_DST, MacAddress.of(0x0a0000000001L)).build();
        FlowSpec spec = new FlowSpec(COOKIE, 123, 30, 300, match, true);

        OFFlowAdd flow = wire(OpenFlowMessages.flowAdd(f, spec, OpenFlowMessages.outputs(f, List.of(OFPort.of(9))), OFBufferId.of(5)));

        assertThat(flow.getCookie()).isEqualTo(COOKIE);
        assertThat(flow.getPriority()).isEqualTo(123);
        assertThat(flow.getIdleTimeout()).isEqualTo(30);
        assertThat(flow.getHardTimeout()).isEqualTo(300);
        assertThat(flow.getBufferId()).isEqualTo(OFBufferId.of(5));
        assertThat(flow.getFlags()).containsExactly(OFFlowModFlags.SEND_FLOW_REM);
        assertThat(flow.getMatch().get(MatchField.IN_PORT)).isEqualTo(OFPort.of(4));
        assertThat(flow.getMatch().get(MatchField.ETH_DST)).isEqualTo(MacAddress.of(0x0a0000000001L));
        List<OFAction> actions = version == OFVersion.OF_10
                ? flow.getActions()
                : ((OFInstructionApplyActions) flow.getInstructions().get(0)).getActions();
        assertThat(outputPorts(actions)).containsExactly(OFPort.of(9));
    }

    @ParameterizedTest
    @MethodSource("offeredVersions")
    void inPortMatchMatchesTheInPortAlone(OFVersion version) {
        OFFactory f = OFFactories.getFactory(version);

        Match match = OpenFlowMessages.inPortMatch(f, OFPort.of(6));

        assertThat(match.get(MatchField.IN_PORT)).isEqualTo(OFPort.of(6));
        assertThat(match.getMatchFields()).containsExactly(MatchField.IN_PORT);
    }

    @ParameterizedTest
    @MethodSource("offeredVersions")
    void flowDeleteNamesTheCookieOrOn10TheExactFlow(OFVersion version) throws OFParseError {
        OFFactory f = OFFactories.getFactory(version);
        Match match = OpenFlowMessages.inPortMatch(f, OFPort.of(2));

        OFMessage delete = wire(OpenFlowMessages.flowDelete(f, COOKIE, match, 77));

        if (version == OFVersion.OF_10) {
            OFFlowDeleteStrict strict = (OFFlowDeleteStrict) delete;
            assertThat(strict.getPriority()).isEqualTo(77);
            assertThat(strict.getMatch().get(MatchField.IN_PORT)).isEqualTo(OFPort.of(2));
        } else {
            OFFlowDelete byCookie = (OFFlowDelete) delete;
            assertThat(byCookie.getCookie()).isEqualTo(COOKIE);
            assertThat(byCookie.getCookieMask()).isEqualTo(U64.of(-1L));
        }
    }

    private static OFPacketIn packetIn(OFFactory f, OFPort inPort, OFBufferId buffer) {
        OFPacketIn.Builder b = f.buildPacketIn()
                .setReason(OFPacketInReason.NO_MATCH)
                .setBufferId(buffer)
                .setData(buffer.equals(OFBufferId.NO_BUFFER) ? FRAME : new byte[0]);
        if (f.getVersion().compareTo(OFVersion.OF_12) < 0) {
            b.setInPort(inPort);
        } else {
            b.setMatch(f.buildMatch().setExact(MatchField.IN_PORT, inPort).build());
        }
        return b.build();
    }

    /** The message as a switch would read it off the wire. */
    @SuppressWarnings("unchecked")
    private static <T extends OFMessage> T wire(T message) throws OFParseError {
        ByteBuf buf = Unpooled.buffer();
        try {
            message.writeTo(buf);
            OFMessage read = OFFactories.getGenericReader().readFrom(buf);
            assertThat(read).isEqualTo(message);
            return (T) read;
        } finally {
            buf.release();
        }
    }

    private static List<OFPort> outputPorts(List<OFAction> actions) {
        return actions.stream().map(a -> ((OFActionOutput) a).getPort()).toList();
    }
}
