package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/** OVS's 1.2 packet-ins from tunnel ports carry Nicira match fields that openflowj's 1.2 reader refuses. */
class Of12PacketInRepairTest {
    private static final OFFactory OF12 = OFFactories.getFactory(OFVersion.OF_12);
    private static final byte[] FRAME = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    /** NXM_NX_TUN_ID (class 0x0001, field 16, 8 bytes) = 100, as OVS puts it in a 1.2 packet-in. */
    private static final byte[] TUN_ID = {0x00, 0x01, 0x20, 0x08, 0, 0, 0, 0, 0, 0, 0, 100};

    @Test
    void aPacketInWithNiciraTunnelFieldsIsReadWithItsInPortAndFrame() {
        ByteBuf wire = withTunnelId(packetIn(7));
        assertThatThrownBy(() -> OFFactories.getGenericReader().readFrom(wire.duplicate()))
                .as("openflowj alone refuses it").isInstanceOf(OFParseError.class);
        Counters counters = new Counters();
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowFrameDecoder(4096, new OpenFlowMessageParser(counters), counters));

        channel.writeInbound(wire);

        OFPacketIn in = channel.readInbound();
        assertThat(in.getMatch().get(MatchField.IN_PORT)).isEqualTo(OFPort.of(7));
        assertThat(in.getData()).containsExactly(FRAME);
        assertThat(in.getXid()).isEqualTo(42);
        assertThat(in.getTotalLen()).isEqualTo(FRAME.length);
        assertThat(counters.snapshot().unknownMessagesSkipped()).isZero();
        channel.finish();
    }

    @Test
    void aPacketInWithOnlyBasicFieldsIsNotRewritten() {
        ByteBuf wire = packetIn(3);
        assertThat(Of12PacketInRepair.withBasicFieldsOnly(wire)).isNull();
        wire.release();
    }

    @Test
    void matchLengthsThatDoNotAddUpAreNotRepaired() {
        ByteBuf wire = withTunnelId(packetIn(3));
        wire.setByte(16 + 4 + 8 + 3, 200); // the tunnel field's length runs past the match
        assertThat(Of12PacketInRepair.withBasicFieldsOnly(wire)).isNull();
        wire.release();
    }

    private static ByteBuf packetIn(int inPort) {
        ByteBuf wire = Unpooled.buffer();
        OF12.buildPacketIn().setXid(42).setBufferId(OFBufferId.NO_BUFFER).setTotalLen(FRAME.length)
                .setReason(OFPacketInReason.ACTION).setTableId(TableId.of(0))
                .setMatch(OF12.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(inPort)).build())
                .setData(FRAME).build().writeTo(wire);
        return wire;
    }

    /** The same packet-in with {@link #TUN_ID} appended to its match (in_port's 8 bytes + 4 = 12: padding was 4, now 0). */
    private static ByteBuf withTunnelId(ByteBuf basic) {
        int matchLength = basic.getUnsignedShort(18);
        int padded = (matchLength + 7) & ~7;
        int newMatchLength = matchLength + TUN_ID.length;
        int newPadded = (newMatchLength + 7) & ~7;
        ByteBuf wire = Unpooled.buffer();
        wire.writeBytes(basic, 0, 16 + matchLength);
        wire.writeBytes(TUN_ID);
        wire.writeZero(newPadded - newMatchLength);
        wire.writeBytes(basic, 16 + padded, basic.writerIndex() - 16 - padded);
        wire.setShort(18, newMatchLength);
        wire.setShort(2, wire.writerIndex());
        basic.release();
        return wire;
    }
}
