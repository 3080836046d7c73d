package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Every message the emulator builds survives openflowj's own writer and reader in every version:
 * a field that the version cannot carry would throw or come back different.
 */
class WireRoundTripTest {

    private static OFMessage roundTrip(OFMessage m) throws Exception {
        ByteBuf buf = Unpooled.buffer();
        try {
            m.writeTo(buf);
            assertThat(buf.getUnsignedShort(2)).as("length field").isEqualTo(buf.readableBytes());
            OFMessage back = OFFactories.getGenericReader().readFrom(buf);
            assertThat(buf.isReadable()).as("bytes left over").isFalse();
            return back;
        } finally {
            buf.release();
        }
    }

    private static List<OFMessage> requests(OFFactory f) {
        List<OFMessage> requests = new ArrayList<>();
        requests.add(f.buildFeaturesRequest().setXid(11).build());
        requests.add(f.buildDescStatsRequest().setXid(12).build());
        requests.add(f.buildFlowStatsRequest().setXid(13).build());
        requests.add(f.buildPortStatsRequest().setXid(14).setPortNo(OFPort.ANY).build());
        requests.add(f.buildTableStatsRequest().setXid(15).build());
        requests.add(f.buildBarrierRequest().setXid(16).build());
        requests.add(f.buildEchoRequest().setXid(17).setData(new byte[] {1}).build());
        requests.add(f.buildGetConfigRequest().setXid(18).build());
        if (f.getVersion().compareTo(OFVersion.OF_13) >= 0) {
            requests.add(f.buildPortDescStatsRequest().setXid(19).build());
        }
        return requests;
    }

    @ParameterizedTest
    @EnumSource(OFVersion.class)
    void defaultAnswersRoundTripWithTheRequestXid(OFVersion version) throws Exception {
        OFFactory f = OFFactories.getFactory(version);
        EmulatedSwitchOptions options =
                EmulatedSwitchOptions.builder().portCount(5).portsPerDescReply(2).build();
        List<OFPortDesc> ports = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ports.add(
                    SwitchMessages.portDesc(
                            f, i, "eth" + i, SwitchMessages.portMac(options.datapathId(), i)));
        }
        DefaultAnswers answers = new DefaultAnswers(options, () -> ports);
        for (OFMessage request : requests(f)) {
            List<OFMessage> replies = answers.answer(roundTrip(request));
            assertThat(replies).as("replies to %s", request.getType()).isNotEmpty();
            for (OFMessage reply : replies) {
                assertThat(reply.getXid()).isEqualTo(request.getXid());
                assertThat(reply.getVersion()).isEqualTo(version);
                assertThat(roundTrip(reply)).isEqualTo(reply);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(OFVersion.class)
    void originatedMessagesRoundTrip(OFVersion version) throws Exception {
        OFFactory f = OFFactories.getFactory(version);
        OFPortDesc port =
                SwitchMessages.portDesc(f, 7, "eth7", SwitchMessages.portMac(DatapathId.of(3), 7));
        OFMessage status = f.buildPortStatus().setReason(OFPortReason.ADD).setDesc(port).build();
        assertThat(roundTrip(status)).isEqualTo(status);
        OFMessage packetIn = SwitchMessages.packetIn(f, OFPort.of(7), new byte[] {1, 2, 3, 4});
        assertThat(roundTrip(packetIn)).isEqualTo(packetIn);
        OFMessage hello = Versions.hello(version, java.util.EnumSet.allOf(OFVersion.class), true);
        assertThat(roundTrip(hello)).isEqualTo(hello);
    }

    @ParameterizedTest
    @EnumSource(OFVersion.class)
    void portsConvertToEveryVersion(OFVersion version) throws Exception {
        OFPortDesc of13 =
                SwitchMessages.portDesc(
                        OFFactories.getFactory(OFVersion.OF_13),
                        1,
                        "eth1",
                        SwitchMessages.portMac(DatapathId.of(1), 1));
        OFFactory f = OFFactories.getFactory(version);
        OFPortDesc converted = SwitchMessages.convert(of13, f);
        assertThat(converted.getVersion()).isEqualTo(version);
        assertThat(converted.getName()).isEqualTo("eth1");
        assertThat(converted.getHwAddr()).isEqualTo(of13.getHwAddr());
        OFMessage status = f.buildPortStatus().setReason(OFPortReason.MODIFY).setDesc(converted).build();
        assertThat(roundTrip(status)).isEqualTo(status);
    }
}
