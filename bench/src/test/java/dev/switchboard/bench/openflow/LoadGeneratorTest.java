package dev.switchboard.bench.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The generator against a stub controller on loopback that answers every packet-in with a fixed
 * list of messages: the counts must say how many packet-ins were answered, each once, however
 * many messages named it.
 */
class LoadGeneratorTest {
    private static final int SWITCHES = 2;

    private EventLoopGroup group;
    private Channel server;

    @BeforeEach
    void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Starts a stub controller that answers each packet-in with {@code answers.apply(factory, it)}. */
    private InetSocketAddress controller(OFVersion version, BiFunction<OFFactory, OFPacketIn, List<OFMessage>> answers) {
        OFFactory f = OFFactories.getFactory(version);
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new LengthFieldBasedFrameDecoder(0xffff, 2, 2, -4, 0))
                                .addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    public void channelActive(ChannelHandlerContext ctx) {
                                        write(ctx, f.buildHello().build());
                                        write(ctx, f.buildFeaturesRequest().build());
                                        ctx.flush();
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame)
                                            throws OFParseError {
                                        if (frame.getUnsignedByte(frame.readerIndex() + 1) != 10) {
                                            return; // HELLO, FEATURES_REPLY: nothing to do
                                        }
                                        OFPacketIn in = (OFPacketIn) OFFactories.getGenericReader().readFrom(frame);
                                        answers.apply(f, in).forEach(m -> write(ctx, m));
                                    }

                                    @Override
                                    public void channelReadComplete(ChannelHandlerContext ctx) {
                                        ctx.flush();
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
        return (InetSocketAddress) server.localAddress();
    }

    private static void write(ChannelHandlerContext ctx, OFMessage m) {
        ByteBuf buf = ctx.alloc().buffer();
        m.writeTo(buf);
        ctx.write(buf);
    }

    private static LoadGenerator.Result run(InetSocketAddress controller, OFVersion version, LoadOptions.Mode mode)
            throws InterruptedException {
        LoadOptions options = new LoadOptions(controller, SWITCHES, 20, 4, mode, 16, Duration.ofMillis(300), 2, 1,
                version, Duration.ofSeconds(5), 1, Duration.ofSeconds(10), Duration.ofSeconds(10));
        return new LoadGenerator(options, line -> { }).run();
    }

    private static List<OFAction> toPort2(OFFactory f) {
        return List.of(f.actions().output(OFPort.of(2), 0xffff));
    }

    private static OFMessage flowMod(OFFactory f, OFBufferId bufferId) {
        return f.buildFlowAdd().setBufferId(bufferId).setActions(toPort2(f)).build();
    }

    private static OFMessage packetOut(OFFactory f, OFPacketIn in, boolean withData) {
        var b = f.buildPacketOut().setInPort(OFPort.of(1)).setActions(toPort2(f));
        return withData
                ? b.setBufferId(OFBufferId.NO_BUFFER).setData(in.getData()).build()
                : b.setBufferId(in.getBufferId()).build();
    }

    private static long total(LoadGenerator.Result r, java.util.function.ToLongFunction<LoopFigures> field) {
        return r.total(field);
    }

    /** Responses are counted per message; loops may cut an answer in two, hence the slack. */
    private static void assertMessagesPerAnswered(LoadGenerator.Result r, int messages, int unmatchedPerPacketIn) {
        long answered = total(r, LoopFigures::answered);
        long responses = total(r, LoopFigures::responses);
        long slack = (long) SWITCHES * 16 * messages;
        assertThat(answered).isGreaterThan(100);
        assertThat(responses).isBetween(answered * messages - slack, answered * messages + slack);
        assertThat(total(r, LoopFigures::unmatched))
                .isBetween(answered * unmatchedPerPacketIn - slack, answered * unmatchedPerPacketIn + slack);
        assertThat(total(r, LoopFigures::expired)).isZero();
        assertThat(r.learnedHosts()).isEqualTo(r.totalHosts()).isEqualTo(SWITCHES * 20);
        assertThat(r.measured()).hasSize(2);
        assertThat(r.warmup()).hasSize(1);
    }

    @Test
    void oneBufferedFlowModPerPacketInIsOneAnswerAndOneResponse() throws Exception {
        InetSocketAddress c = controller(OFVersion.OF_10, (f, in) -> List.of(flowMod(f, in.getBufferId())));
        LoadGenerator.Result r = run(c, OFVersion.OF_10, LoadOptions.Mode.THROUGHPUT);
        assertMessagesPerAnswered(r, 1, 0);
        assertThat(total(r, LoopFigures::flowMods)).isEqualTo(total(r, LoopFigures::responses));
    }

    @Test
    void ryuStyleFlowModWithoutBufferAndPacketOutCountTwiceAsResponsesButOnceAsAnswered() throws Exception {
        InetSocketAddress c = controller(OFVersion.OF_10,
                (f, in) -> List.of(flowMod(f, OFBufferId.NO_BUFFER), packetOut(f, in, false)));
        LoadGenerator.Result r = run(c, OFVersion.OF_10, LoadOptions.Mode.THROUGHPUT);
        assertMessagesPerAnswered(r, 2, 1);
        assertThat(total(r, LoopFigures::packetOuts)).isCloseTo(total(r, LoopFigures::flowMods),
                org.assertj.core.data.Offset.offset((long) SWITCHES * 16));
    }

    @Test
    void threeMessagesNamingOnePacketInCountItOnce() throws Exception {
        InetSocketAddress c = controller(OFVersion.OF_13, (f, in) -> List.of(
                flowMod(f, in.getBufferId()), packetOut(f, in, false), packetOut(f, in, true)));
        LoadGenerator.Result r = run(c, OFVersion.OF_13, LoadOptions.Mode.THROUGHPUT);
        assertMessagesPerAnswered(r, 3, 2);
    }

    @Test
    void anUnbufferedPacketOutIsMatchedByTheFrameItCarries() throws Exception {
        InetSocketAddress c = controller(OFVersion.OF_13, (f, in) -> List.of(packetOut(f, in, true)));
        LoadGenerator.Result r = run(c, OFVersion.OF_13, LoadOptions.Mode.THROUGHPUT);
        assertMessagesPerAnswered(r, 1, 0);
    }

    @Test
    void latencyModeKeepsOnePacketInPerSwitchInFlightAndMeasuresEveryRoundTrip() throws Exception {
        InetSocketAddress c = controller(OFVersion.OF_10, (f, in) -> List.of(flowMod(f, in.getBufferId())));
        LoadGenerator.Result r = run(c, OFVersion.OF_10, LoadOptions.Mode.LATENCY);
        long answered = total(r, LoopFigures::answered);
        assertThat(answered).isGreaterThan(100);
        assertThat(r.latency().count()).isEqualTo(answered);
        for (LoopFigures loop : r.measured()) {
            assertThat(loop.sent() - loop.answered()).isBetween(-SWITCHES * 1L, SWITCHES * 1L);
        }
        long p50 = r.latency().percentile(50);
        assertThat(p50).isPositive().isLessThanOrEqualTo(r.latency().percentile(99));
        assertThat(r.latency().percentile(99)).isLessThanOrEqualTo(r.latency().percentile(99.9));
        assertThat(Report.closing(r)).anySatisfy(line -> assertThat(line).startsWith("LATENCY: p50/p99/p99.9 = "));
    }

    @Test
    void aControllerThatAnswersNothingIsCountedAsNoAnswersAndNothingStalls() throws Exception {
        InetSocketAddress c = controller(OFVersion.OF_10, (f, in) -> List.of());
        LoadOptions options = new LoadOptions(c, 1, 4, 2, LoadOptions.Mode.THROUGHPUT, 4, Duration.ofMillis(200), 2, 0,
                OFVersion.OF_10, Duration.ofMillis(50), 1, Duration.ofSeconds(10), Duration.ofMillis(300));
        List<String> lines = new ArrayList<>();
        LoadGenerator.Result r = new LoadGenerator(options, lines::add).run();
        assertThat(r.learnedHosts()).isZero();
        assertThat(total(r, LoopFigures::answered)).isZero();
        assertThat(total(r, LoopFigures::responses)).isZero();
        assertThat(total(r, LoopFigures::expired)).as("given up, so the window keeps moving").isPositive();
        assertThat(Report.closing(r)).contains("LATENCY: no packet-in was answered");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("learning: 0 of 4 hosts"));
    }

    @Test
    void noControllerIsAnError() {
        LoadOptions options = new LoadOptions(new InetSocketAddress("127.0.0.1", 1), 1, 4, 2,
                LoadOptions.Mode.THROUGHPUT, 4, Duration.ofMillis(200), 1, 0, OFVersion.OF_10, Duration.ofMillis(50), 1,
                Duration.ofSeconds(1), Duration.ofMillis(300));
        assertThatThrownBy(() -> new LoadGenerator(options, line -> { }).run()).isInstanceOf(RuntimeException.class);
    }
}
