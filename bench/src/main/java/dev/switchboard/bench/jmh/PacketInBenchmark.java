package dev.switchboard.bench.jmh;

import dev.switchboard.apps.l2.L2LearningPath;
import dev.switchboard.bench.openflow.PacketIns;
import dev.switchboard.controller.internal.BenchmarkDecodePath;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * One packet-in through the controller's hot path, in process: the raw PACKET_IN bytes the load
 * generator sends (`bench openflow`: 64-byte IPv4/UDP frames between {@code macs} hosts spread
 * over 16 ports) -> the controller's decode step (openflowj's reader, in place, as the frame
 * decoder calls it, through the controller's {@link BenchmarkDecodePath}) -> the L2 learning path
 * ({@link L2LearningPath#handle}) with every host already learnt -> the FLOW_MOD
 * (with the buffer id) encoded into a reused buffer, as {@code OutboundBatch} encodes it; the
 * packet-in and the FLOW_MOD are counted as the switch stage counts them for {@code /metrics}.
 *
 * <p>One op is one packet-in answered. Run with {@code -prof gc} for the bytes allocated per
 * packet-in ({@code gc.alloc.rate.norm}). Each thread has its own switch, as each event loop
 * has its own switches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PacketInBenchmark {
    private static final int PORTS = 16;
    private static final int SWITCH_NUMBER = 1;

    @Param({"1.0", "1.3"})
    public String version;

    @Param({"1000"})
    public int macs;

    private final BenchmarkDecodePath decoder = new BenchmarkDecodePath();
    private PacketIns packetIns;
    private ByteBuf in;
    private ByteBuf out;
    private int messageLength;
    private L2LearningPath l2;
    private Consumer<OFMessage> encoder;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        OFVersion of = "1.0".equals(version) ? OFVersion.OF_10 : OFVersion.OF_13;
        packetIns = PacketIns.build(of, SWITCH_NUMBER, macs, PORTS);
        messageLength = packetIns.messageLength();
        // Every traffic template once, back to back, each with its own xid and buffer id.
        in = PooledByteBufAllocator.DEFAULT.directBuffer(macs * messageLength);
        for (int host = 0; host < macs; host++) {
            packetIns.writeTo(in, host, host + 1);
        }
        out = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        encoder = message -> {
            message.writeTo(out);
            decoder.countSent(message); // the per-connection counts /metrics reads, as the switch stage keeps them
        };
        l2 = new L2LearningPath(DatapathId.of(SWITCH_NUMBER), OFFactories.getFactory(of), U64.of(0x4c32L << 48), 100,
                60, 0, 100_000);
        for (int host = 0; host < macs; host++) {
            l2.learn(PacketIns.mac(SWITCH_NUMBER, host), EthernetFrames.UNTAGGED, PacketIns.portOf(host, PORTS));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        in.release();
        out.release();
    }

    /** Returns the bytes written, so that nothing is optimised away. */
    @Benchmark
    public int decodeLearnEncode() {
        int host = next;
        next = host + 1 == macs ? 0 : host + 1;
        in.readerIndex(host * messageLength);
        OFPacketIn packetIn = (OFPacketIn) decoder.read(in, messageLength);
        decoder.countPacketIn();
        out.clear();
        l2.handle(packetIn, NO_FLOODING, encoder);
        return out.writerIndex();
    }

    /** Every destination is known, so the flood path (the only user of the topology) is never taken. */
    private static final Topology NO_FLOODING = new Topology() {
        @Override
        public long version() {
            return 0;
        }

        @Override
        public Set<DatapathId> switches() {
            return Set.of();
        }

        @Override
        public Set<Link> links() {
            return Set.of();
        }

        @Override
        public Set<Link> linksFrom(DatapathId dpid) {
            return Set.of();
        }

        @Override
        public boolean isInterSwitchPort(SwitchPort port) {
            return false;
        }

        @Override
        public Optional<List<Link>> path(DatapathId from, DatapathId to) {
            return Optional.empty();
        }

        @Override
        public Set<OFPort> floodPorts(DatapathId dpid) {
            return Set.of();
        }

        @Override
        public boolean acceptsBroadcast(SwitchPort port) {
            return true;
        }
    };
}
