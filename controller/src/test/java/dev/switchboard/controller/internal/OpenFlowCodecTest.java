package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

class OpenFlowCodecTest {
    private final OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
    private final Counters counters = new Counters();

    private static ByteBuf bytes(OFMessage... messages) {
        ByteBuf buffer = Unpooled.buffer();
        for (OFMessage message : messages) {
            message.writeTo(buffer);
        }
        return buffer;
    }

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new OpenFlowFrameDecoder(4096, new OpenFlowMessageParser(counters), counters));
    }

    @Test
    void framesMessagesSplitAndJoinedAnyWay() {
        EmbeddedChannel channel = channel();
        ByteBuf two = bytes(f.buildEchoRequest().setXid(1).setData(new byte[] {9}).build(),
                f.buildEchoRequest().setXid(2).build());

        channel.writeInbound(two.readRetainedSlice(5));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(two.readRetainedSlice(two.readableBytes()));
        two.release();

        assertThat(((OFEchoRequest) channel.readInbound()).getData()).containsExactly(9);
        assertThat(((OFEchoRequest) channel.readInbound()).getXid()).isEqualTo(2);
        assertFalse(channel.finish());
    }

    @Test
    void discardsEverythingAfterABadHeader() {
        EmbeddedChannel channel = channel();
        ByteBuf input = Unpooled.buffer();
        input.writeBytes(new byte[] {4, 2, 0, 4, 0, 0, 0, 1});
        f.buildEchoRequest().setXid(3).build().writeTo(input);

        assertThatThrownBy(() -> channel.writeInbound(input)).isInstanceOf(DecoderException.class)
                .hasRootCauseInstanceOf(OpenFlowProtocolException.class)
                .rootCause().hasMessageContaining("smaller than the 8-byte OpenFlow header");
        channel.writeInbound(bytes(f.buildEchoRequest().setXid(4).build()));

        assertThat((Object) channel.readInbound()).isNull();
        assertFalse(channel.finish());
    }

    @Test
    void messageWithMalformedBodyIsAProtocolViolation() {
        EmbeddedChannel channel = channel();
        ByteBuf flowRemoved = bytes(f.buildFlowRemoved().setReason(OFFlowRemovedReason.IDLE_TIMEOUT)
                .setTableId(TableId.of(0)).setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build()).build());
        int matchLength = 48 + 2;
        flowRemoved.setShort(matchLength, 200);

        assertThatThrownBy(() -> channel.writeInbound(flowRemoved))
                .hasRootCauseInstanceOf(OpenFlowProtocolException.class)
                .rootCause().hasMessageContaining("cannot parse a message of version 4, type 11");
        assertFalse(channel.finish());
    }

    @Test
    void unknownExtensionsAreCountedAndSkipped() {
        EmbeddedChannel channel = channel();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {4, 4, 0, 16, 0, 0, 0, 1, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1}));
        channel.writeInbound(bytes(f.buildEchoRequest().setXid(5).build()));

        assertThat(((OFMessage) channel.readInbound()).getXid()).isEqualTo(5);
        assertThat(counters.snapshot().unknownMessagesSkipped()).isEqualTo(1);
        assertFalse(channel.finish());
    }

    @Test
    void encoderWritesWhatOpenflowjWrites() {
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowMessageEncoder());
        OFMessage hello = VersionNegotiation.hello(java.util.EnumSet.of(OFVersion.OF_10, OFVersion.OF_13));

        channel.writeOutbound(hello);

        ByteBuf written = channel.readOutbound();
        assertThat(written.getUnsignedByte(0)).isEqualTo((short) 4);
        assertThat(written.getUnsignedShort(2)).isEqualTo(written.readableBytes());
        assertThat(written.getInt(written.readableBytes() - 4)).as("version bitmap: bits 1 and 4").isEqualTo(0b10010);
        written.release();
        assertFalse(channel.finish());
    }

    @Test
    void stopsReadingWhileTheChannelIsUnwritableAndGoesOnWhenItDrains() {
        EmbeddedChannel channel = channel();
        channel.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.wrappedBuffer(new byte[64])); // waits unflushed: above the high mark
        assertThat(channel.isWritable()).isFalse();

        channel.writeInbound(bytes(f.buildEchoRequest().setXid(1).build(), f.buildEchoRequest().setXid(2).build()));

        assertThat((Object) channel.readInbound()).as("nothing parsed while unwritable").isNull();
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(counters.snapshot().readPauses()).isEqualTo(1);

        channel.flushOutbound(); // the peer took it: writable again
        ((ByteBuf) channel.readOutbound()).release();

        assertThat(((OFMessage) channel.readInbound()).getXid()).isEqualTo(1);
        assertThat(((OFMessage) channel.readInbound()).getXid()).isEqualTo(2);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertFalse(channel.finish());
    }

    @Test
    void oneReadBurstHandsOnAtMostTheCapThenResumesInATask() {
        java.util.List<Integer> bursts = new java.util.ArrayList<>();
        int[] seen = {0};
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowFrameDecoder(4096, new OpenFlowMessageParser(counters),
                counters), new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                        seen[0]++;
                    }

                    @Override
                    public void channelReadComplete(io.netty.channel.ChannelHandlerContext ctx) {
                        bursts.add(seen[0]);
                        seen[0] = 0;
                    }
                });
        int cap = OpenFlowFrameDecoder.MAX_MESSAGES_PER_BURST;
        ByteBuf many = Unpooled.buffer();
        for (int i = 0; i < 2 * cap + 10; i++) {
            f.buildEchoRequest().setXid(i).build().writeTo(many);
        }

        channel.writeInbound(many);
        channel.runPendingTasks();

        assertThat(bursts).containsExactly(cap, cap, 10);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertFalse(channel.finish());
    }
}
