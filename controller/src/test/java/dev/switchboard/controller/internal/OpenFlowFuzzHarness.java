package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.Disposition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Feeds byte streams into the controller's frame decoder and parser alone, and into a whole
 * connection pipeline (the real stages of {@link OpenFlowServer}, on an {@link EmbeddedChannel}),
 * and checks what must hold whatever a switch sends:
 * <ul>
 *   <li>the decoder raises nothing but {@link OpenFlowProtocolException} and, after one, emits nothing;</li>
 *   <li>no exception leaves the pipeline (the switch handler catches it and closes the connection);</li>
 *   <li>the channel ends closed, or still usable: a valid ECHO_REQUEST after the input is answered;</li>
 *   <li>a connection still in its handshake is closed by the handshake timeout;</li>
 *   <li>every buffer is released once the channel is gone, the input's included, and the bytes held
 *       meanwhile stay within a few maximum-size messages;</li>
 *   <li>a closed connection leaves no switch in the registry.</li>
 * </ul>
 * Used by {@code OpenFlowFuzzTest} (short, seeded runs in the suite) and by
 * {@code ./switchboard bench fuzz} (long runs).
 */
public final class OpenFlowFuzzHarness {
    /** Where a case's bytes go. */
    public enum Target {
        /** the frame decoder and parser alone */
        DECODER,
        /** a whole connection, from its first byte (before HELLO) or part-way through the handshake */
        HANDSHAKE,
        /** a whole connection whose handshake was completed first */
        READY
    }

    /**
     * One fuzz case: the bytes a switch sends, as the successive reads that deliver them.
     *
     * @param version the version the handshake (for READY) and the final echo probe speak
     */
    public record FuzzCase(Target target, OFVersion version, List<byte[]> reads) {
        public byte[] stream() {
            return FrameMutator.concat(reads.toArray(byte[][]::new));
        }

        @Override
        public String toString() {
            return target + " " + version + " reads " + reads.stream().map(HexFormat.of()::formatHex)
                    .collect(Collectors.joining(" | ", "[", "]"));
        }
    }

    private static final int MAX_MESSAGE_BYTES = 0xffff;
    private static final long PROBE_XID = 0x7e57_0000L;
    private static final int PROBE_MESSAGES = 70;
    private static final byte[] PROBE_DATA = new byte[1024];
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final OFMessageReader<OFMessage> READER = OFFactories.getGenericReader();
    private static final ControllerConfig CONFIG = ControllerConfig.builder()
            // not the corpus's versions: 1.1 frames still reach a controller that does not offer 1.1
            .versions(ControllerConfig.DEFAULT_VERSIONS)
            .maxMessageBytes(MAX_MESSAGE_BYTES)
            .handshakeTimeout(HANDSHAKE_TIMEOUT)
            .build();

    private OpenFlowFuzzHarness() {
    }

    /**
     * Case {@code index} of a target in the run with this seed: what the test suite and {@code bench
     * fuzz} both run, so a case reported by either replays from (seed, target, index).
     */
    public static FuzzCase seededCase(Target target, long seed, int index) {
        return randomCase(target, new Random(seed ^ ((long) target.ordinal() << 40) ^ index));
    }

    /** A random case: one to four frames, each valid or mutated, cut into random reads. */
    public static FuzzCase randomCase(Target target, Random random) {
        List<OFVersion> versions = target == Target.DECODER ? OpenFlowCorpus.VERSIONS : OpenFlowCorpus.CONNECTION_VERSIONS;
        OFVersion version = versions.get(random.nextInt(versions.size()));
        List<byte[]> ours = OpenFlowCorpus.seeds(version);
        List<byte[]> frames = new ArrayList<>();
        if (target == Target.HANDSHAKE) {
            // a valid opening of some length, so the fuzz lands in every handshake state
            List<byte[]> opening = opening(version);
            frames.addAll(opening.subList(0, random.nextInt(opening.size() + 1)));
        }
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            List<byte[]> from = random.nextInt(10) < 7 ? ours : OpenFlowCorpus.all();
            byte[] seed = from.get(random.nextInt(from.size()));
            frames.add(random.nextInt(10) < 3 ? seed : FrameMutator.mutate(seed, OpenFlowCorpus.all(), random));
        }
        byte[] stream = FrameMutator.concat(frames.toArray(byte[][]::new));
        return new FuzzCase(target, version, FrameMutator.chunks(stream, random));
    }

    /** HELLO, FEATURES_REPLY, the PORT_DESC reply (1.3+) and DESC reply: the switch's side of a handshake up to BARRIER. */
    static List<byte[]> opening(OFVersion version) {
        OFFactory f = OFFactories.getFactory(version);
        List<byte[]> opening = new ArrayList<>();
        opening.add(OpenFlowCorpus.bytes(f.buildHello().build()));
        var features = f.buildFeaturesReply().setDatapathId(OpenFlowCorpus.DATAPATH_ID).setNTables((short) 254);
        if (version.compareTo(OFVersion.OF_13) < 0) {
            features.setPorts(OpenFlowCorpus.ports(f));
        }
        opening.add(OpenFlowCorpus.bytes(features.build()));
        if (version.compareTo(OFVersion.OF_13) >= 0) {
            opening.add(OpenFlowCorpus.bytes(f.buildPortDescStatsReply().setEntries(OpenFlowCorpus.ports(f)).build()));
        }
        opening.add(OpenFlowCorpus.bytes(f.buildDescStatsReply().setDpDesc("fuzz").build()));
        return opening;
    }

    /**
     * Turns the controller's own log lines down to errors while fuzzing (each refused case logs a
     * WARN), and Netty's test channel too; closing restores them.
     */
    public static AutoCloseable quietLogs() {
        // EmbeddedChannel warns when one read raised more than one exception: expected here too
        List<ch.qos.logback.classic.Logger> loggers = java.util.stream.Stream.of("dev.switchboard.controller", "io.netty.channel.embedded")
                .map(name -> (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name)).toList();
        List<ch.qos.logback.classic.Level> before = loggers.stream().map(ch.qos.logback.classic.Logger::getLevel).toList();
        loggers.forEach(logger -> logger.setLevel(ch.qos.logback.classic.Level.ERROR));
        return () -> {
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).setLevel(before.get(i));
            }
        };
    }

    /** Runs the case; throws {@link AssertionError} naming the broken property. */
    public static void check(FuzzCase fuzzCase) {
        if (fuzzCase.target() == Target.DECODER) {
            checkDecoder(fuzzCase);
        } else {
            new ConnectionRun(fuzzCase).run();
        }
    }

    private static void checkDecoder(FuzzCase fuzzCase) {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast("frame", new OpenFlowFrameDecoder(MAX_MESSAGE_BYTES, new OpenFlowMessageParser(new Counters()), new Counters()));
        register(channel);
        List<ByteBuf> inputs = new ArrayList<>();
        boolean refused = false;
        long peak = 0;
        for (byte[] read : fuzzCase.reads()) {
            ByteBuf input = Unpooled.wrappedBuffer(read);
            inputs.add(input);
            boolean refusedBefore = refused;
            try {
                channel.writeInbound(input);
            } catch (DecoderException e) {
                if (!(e.getCause() instanceof OpenFlowProtocolException)) {
                    throw fail("the decoder raised something else than a protocol violation", e);
                }
                if (refused) {
                    throw fail("the decoder raised a second error after the first", e);
                }
                refused = true;
            } catch (Throwable e) {
                throw fail("an exception escaped the decoder", e);
            }
            peak = Math.max(peak, alloc.metric().usedHeapMemory());
            for (Object decoded; (decoded = channel.readInbound()) != null; ) {
                if (refusedBefore) {
                    throw fail("the decoder emitted " + decoded + " after it refused the stream", null);
                }
                if (!(decoded instanceof OFMessage)) {
                    throw fail("the decoder emitted " + decoded.getClass().getName(), null);
                }
            }
        }
        channel.finishAndReleaseAll();
        checkBuffers(alloc, inputs, peak, fuzzCase);
    }

    private static void checkBuffers(UnpooledByteBufAllocator alloc, List<ByteBuf> inputs, long peak, FuzzCase fuzzCase) {
        for (ByteBuf input : inputs) {
            if (input.refCnt() != 0) {
                throw fail("an input buffer was not released (refCnt " + input.refCnt() + ")", null);
            }
        }
        long retained = alloc.metric().usedHeapMemory();
        if (retained != 0) {
            throw fail(retained + " bytes of buffers still held after the channel was closed", null);
        }
        long bound = 4L * MAX_MESSAGE_BYTES + 2L * fuzzCase.stream().length + PROBE_MESSAGES * (PROBE_DATA.length + 8L);
        if (peak > bound) {
            throw fail("held " + peak + " bytes of buffers at once, more than " + bound, null);
        }
    }

    private static void register(EmbeddedChannel channel) {
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AssertionError fail(String what, Throwable cause) {
        return new AssertionError(what + (cause == null ? "" : ": " + cause), cause);
    }

    /** One connection's pipeline, driven by hand: bytes in, what the controller writes read back. */
    private static final class ConnectionRun {
        private final FuzzCase fuzzCase;
        private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        private final SwitchRegistry registry = new SwitchRegistry();
        private final Counters counters = new Counters();
        private final PacketInPipeline packetIns = new PacketInPipeline(counters);
        private final EmbeddedChannel channel = new EmbeddedChannel(false, false) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("192.0.2.10", 40123);
            }
        };
        private final List<ByteBuf> inputs = new ArrayList<>();
        private final List<OFMessage> written = new ArrayList<>();
        private long peak;

        ConnectionRun(FuzzCase fuzzCase) {
            this.fuzzCase = fuzzCase;
        }

        void run() {
            channel.config().setAllocator(alloc);
            // a hub: every packet-in goes back out as a PACKET_OUT, so the write path runs too
            packetIns.addProcessor("fuzz-hub", 100, (sw, packetIn) -> {
                sw.write(packetOut(sw.factory(), packetIn));
                return Disposition.STOP;
            });
            channel.pipeline().addLast("meter", new OutboundMeter());
            channel.pipeline().addLast("idle", new IdleStateHandler(CONFIG.echoInterval().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
            channel.pipeline().addLast("frame", new OpenFlowFrameDecoder(MAX_MESSAGE_BYTES, new OpenFlowMessageParser(counters), counters));
            channel.pipeline().addLast("encoder", new OpenFlowMessageEncoder());
            // as OpenFlowServer builds it: counted as pending, with the per-peer outbound budget
            ConnectionLimits limits = new ConnectionLimits(CONFIG, counters);
            limits.admit(channel);
            ConnectionGuard guard = new ConnectionGuard(channel, CONFIG, counters,
                    new OutboundBudget(channel, CONFIG.peerBufferBytes(), counters));
            channel.closeFuture().addListener(closed -> guard.leavePending());
            channel.pipeline().addLast(HandshakeHandler.NAME,
                    new HandshakeHandler(CONFIG, guard, registry, packetIns, counters, limits));
            register(channel);
            drain();
            if (fuzzCase.target() == Target.READY) {
                handshake();
            }
            for (byte[] read : fuzzCase.reads()) {
                send(read);
            }
            if (channel.isOpen()) {
                probe();
            }
            if (channel.isOpen() && registry.switches().isEmpty()) {
                channel.advanceTimeBy(HANDSHAKE_TIMEOUT.toNanos() + 1, TimeUnit.NANOSECONDS);
                channel.runScheduledPendingTasks();
                drain();
                if (channel.isOpen()) {
                    throw fail("a connection still in its handshake outlived the handshake timeout", null);
                }
            }
            channel.close();
            escapeCheck(channel::runPendingTasks);
            drain();
            if (!registry.switches().isEmpty()) {
                throw fail("the registry still holds " + registry.switches() + " after the connection closed", null);
            }
            channel.finishAndReleaseAll();
            checkBuffers(alloc, inputs, peak, fuzzCase);
        }

        private OFMessage packetOut(OFFactory f, OFPacketIn packetIn) {
            var out = f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setData(packetIn.getData())
                    .setActions(List.of(f.actions().output(OFPort.FLOOD, 0xffff)));
            if (f.getVersion().compareTo(OFVersion.OF_15) < 0) {
                out.setInPort(OFPort.CONTROLLER);
            }
            return out.build();
        }

        private void send(byte[] read) {
            if (!channel.isOpen()) {
                return; // a closed socket delivers no more reads
            }
            ByteBuf input = Unpooled.wrappedBuffer(read);
            inputs.add(input);
            escapeCheck(() -> channel.writeInbound(input));
            escapeCheck(channel::runPendingTasks);
            peak = Math.max(peak, alloc.metric().usedHeapMemory());
            drain();
        }

        private void escapeCheck(Runnable step) {
            try {
                step.run();
            } catch (Throwable e) {
                throw fail("an exception escaped the pipeline", e);
            }
        }

        /** Reads back (and releases) what the controller wrote; keeps the messages. */
        private void drain() {
            for (Object out; (out = channel.readOutbound()) != null; ) {
                if (!(out instanceof ByteBuf bytes)) {
                    throw fail("the pipeline wrote " + out.getClass().getName() + ", not bytes", null);
                }
                try {
                    while (bytes.isReadable()) {
                        OFMessage message = READER.readFrom(bytes);
                        if (message == null) {
                            throw fail("the controller wrote a truncated message", null);
                        }
                        written.add(message);
                    }
                } catch (OFParseError e) {
                    throw fail("the controller wrote a message openflowj cannot read", e);
                } finally {
                    bytes.release();
                }
            }
            if (written.size() > 10_000) {
                written.subList(0, written.size() - 100).clear();
            }
        }

        /** Answers the controller's handshake requests as a well-behaved switch of the case's version. */
        private void handshake() {
            OFFactory f = OFFactories.getFactory(fuzzCase.version());
            send(OpenFlowCorpus.bytes(f.buildHello().build()));
            for (int round = 0; round < 10 && registry.switches().isEmpty(); round++) {
                List<OFMessage> requests = new ArrayList<>(written);
                written.clear();
                for (OFMessage request : requests) {
                    OFMessage answer = answer(f, request);
                    if (answer != null) {
                        send(OpenFlowCorpus.bytes(answer));
                    }
                }
            }
            if (registry.switches().isEmpty() || !channel.isOpen()) {
                throw new IllegalStateException("the harness did not bring the connection to READY");
            }
            if (channel.pipeline().get(HandshakeHandler.class) != null || channel.pipeline().get(SwitchHandler.class) == null) {
                throw fail("at READY the handshake stage did not give its place to the switch stage: "
                        + channel.pipeline().names(), null);
            }
            written.clear();
        }

        private static OFMessage answer(OFFactory f, OFMessage request) {
            long xid = request.getXid();
            if (request instanceof OFFeaturesRequest) {
                var features = f.buildFeaturesReply().setXid(xid).setDatapathId(OpenFlowCorpus.DATAPATH_ID)
                        .setNTables((short) 254);
                if (f.getVersion().compareTo(OFVersion.OF_13) < 0) {
                    features.setPorts(OpenFlowCorpus.ports(f));
                }
                return features.build();
            } else if (request instanceof OFPortDescStatsRequest) {
                return f.buildPortDescStatsReply().setXid(xid).setEntries(OpenFlowCorpus.ports(f)).build();
            } else if (request instanceof OFDescStatsRequest) {
                return f.buildDescStatsReply().setXid(xid).setDpDesc("fuzz").build();
            } else if (request instanceof OFBarrierRequest) {
                return f.buildBarrierReply().setXid(xid).build();
            }
            return null;
        }

        /**
         * Still open: valid ECHO_REQUESTs, more bytes than the largest frame a partial message
         * could still wait for, must be answered, or the connection closed on the way.
         */
        private void probe() {
            OFFactory f = OFFactories.getFactory(fuzzCase.version());
            written.clear();
            ByteBuf probes = Unpooled.buffer();
            for (int i = 0; i < PROBE_MESSAGES; i++) {
                f.buildEchoRequest().setXid(PROBE_XID + i).setData(PROBE_DATA).build().writeTo(probes);
            }
            byte[] bytes = ByteBufUtil.getBytes(probes);
            probes.release();
            send(bytes);
            boolean answered = written.stream().anyMatch(m -> m instanceof OFEchoReply reply
                    && reply.getXid() == PROBE_XID + PROBE_MESSAGES - 1);
            if (channel.isOpen() && !answered) {
                throw fail("the connection is open but does not answer ECHO_REQUEST any more", null);
            }
        }
    }
}
