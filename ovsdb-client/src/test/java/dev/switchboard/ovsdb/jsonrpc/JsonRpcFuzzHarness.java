package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.ovsdb.client.MonitorRequest;
import dev.switchboard.ovsdb.client.OvsdbSession;
import dev.switchboard.ovsdb.client.Replica;
import dev.switchboard.ovsdb.ops.Select;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Feeds byte streams into the OVSDB JSON-RPC decoder alone, into a whole connection pipeline
 * (the stages of {@link JsonRpcTransport}, on an {@link EmbeddedChannel}) and into an
 * {@link OvsdbSession} with a {@link Replica} monitoring through it, and checks what must hold
 * whatever a peer sends:
 * <ul>
 *   <li>the decoders raise nothing but a {@link DecoderException} and, after one, emit nothing;</li>
 *   <li>no exception leaves the pipeline (the handler closes the connection instead);</li>
 *   <li>the connection ends closed, or still usable: an {@code echo} request after the input is
 *       answered; if not, at most a maximum-size message later it is closed (nothing is buffered
 *       beyond the cap);</li>
 *   <li>once closed, no call is left pending and every call's future is complete;</li>
 *   <li>the replica holds only the tables it monitors;</li>
 *   <li>every buffer is released once the channel is gone, the input's included.</li>
 * </ul>
 * Used by {@code JsonRpcFuzzTest} (short, seeded runs in the suite) and by
 * {@code ./switchboard bench fuzz} (long runs).
 */
public final class JsonRpcFuzzHarness {
    /** Where a case's bytes go. */
    public enum Target {
        /** the frame cutter and JSON-RPC decoder alone */
        DECODER,
        /** a whole connection with calls pending, its handler answering requests */
        CONNECTION,
        /** an OVSDB session whose replica monitors through the connection */
        SESSION
    }

    /** One case: the bytes the peer sends, as the successive reads that deliver them. */
    public record FuzzCase(Target target, List<byte[]> reads) {
        @Override
        public String toString() {
            return target + " reads " + reads.stream()
                    .map(r -> new String(r, StandardCharsets.UTF_8) + " (" + HexFormat.of().formatHex(r, 0, Math.min(r.length, 64)) + "…)")
                    .collect(Collectors.joining(" | ", "[", "]"));
        }
    }

    private static final int MAX_MESSAGE_BYTES = 256 * 1024;
    private static final JsonRpcOptions OPTIONS = JsonRpcOptions.defaults().withMaxMessageBytes(MAX_MESSAGE_BYTES);
    private static final ObjectMapper MAPPER = JsonRpcTransport.newMapper(OPTIONS);
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final Set<String> MONITORED = Set.of("Bridge", "Port", "Interface");

    private JsonRpcFuzzHarness() {
    }

    /**
     * Case {@code index} of a target in the run with this seed: what the test suite and {@code bench
     * fuzz} both run, so a case reported by either replays from (seed, target, index). The streams
     * follow the three OpenFlow targets'.
     */
    public static FuzzCase seededCase(Target target, long seed, int index) {
        return randomCase(target, new Random(seed ^ ((3L + target.ordinal()) << 40) ^ index));
    }

    /** A random case: one to four messages, each valid or mutated, cut into random reads. */
    public static FuzzCase randomCase(Target target, Random random) {
        List<String> corpus = JsonFuzzCorpus.MESSAGES;
        List<byte[]> messages = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            String seed = corpus.get(random.nextInt(corpus.size()));
            messages.add(random.nextInt(10) < 2 ? seed.getBytes(StandardCharsets.UTF_8)
                    : JsonMutator.mutate(seed, corpus, random));
            if (random.nextBoolean()) {
                messages.add(" \n\t".substring(random.nextInt(3)).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return new FuzzCase(target, JsonMutator.chunks(JsonMutator.concat(messages), random));
    }

    /**
     * Turns the client's own log lines down to errors while fuzzing (each refused case logs a
     * WARN), and Netty's test channel too; closing restores them.
     */
    public static AutoCloseable quietLogs() {
        // EmbeddedChannel warns when one read raised more than one exception: expected here too
        List<ch.qos.logback.classic.Logger> loggers = java.util.stream.Stream.of("dev.switchboard.ovsdb", "io.netty.channel.embedded")
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
        channel.pipeline().addLast(new io.netty.handler.codec.json.JsonObjectDecoder(MAX_MESSAGE_BYTES),
                new JsonRpcDecoder(MAPPER));
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
                refused = true;
            } catch (Throwable e) {
                throw fail("an exception other than a DecoderException escaped the decoders", e);
            }
            peak = Math.max(peak, alloc.metric().usedHeapMemory());
            for (Object decoded; (decoded = channel.readInbound()) != null; ) {
                if (refusedBefore) {
                    throw fail("the decoder emitted " + decoded + " after it refused the stream", null);
                }
                if (!(decoded instanceof JsonRpcMessage)) {
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
        long input = fuzzCase.reads().stream().mapToLong(r -> r.length).sum();
        long bound = 4L * MAX_MESSAGE_BYTES + 2 * input;
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

    /** A handler like a passive listener's: answers requests, takes notifications. */
    private static final class AnsweringHandler implements JsonRpcHandler {
        @Override
        public void onNotification(JsonRpcConnection connection, String method, JsonNode params) {
        }

        @Override
        public JsonNode onRequest(JsonRpcConnection connection, String method, JsonNode params) {
            if (method.equals("list_dbs")) {
                return JsonNodeFactory.instance.arrayNode().add("Open_vSwitch");
            }
            return JsonRpcHandler.super.onRequest(connection, method, params);
        }
    }

    /** One connection's pipeline, driven by hand. */
    private static final class ConnectionRun {
        private final FuzzCase fuzzCase;
        private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        private final EmbeddedChannel channel = new EmbeddedChannel(false, false) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("192.0.2.20", 6640);
            }
        };
        private final List<ByteBuf> inputs = new ArrayList<>();
        private final List<JsonNode> written = new ArrayList<>();
        private final List<CompletableFuture<?>> calls = new ArrayList<>();
        private long peak;

        ConnectionRun(FuzzCase fuzzCase) {
            this.fuzzCase = fuzzCase;
        }

        void run() {
            channel.config().setAllocator(alloc);
            CompletableFuture<JsonRpcConnection> ready = new CompletableFuture<>();
            OvsdbSession.Router router = new OvsdbSession.Router();
            JsonRpcHandler handler = fuzzCase.target() == Target.SESSION ? router : new AnsweringHandler();
            JsonRpcTransport.configure(channel.pipeline(), OPTIONS, MAPPER, new JsonRpcEncoder(MAPPER),
                    Endpoint.tcp("192.0.2.20", 6640), null, c -> handler, ready);
            register(channel);
            JsonRpcConnection connection = ready.getNow(null);
            if (connection == null) {
                throw new IllegalStateException("the connection did not open");
            }
            Replica replica = null;
            if (fuzzCase.target() == Target.SESSION) {
                replica = startSession(router.of(connection));
            } else {
                for (String method : List.of("get_schema", "monitor_cond", "list_dbs", "transact", "lock", "echo")) {
                    calls.add(connection.call(method, null));
                }
                drain();
            }
            for (byte[] read : fuzzCase.reads()) {
                send(read);
            }
            if (channel.isOpen()) {
                probe();
            }
            if (replica != null && !MONITORED.containsAll(replica.snapshot().tables().keySet())) {
                throw fail("the replica holds tables it does not monitor: " + replica.snapshot().tables().keySet(), null);
            }
            channel.close();
            escapeCheck(channel::runPendingTasks);
            drain();
            if (connection.pending().size() != 0) {
                throw fail(connection.pending().size() + " calls still pending after the connection closed", null);
            }
            if (!calls.stream().allMatch(CompletableFuture::isDone)) {
                throw fail("a call's future was left incomplete after the connection closed", null);
            }
            channel.finishAndReleaseAll();
            checkBuffers(alloc, inputs, peak, fuzzCase);
        }

        /** get_schema and monitor_cond answered validly; then list_dbs, transact, lock and echo left pending. */
        private Replica startSession(OvsdbSession session) {
            Replica replica = new Replica("Open_vSwitch", Map.of("Bridge", MonitorRequest.allColumns(),
                    "Port", MonitorRequest.allColumns(), "Interface", MonitorRequest.allColumns()));
            var monitor = session.monitor("Open_vSwitch", replica.tables(), replica, replica);
            drain();
            send(answer(1, JsonFuzzCorpus.MESSAGES.get(JsonFuzzCorpus.MESSAGES.size() - 3)));
            send(answer(2, JsonFuzzCorpus.MESSAGES.get(JsonFuzzCorpus.MESSAGES.size() - 2)));
            if (!monitor.isDone() || monitor.isCompletedExceptionally() || replica.snapshot().rows("Bridge").isEmpty()) {
                throw new IllegalStateException("the harness did not start the monitor: " + monitor);
            }
            calls.add(session.listDbs());
            calls.add(session.transact("Open_vSwitch", List.of(new Select("Bridge", List.of()))));
            calls.add(session.lock("switchboard"));
            calls.add(session.echo(JsonNodeFactory.instance.textNode("x")));
            drain();
            return replica;
        }

        private static byte[] answer(long id, String seed) {
            if (!seed.contains("\"id\":" + id + ",")) {
                throw new IllegalStateException("not the answer to call " + id + ": " + seed);
            }
            return seed.getBytes(StandardCharsets.UTF_8);
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

        /** Reads back (and releases) what the client wrote; keeps the messages. */
        private void drain() {
            for (Object out; (out = channel.readOutbound()) != null; ) {
                if (!(out instanceof ByteBuf bytes)) {
                    throw fail("the pipeline wrote " + out.getClass().getName() + ", not bytes", null);
                }
                try {
                    written.add(PLAIN.readTree(bytes.toString(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw fail("the client wrote text that is not JSON", e);
                } finally {
                    bytes.release();
                }
            }
        }

        /**
         * Still open: an echo request must be answered; if it is not (the input ended inside a
         * JSON text), a maximum-size message more must get the connection closed.
         */
        private void probe() {
            written.clear();
            send("{\"method\":\"echo\",\"params\":[\"probe\"],\"id\":\"probe\"}".getBytes(StandardCharsets.UTF_8));
            boolean answered = written.stream().anyMatch(m -> "probe".equals(m.path("id").asText(null))
                    && m.path("result").path(0).asText("").equals("probe"));
            if (answered || !channel.isOpen()) {
                return;
            }
            byte[] filler = new byte[MAX_MESSAGE_BYTES + 1];
            java.util.Arrays.fill(filler, (byte) 'x');
            send(filler);
            if (channel.isOpen()) {
                throw fail("the connection neither answers echo nor closes after a maximum-size message more", null);
            }
        }
    }
}
