package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFGetConfigReply;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFTableStatsReply;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFHelloFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U32;

/** Emulated switches against {@link TestController} over loopback TCP. */
class EmulatedSwitchTest {
    private static EventLoopGroup group;
    private TestController controller;
    private EmulatedSwitch sw;

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void startController() {
        controller = new TestController(group);
    }

    @AfterEach
    void stop() {
        if (sw != null) {
            sw.close();
        }
        controller.close();
    }

    /** Connects, reads the switch's HELLO, answers with {@code hello}, waits for negotiation. */
    private TestController.Connection handshake(EmulatedSwitchOptions options, OFHello hello)
            throws Exception {
        sw = EmulatedSwitch.connect(group, controller.address(), options);
        TestController.Connection c = controller.accept();
        c.next(OFHello.class);
        c.send(hello);
        await().atMost(5, TimeUnit.SECONDS).until(() -> !sw.received(OFHello.class).isEmpty());
        return c;
    }

    private static OFHello helloWithBitmap(OFVersion version, OFVersion... bitmap) {
        OFFactory f = OFFactories.getFactory(version);
        OFHelloElem elem =
                f.buildHelloElemVersionbitmap()
                        .setBitmaps(List.of(U32.of(Versions.bitmap(Set.of(bitmap), 0))))
                        .build();
        return f.buildHello().setElements(List.of(elem)).build();
    }

    private static OFHello plainHello(OFVersion version) {
        return OFFactories.getFactory(version).buildHello().build();
    }

    @Test
    void of13HandshakeSendsBitmapAndSplitsPortDescription() throws Exception {
        EmulatedSwitchOptions options =
                EmulatedSwitchOptions.builder().datapathId(0x2a).portCount(3).portsPerDescReply(2).build();
        sw = EmulatedSwitch.connect(group, controller.address(), options);
        TestController.Connection c = controller.accept();

        OFHello hello = c.next(OFHello.class);
        assertThat(hello.getVersion()).isEqualTo(OFVersion.OF_13);
        assertThat(Versions.bitmapOf(hello)).hasValue(0b111_1110);
        assertThat(sw.negotiatedVersion()).isNull();

        c.send(helloWithBitmap(OFVersion.OF_13, OFVersion.OF_10, OFVersion.OF_13));
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
        c.send(f.buildFeaturesRequest().setXid(42).build());
        OFFeaturesReply features = c.next(OFFeaturesReply.class);
        assertThat(features.getXid()).isEqualTo(42);
        assertThat(features.getDatapathId()).isEqualTo(DatapathId.of(0x2a));
        assertThat(features.getNTables()).isEqualTo((short) 254);
        assertThat(features.getNBuffers()).isZero();
        assertThat(sw.negotiatedVersion()).isEqualTo(OFVersion.OF_13);

        c.send(f.buildPortDescStatsRequest().setXid(43).build());
        OFPortDescStatsReply first = c.next(OFPortDescStatsReply.class);
        OFPortDescStatsReply second = c.next(OFPortDescStatsReply.class);
        assertThat(first.getXid()).isEqualTo(43);
        assertThat(second.getXid()).isEqualTo(43);
        assertThat(first.getFlags()).containsExactly(OFStatsReplyFlags.REPLY_MORE);
        assertThat(second.getFlags()).isEmpty();
        assertThat(first.getEntries()).extracting(OFPortDesc::getName).containsExactly("eth1", "eth2");
        assertThat(second.getEntries()).extracting(OFPortDesc::getName).containsExactly("eth3");
        assertThat(first.getEntries().get(0).getHwAddr())
                .isEqualTo(MacAddress.of("02:00:00:2a:00:01"));
        assertThat(sw.ports()).containsExactlyElementsOf(
                List.of(first.getEntries().get(0), first.getEntries().get(1), second.getEntries().get(0)));
    }

    @Test
    void of10FeaturesReplyCarriesThePorts() throws Exception {
        EmulatedSwitchOptions options =
                EmulatedSwitchOptions.builder().helloVersion(OFVersion.OF_10).build();
        TestController.Connection c = handshake(options, plainHello(OFVersion.OF_10));
        assertThat(sw.negotiatedVersion()).isEqualTo(OFVersion.OF_10);

        c.send(OFFactories.getFactory(OFVersion.OF_10).buildFeaturesRequest().setXid(7).build());
        OFFeaturesReply features = c.next(OFFeaturesReply.class);
        assertThat(features.getVersion()).isEqualTo(OFVersion.OF_10);
        assertThat(features.getXid()).isEqualTo(7);
        assertThat(features.getPorts()).extracting(OFPortDesc::getName).containsExactly("eth1", "eth2");
        assertThat(features.getPorts().get(1).getHwAddr())
                .isEqualTo(MacAddress.of("02:00:00:01:00:02"));
    }

    @Test
    void bitmapsOnBothSidesPickTheHighestCommonVersion() throws Exception {
        EmulatedSwitchOptions options =
                EmulatedSwitchOptions.builder()
                        .helloVersion(OFVersion.OF_14)
                        .supportedVersions(OFVersion.OF_10, OFVersion.OF_13, OFVersion.OF_14)
                        .build();
        handshake(options, helloWithBitmap(OFVersion.OF_15, OFVersion.OF_13, OFVersion.OF_15));
        assertThat(sw.negotiatedVersion()).isEqualTo(OFVersion.OF_13);
        assertThat(sw.factory().getVersion()).isEqualTo(OFVersion.OF_13);
        assertThat(sw.ports()).allSatisfy(p -> assertThat(p.getVersion()).isEqualTo(OFVersion.OF_13));
    }

    @Test
    void withoutOurBitmapTheLowerHelloVersionWins() throws Exception {
        EmulatedSwitchOptions options = EmulatedSwitchOptions.builder().sendVersionBitmap(false).build();
        sw = EmulatedSwitch.connect(group, controller.address(), options);
        TestController.Connection c = controller.accept();
        assertThat(Versions.bitmapOf(c.next(OFHello.class))).isEmpty();
        c.send(helloWithBitmap(OFVersion.OF_15, OFVersion.OF_15));
        await().atMost(5, TimeUnit.SECONDS).until(() -> sw.negotiatedVersion() != null);
        assertThat(sw.negotiatedVersion()).isEqualTo(OFVersion.OF_13);
    }

    @Test
    void noCommonVersionFailsTheHelloAndCloses() throws Exception {
        EmulatedSwitchOptions options =
                EmulatedSwitchOptions.builder().supportedVersions(Set.of(OFVersion.OF_13)).build();
        TestController.Connection c = handshake(options, plainHello(OFVersion.OF_10));
        OFHelloFailedErrorMsg error = c.next(OFHelloFailedErrorMsg.class);
        assertThat(error.getCode()).isEqualTo(OFHelloFailedCode.INCOMPATIBLE);
        sw.closeFuture().get(5, TimeUnit.SECONDS);
        assertThat(sw.isConnected()).isFalse();
        assertThat(sw.negotiatedVersion()).isNull();
    }

    @Test
    void helloWireVersionOverrideWritesTheRawVersionByte() throws Exception {
        EmulatedSwitchOptions options =
                EmulatedSwitchOptions.builder().helloWireVersionOverride(7).build();
        sw = EmulatedSwitch.connect(group, controller.address(), options);
        TestController.Connection c = controller.accept();
        byte[] frame = c.nextFrame();
        assertThat(frame).hasSize(16);
        assertThat(frame[0]).isEqualTo((byte) 7); // version
        assertThat(frame[1]).isEqualTo((byte) 0); // HELLO
        assertThat(frame[3]).isEqualTo((byte) 16); // length
        assertThat(java.util.Arrays.copyOfRange(frame, 8, 16))
                .containsExactly(0, 1, 0, 8, 0, 0, 0, 0xfe); // VERSIONBITMAP: 1.0–1.5 plus wire 7

        // A 1.3 controller with a bitmap negotiates down to 1.3 from the bitmaps.
        c.send(helloWithBitmap(OFVersion.OF_13, OFVersion.OF_13));
        await().atMost(5, TimeUnit.SECONDS).until(() -> sw.negotiatedVersion() != null);
        assertThat(sw.negotiatedVersion()).isEqualTo(OFVersion.OF_13);
    }

    @Test
    void answersRequestsWithTheirXidAndRecordsTheRest() throws Exception {
        TestController.Connection c =
                handshake(EmulatedSwitchOptions.builder().build(), plainHello(OFVersion.OF_13));
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);

        c.send(f.buildEchoRequest().setXid(1).setData(new byte[] {1, 2, 3}).build());
        OFEchoReply echo = c.next(OFEchoReply.class);
        assertThat(echo.getXid()).isEqualTo(1);
        assertThat(echo.getData()).containsExactly(1, 2, 3);

        c.send(f.buildDescStatsRequest().setXid(2).build());
        OFDescStatsReply desc = c.next(OFDescStatsReply.class);
        assertThat(desc.getXid()).isEqualTo(2);
        assertThat(desc.getMfrDesc()).isEqualTo("Switchboard");
        assertThat(desc.getDpDesc()).isEqualTo("emulated 00:00:00:00:00:00:00:01");

        c.send(f.buildSetConfig().setXid(3).setMissSendLen(0xffff).build());
        c.send(f.buildGetConfigRequest().setXid(4).build());
        OFGetConfigReply config = c.next(OFGetConfigReply.class);
        assertThat(config.getXid()).isEqualTo(4);
        assertThat(config.getMissSendLen()).isEqualTo(0xffff);

        c.send(f.buildFlowStatsRequest().setXid(5).build());
        assertThat(c.next(OFFlowStatsReply.class).getXid()).isEqualTo(5);
        c.send(f.buildPortStatsRequest().setXid(6).setPortNo(OFPort.ANY).build());
        assertThat(c.next(OFPortStatsReply.class).getXid()).isEqualTo(6);
        c.send(f.buildTableStatsRequest().setXid(7).build());
        OFTableStatsReply tables = c.next(OFTableStatsReply.class);
        assertThat(tables.getXid()).isEqualTo(7);
        assertThat(tables.getEntries()).hasSize(1);

        c.send(f.buildFlowAdd().setXid(8).setPriority(10).build());
        c.send(f.buildPacketOut().setXid(9).setData(new byte[60]).build());
        c.send(f.buildBarrierRequest().setXid(10).build());
        assertThat(c.next(OFBarrierReply.class).getXid()).isEqualTo(10);
        // The request is recorded before its reply is written, so no waiting is needed here.
        assertThat(sw.received(OFFlowMod.class)).extracting(OFFlowMod::getXid).containsExactly(8L);
        assertThat(sw.received(OFPacketOut.class)).hasSize(1);
        assertThat(sw.received()).extracting(m -> m.getType()).startsWith(OFType.HELLO).endsWith(
                OFType.FLOW_MOD, OFType.PACKET_OUT, OFType.BARRIER_REQUEST);
    }

    @Test
    void aFrameHandlerSeesFramesBeforeDecodingAndKeepsThoseItConsumes() throws Exception {
        List<Integer> keptTypes = new java.util.concurrent.CopyOnWriteArrayList<>();
        sw = EmulatedSwitch.prepare(EmulatedSwitchOptions.builder().build())
                .withFrameHandler(new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                        io.netty.buffer.ByteBuf frame = (io.netty.buffer.ByteBuf) msg;
                        int type = frame.getUnsignedByte(frame.readerIndex() + 1);
                        if (type == 14) { // FLOW_MOD in every version
                            keptTypes.add(type);
                            frame.release();
                        } else {
                            ctx.fireChannelRead(frame);
                        }
                    }
                })
                .connectTo(group, io.netty.channel.socket.nio.NioSocketChannel.class, controller.address());
        assertThatThrownBy(() -> sw.withFrameHandler(new io.netty.channel.ChannelInboundHandlerAdapter()))
                .isInstanceOf(IllegalStateException.class);
        TestController.Connection c = controller.accept();
        c.next(OFHello.class);
        c.send(plainHello(OFVersion.OF_13));
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
        c.send(f.buildFlowAdd().setXid(8).setPriority(10).build());
        c.send(f.buildBarrierRequest().setXid(9).build());
        assertThat(c.next(OFBarrierReply.class).getXid()).isEqualTo(9);
        assertThat(keptTypes).containsExactly(14);
        assertThat(sw.received()).extracting(m -> m.getType()).containsExactly(OFType.HELLO, OFType.BARRIER_REQUEST);
    }

    @Test
    void echoesCanBeLeftUnanswered() throws Exception {
        TestController.Connection c =
                handshake(
                        EmulatedSwitchOptions.builder().answerEchoes(false).build(),
                        plainHello(OFVersion.OF_13));
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
        c.send(f.buildEchoRequest().setXid(1).build());
        c.send(f.buildBarrierRequest().setXid(2).build());
        assertThat(c.next(OFBarrierReply.class).getXid()).isEqualTo(2);
    }

    @Test
    void respondersReplaceTheDefaultAnswer() throws Exception {
        TestController.Connection c =
                handshake(EmulatedSwitchOptions.builder().build(), plainHello(OFVersion.OF_13));
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
        sw.onMessage(OFType.FEATURES_REQUEST, m -> List.of());
        sw.onMessage(
                OFType.ECHO_REQUEST,
                m -> List.of(f.buildEchoReply().setXid(m.getXid()).setData(new byte[] {9}).build()));

        c.send(f.buildFeaturesRequest().setXid(1).build());
        c.send(f.buildEchoRequest().setXid(2).build());
        OFEchoReply echo = c.next(OFEchoReply.class);
        assertThat(echo.getXid()).isEqualTo(2);
        assertThat(echo.getData()).containsExactly(9);
        assertThat(sw.received()).extracting(m -> m.getType()).contains(OFType.FEATURES_REQUEST);
    }

    @Test
    void packetInCarriesInPortInTheMatchFrom12() throws Exception {
        TestController.Connection c =
                handshake(EmulatedSwitchOptions.builder().build(), plainHello(OFVersion.OF_13));
        byte[] frame = new byte[64];
        frame[0] = (byte) 0xff;
        sw.sendPacketIn(OFPort.of(2), frame);
        OFPacketIn in = c.next(OFPacketIn.class);
        assertThat(in.getMatch().get(MatchField.IN_PORT)).isEqualTo(OFPort.of(2));
        assertThat(in.getBufferId()).isEqualTo(OFBufferId.NO_BUFFER);
        assertThat(in.getTotalLen()).isEqualTo(64);
        assertThat(in.getData()).isEqualTo(frame);
    }

    @Test
    void packetInCarriesInPortAsAFieldIn10() throws Exception {
        TestController.Connection c =
                handshake(
                        EmulatedSwitchOptions.builder().helloVersion(OFVersion.OF_10).build(),
                        plainHello(OFVersion.OF_10));
        sw.sendPacketIn(OFPort.of(1), new byte[60]);
        OFPacketIn in = c.next(OFPacketIn.class);
        assertThat(in.getVersion()).isEqualTo(OFVersion.OF_10);
        assertThat(in.getInPort()).isEqualTo(OFPort.of(1));
    }

    @Test
    void portStatusUpdatesThePorts() throws Exception {
        TestController.Connection c =
                handshake(EmulatedSwitchOptions.builder().build(), plainHello(OFVersion.OF_13));
        OFPortDesc eth3 = sw.portDesc(3, "eth3");
        sw.sendPortStatus(OFPortReason.ADD, eth3);
        OFPortStatus added = c.next(OFPortStatus.class);
        assertThat(added.getReason()).isEqualTo(OFPortReason.ADD);
        assertThat(added.getDesc()).isEqualTo(eth3);
        assertThat(sw.ports()).extracting(OFPortDesc::getName).containsExactly("eth1", "eth2", "eth3");

        sw.sendPortStatus(OFPortReason.DELETE, sw.ports().get(0));
        assertThat(c.next(OFPortStatus.class).getReason()).isEqualTo(OFPortReason.DELETE);
        assertThat(sw.ports()).extracting(OFPortDesc::getName).containsExactly("eth2", "eth3");
    }

    @Test
    void sendRawWritesTheBytesUnchanged() throws Exception {
        sw = EmulatedSwitch.connect(group, controller.address(), EmulatedSwitchOptions.builder().build());
        TestController.Connection c = controller.accept();
        c.nextFrame(); // HELLO
        byte[] bogus = {4, (byte) 0xee, 0, 8, 0, 0, 0, 1};
        sw.sendRaw(bogus);
        assertThat(c.nextFrame()).isEqualTo(bogus);
    }

    @Test
    void closeIsSeenOnBothSides() throws Exception {
        sw = EmulatedSwitch.connect(group, controller.address(), EmulatedSwitchOptions.builder().build());
        TestController.Connection c = controller.accept();
        assertThat(sw.isConnected()).isTrue();
        c.channel.close().syncUninterruptibly();
        sw.closeFuture().get(5, TimeUnit.SECONDS);
        assertThat(sw.isConnected()).isFalse();

        EmulatedSwitch other =
                EmulatedSwitch.connect(group, controller.address(), EmulatedSwitchOptions.builder().build());
        TestController.Connection c2 = controller.accept();
        other.close();
        assertThat(other.closeFuture()).isDone();
        c2.channel.closeFuture().await(5, TimeUnit.SECONDS);
        assertThat(c2.channel.isActive()).isFalse();
    }

    @Test
    void connectFailureIsUncheckedIoException() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
        assertThatThrownBy(
                        () -> EmulatedSwitch.connect(group, closed, EmulatedSwitchOptions.builder().build()))
                .isInstanceOf(UncheckedIOException.class);
    }
}
