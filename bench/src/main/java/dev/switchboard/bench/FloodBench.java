package dev.switchboard.bench;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./switchboard bench flood}: a hostile OpenFlow peer against a running controller. It
 * writes as fast as the kernel takes and never reads (a 4 KiB receive buffer), while a
 * well-behaved emulated switch sends an ECHO_REQUEST every 100 ms. It prints the peak and the
 * after-flood resident memory (VmRSS) of the controller's process and the echoes answered.
 */
@Command(name = "flood", mixinStandardHelpOptions = true,
        description = "A peer that writes and never reads, against a running controller; prints the controller's RSS.")
public final class FloodBench implements Callable<Integer> {
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

    @Spec
    private CommandSpec spec;

    @Option(names = "--controller", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6653",
            description = "The controller to flood (default: ${DEFAULT-VALUE}).")
    private String controller;

    @Option(names = "--pid", required = true, description = "The controller's process id, whose VmRSS is read.")
    private long pid;

    @Option(names = "--kind", defaultValue = "echo",
            description = "echo (64 KiB ECHO_REQUESTs from a ready 1.3 switch), hello (the same before HELLO),"
                    + " packet-in (1400-byte PACKET_INs between two hosts from a ready switch, which l2-learning answers"
                    + " with a FLOW_MOD and a PACKET_OUT carrying the frame)"
                    + " (default: ${DEFAULT-VALUE}).")
    private String kind;

    @Option(names = "--seconds", defaultValue = "5", description = "Length of the flood (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--after", defaultValue = "5",
            description = "Seconds RSS is watched after the flooder left (default: ${DEFAULT-VALUE}).")
    private int after;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        InetSocketAddress address = address(controller);
        byte[] frame = switch (kind) {
            case "echo", "hello" -> bytesOf(OF13.buildEchoRequest().setXid(9).setData(new byte[0xffff - 8]).build());
            case "packet-in" -> packetIns(32);
            default -> throw new IllegalArgumentException("--kind must be echo, hello or packet-in: " + kind);
        };
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        long before = rssKiB();
        AtomicLong peak = new AtomicLong(before);
        try (Socket flooder = new Socket()) {
            EmulatedSwitch healthy = EmulatedSwitch.connect(loops, address, EmulatedSwitchOptions.builder()
                    .datapathId(DatapathId.of(0x11)).helloVersion(OFVersion.OF_13)
                    .supportedVersions(OFVersion.OF_13).build());
            flooder.setReceiveBufferSize(4096);
            flooder.connect(address, 5000);
            flooder.setSoTimeout(10_000);
            if (!kind.equals("hello")) {
                handshake(flooder, 0x22);
            }
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream stream = flooder.getOutputStream();
                    while (!Thread.currentThread().isInterrupted()) {
                        stream.write(frame);
                        sent.addAndGet(frame.length);
                    }
                } catch (IOException e) {
                    // the controller closed it, or we did
                }
            }, "flooder");
            writer.setDaemon(true);
            writer.start();
            int echoes = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                healthy.send(healthy.factory().buildEchoRequest().setXid(1000 + echoes).build());
                echoes++;
                Thread.sleep(100);
                peak.accumulateAndGet(rssKiB(), Math::max);
            }
            Thread.sleep(200);
            long answered = healthy.received(OFEchoReply.class).stream().filter(r -> r.getXid() >= 1000).count();
            boolean closedByController = !writer.isAlive();
            flooder.close();
            writer.join(5000);
            long sentBytes = sent.get();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(after);
            long last = rssKiB();
            while (System.nanoTime() < end) {
                Thread.sleep(100);
                last = rssKiB();
                peak.accumulateAndGet(last, Math::max);
            }
            boolean healthyConnected = healthy.isConnected();
            healthy.close();
            out.printf("flood %s for %d s against %s (pid %d): the flooder wrote %d MiB%s%n", kind, seconds, address, pid,
                    sentBytes >> 20, closedByController ? " and was disconnected" : "");
            out.printf("controller RSS: %d MiB before, %d MiB peak, %d MiB %d s after the flooder left%n",
                    before >> 10, peak.get() >> 10, last >> 10, after);
            out.printf("well-behaved switch: %d of %d echo requests answered during the flood, %s%n", answered, echoes,
                    healthyConnected ? "still connected" : "disconnected");
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        return 0;
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--controller must be HOST:PORT: " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** VmRSS of the controller's process, in KiB. */
    private long rssKiB() throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no process " + pid + " (did the controller die?)");
        }
        throw new IllegalStateException("no VmRSS in " + status);
    }

    /** Answers the controller's handshake as a 1.3 switch without ports. */
    private static void handshake(Socket socket, long datapathId) throws IOException {
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        out.write(bytesOf(OF13.buildHello().build()));
        while (true) {
            OFMessage message = read(in);
            if (message instanceof OFFeaturesRequest) {
                out.write(bytesOf(OF13.buildFeaturesReply().setXid(message.getXid())
                        .setDatapathId(DatapathId.of(datapathId)).setNBuffers(0).setNTables((short) 1).build()));
            } else if (message instanceof OFPortDescStatsRequest) {
                out.write(bytesOf(OF13.buildPortDescStatsReply().setXid(message.getXid()).setEntries(List.of()).build()));
            } else if (message instanceof OFDescStatsRequest) {
                out.write(bytesOf(OF13.buildDescStatsReply().setXid(message.getXid()).setMfrDesc("flood")
                        .setHwDesc("flood").setSwDesc("flood").setSerialNum("1").setDpDesc("flood").build()));
            } else if (message instanceof OFBarrierRequest) {
                out.write(bytesOf(OF13.buildBarrierReply().setXid(message.getXid()).build()));
                return;
            }
        }
    }

    private static OFMessage read(DataInputStream in) throws IOException {
        byte[] header = new byte[8];
        in.readFully(header);
        int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        byte[] whole = new byte[length];
        System.arraycopy(header, 0, whole, 0, 8);
        in.readFully(whole, 8, length - 8);
        try {
            return OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(whole));
        } catch (OFParseError e) {
            throw new IOException("cannot parse what the controller sent", e);
        }
    }

    /**
     * {@code count} table-miss PACKET_INs back to back: 1400-byte frames between two hosts, on
     * ports 1 and 2, each way in turn. Once both are learnt, a learning switch answers each with a
     * FLOW_MOD and a PACKET_OUT that carries the frame back: as many bytes out as in.
     */
    private static byte[] packetIns(int count) {
        ByteBuf all = Unpooled.buffer();
        for (int i = 0; i < count; i++) {
            int from = 1 + i % 2;
            int to = 3 - from;
            byte[] ethernet = new byte[1400];
            ethernet[0] = 0x02;
            ethernet[5] = (byte) to;
            ethernet[6] = 0x02;
            ethernet[11] = (byte) from;
            ethernet[12] = 0x08; // IPv4
            OF13.buildPacketIn().setXid(0).setBufferId(OFBufferId.NO_BUFFER).setTotalLen(ethernet.length)
                    .setReason(OFPacketInReason.NO_MATCH).setTableId(TableId.of(0)).setCookie(U64.ZERO)
                    .setMatch(OF13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(from)).build())
                    .setData(ethernet).build().writeTo(all);
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        return bytes;
    }

    private static byte[] bytesOf(OFMessage message) {
        ByteBuf buffer = Unpooled.buffer();
        message.writeTo(buffer);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }
}
