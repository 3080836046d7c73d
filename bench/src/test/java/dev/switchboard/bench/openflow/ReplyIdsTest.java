package dev.switchboard.bench.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.openflow.OpenFlowMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

class ReplyIdsTest {

    private static ByteBuf wire(OFMessage m) {
        ByteBuf buf = Unpooled.buffer();
        m.writeTo(buf);
        return buf;
    }

    /** A packet-in as the generator sends it, decoded by openflowj. */
    private static OFPacketIn packetIn(OFVersion version, int switchNumber, int id) {
        PacketIns packets = PacketIns.build(version, switchNumber, 10, 4);
        ByteBuf out = Unpooled.buffer();
        packets.writeTo(out, 3, id);
        try {
            return (OFPacketIn) OFFactories.getGenericReader().readFrom(out);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            out.release();
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void packetInsCarryTheirIdAsXidBufferIdAndTag(OFVersion version) {
        OFPacketIn in = packetIn(version, 7, 123_456);
        assertThat(in.getXid()).isEqualTo(123_456);
        assertThat(in.getBufferId().getInt()).isEqualTo(123_456);
        byte[] frame = in.getData();
        assertThat(frame).hasSize(PacketIns.FRAME_LENGTH);
        assertThat(MacAddress.of(java.util.Arrays.copyOfRange(frame, 6, 12)).getLong())
                .isEqualTo(PacketIns.mac(7, 3));
        assertThat(MacAddress.of(java.util.Arrays.copyOfRange(frame, 0, 6)).getLong())
                .isEqualTo(PacketIns.mac(7, PacketIns.peerOf(3, 10, 4)));
        OFPort inPort = OpenFlowMessages.inPort(in);
        assertThat(inPort.getPortNumber()).isEqualTo(PacketIns.portOf(3, 4));
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void aFlowModWithABufferIdNamesThatPacketIn(OFVersion version) {
        OFFactory f = OFFactories.getFactory(version);
        ByteBuf buffered = wire(f.buildFlowAdd().setBufferId(OFBufferId.of(42)).setPriority(7).build());
        ByteBuf unbuffered = wire(f.buildFlowAdd().setBufferId(OFBufferId.NO_BUFFER).build());
        assertThat(ReplyIds.type(buffered)).isEqualTo(ReplyIds.FLOW_MOD);
        assertThat(ReplyIds.packetInId(buffered, 1)).isEqualTo(42);
        assertThat(ReplyIds.packetInId(unbuffered, 1)).isEqualTo(ReplyIds.NONE);
        buffered.release();
        unbuffered.release();
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void aPacketOutNamesItsPacketInByBufferIdOrByTheFrameItCarries(OFVersion version) {
        OFFactory f = OFFactories.getFactory(version);
        OFPacketIn in = packetIn(version, 5, 99);
        List<OFAction> actions = List.of(f.actions().output(OFPort.of(2), 0xffff), f.actions().output(OFPort.FLOOD, 0));
        ByteBuf byBuffer = wire(f.buildPacketOut().setBufferId(OFBufferId.of(77)).setInPort(OFPort.of(1))
                .setActions(actions).build());
        ByteBuf byData = wire(f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.of(1))
                .setActions(actions).setData(in.getData()).build());
        ByteBuf foreignData = wire(f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.of(1))
                .setActions(actions).setData(new byte[64]).build());
        assertThat(ReplyIds.type(byBuffer)).isEqualTo(ReplyIds.PACKET_OUT);
        assertThat(ReplyIds.packetInId(byBuffer, 5)).isEqualTo(77);
        assertThat(ReplyIds.packetInId(byData, 5)).isEqualTo(99);
        assertThat(ReplyIds.packetInId(byData, 6)).as("another switch's frame").isEqualTo(ReplyIds.NONE);
        assertThat(ReplyIds.packetInId(foreignData, 5)).isEqualTo(ReplyIds.NONE);
        byBuffer.release();
        byData.release();
        foreignData.release();
    }

    @Test
    void truncatedRepliesNameNothing() {
        ByteBuf header = Unpooled.wrappedBuffer(new byte[] {1, 14, 0, 8, 0, 0, 0, 0});
        assertThat(ReplyIds.packetInId(header, 1)).isEqualTo(ReplyIds.NONE);
        ByteBuf packetOut = Unpooled.wrappedBuffer(new byte[] {4, 13, 0, 16, 0, 0, 0, 0, -1, -1, -1, -1, 0, 0, 0, 1});
        assertThat(ReplyIds.packetInId(packetOut, 1)).isEqualTo(ReplyIds.NONE);
    }
}
