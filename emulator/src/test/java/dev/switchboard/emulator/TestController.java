package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * A minimal controller for tests: accepts connections and hands each one's frames, raw, to the
 * test thread. Raw frames let a test check bytes openflowj cannot parse (an unknown version).
 */
final class TestController implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 5;

    private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    private final Channel server;

    TestController(EventLoopGroup group) {
        server =
                new ServerBootstrap()
                        .group(group)
                        .channel(NioServerSocketChannel.class)
                        .childHandler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        Connection c = new Connection(ch);
                                        ch.pipeline()
                                                .addLast(new LengthFieldBasedFrameDecoder(0xffff, 2, 2, -4, 0))
                                                .addLast(OFMessageEncoder.INSTANCE)
                                                .addLast(
                                                        new SimpleChannelInboundHandler<ByteBuf>() {
                                                            @Override
                                                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf f) {
                                                                c.frames.add(ByteBufUtil.getBytes(f));
                                                            }
                                                        });
                                        accepted.add(c);
                                    }
                                })
                        .bind(new InetSocketAddress("127.0.0.1", 0))
                        .syncUninterruptibly()
                        .channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    Connection accept() throws InterruptedException {
        Connection c = accepted.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(c).as("accepted connection").isNotNull();
        return c;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }

    /** One accepted switch connection. */
    static final class Connection {
        final Channel channel;
        final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();

        Connection(Channel channel) {
            this.channel = channel;
        }

        void send(OFMessage m) {
            channel.writeAndFlush(m).syncUninterruptibly();
        }

        byte[] nextFrame() throws InterruptedException {
            byte[] frame = frames.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(frame).as("frame from switch").isNotNull();
            return frame;
        }

        OFMessage next() throws Exception {
            ByteBuf buf = Unpooled.wrappedBuffer(nextFrame());
            return OFFactories.getGenericReader().readFrom(buf);
        }

        <T extends OFMessage> T next(Class<T> type) throws Exception {
            OFMessage m = next();
            assertThat(m).isInstanceOf(type);
            return type.cast(m);
        }
    }
}
