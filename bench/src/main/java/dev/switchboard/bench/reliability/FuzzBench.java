package dev.switchboard.bench.reliability;

import dev.switchboard.controller.internal.OpenFlowFuzzHarness;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcFuzzHarness;
import io.netty.util.ResourceLeakDetector;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench fuzz}: the fuzz properties of the test suite ({@code OpenFlowFuzzTest},
 * {@code JsonRpcFuzzTest}) at length. The same generators and checks, from the controller's and
 * ovsdb-client's test jars; case {@code i} of a target is the harness' {@code seededCase(target,
 * seed, i)}, as in the tests, so any reported case replays with the same seed.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Mutated OpenFlow frames (1.0-1.5) and OVSDB JSON-RPC into the decoders and connection "
                + "handlers, many cases per target; reports cases run, time and failures.")
public final class FuzzBench implements Callable<Integer> {

    @Option(names = "--tries", paramLabel = "N", description = "Cases per target (default ${DEFAULT-VALUE}; six targets).")
    int tries = 20_000;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the whole run (default ${DEFAULT-VALUE}).")
    long seed = 20261204L;

    @Option(names = "--leak-detection", paramLabel = "LEVEL",
            description = "Netty's ResourceLeakDetector level: PARANOID (default), ADVANCED, SIMPLE, DISABLED.")
    ResourceLeakDetector.Level leakLevel = ResourceLeakDetector.Level.PARANOID;

    /** How case {@code index} of a run with {@code seed} is made. */
    @FunctionalInterface
    private interface Generator<C> {
        C generate(long seed, int index);
    }

    /** A fuzz target: how a case is made, and checked. */
    private record Target<C>(String name, Generator<C> generator, Consumer<C> check) {
        void run(long seed, int tries, Results results) {
            long start = System.nanoTime();
            int failures = 0;
            for (int i = 0; i < tries; i++) {
                C fuzzCase = generator.generate(seed, i);
                try {
                    check.accept(fuzzCase);
                } catch (Throwable e) {
                    failures++;
                    if (failures <= 3) {
                        String text = fuzzCase.toString();
                        results.out.printf("  FAILED %s case %d: %s%n    %s%n", name, i, e,
                                text.length() > 4000 ? text.substring(0, 4000) + "…" : text);
                    }
                }
            }
            results.add(name, tries, failures, System.nanoTime() - start);
        }
    }

    private static final class Results {
        final PrintStream out;
        final List<String> rows = new ArrayList<>();
        long cases;
        long failures;
        long nanos;

        Results(PrintStream out) {
            this.out = out;
        }

        void add(String name, int tries, int failed, long elapsed) {
            cases += tries;
            failures += failed;
            nanos += elapsed;
            String row = String.format("%-22s %9d %9d %9.1f %10.0f", name, tries, failed, elapsed / 1e9, tries / (elapsed / 1e9));
            rows.add(row);
            out.println(row);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (tries < 1) {
            throw new IllegalArgumentException("--tries must be at least 1");
        }
        List<Target<?>> targets = List.of(
                openFlow(OpenFlowFuzzHarness.Target.DECODER),
                openFlow(OpenFlowFuzzHarness.Target.HANDSHAKE),
                openFlow(OpenFlowFuzzHarness.Target.READY),
                jsonRpc(JsonRpcFuzzHarness.Target.DECODER),
                jsonRpc(JsonRpcFuzzHarness.Target.CONNECTION),
                jsonRpc(JsonRpcFuzzHarness.Target.SESSION));
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        ResourceLeakDetector.setLevel(leakLevel);
        PrintStream out = System.out;
        out.printf("fuzz: seed %d, %d cases per target, leak detection %s%n", seed, tries, leakLevel);
        out.printf("%-22s %9s %9s %9s %10s%n", "target", "cases", "failed", "seconds", "cases/s");
        Results results = new Results(out);
        try (AutoCloseable a = OpenFlowFuzzHarness.quietLogs(); AutoCloseable b = JsonRpcFuzzHarness.quietLogs()) {
            for (Target<?> target : targets) {
                target.run(seed, tries, results);
            }
        }
        out.printf("%-22s %9d %9d %9.1f%n", "total", results.cases, results.failures, results.nanos / 1e9);
        if (!uncaught.isEmpty()) {
            out.println("threads died: " + uncaught);
        }
        return results.failures == 0 && uncaught.isEmpty() ? 0 : 1;
    }

    private static Target<OpenFlowFuzzHarness.FuzzCase> openFlow(OpenFlowFuzzHarness.Target target) {
        return new Target<>("openflow " + target.name().toLowerCase(),
                (seed, i) -> OpenFlowFuzzHarness.seededCase(target, seed, i), OpenFlowFuzzHarness::check);
    }

    private static Target<JsonRpcFuzzHarness.FuzzCase> jsonRpc(JsonRpcFuzzHarness.Target target) {
        return new Target<>("json-rpc " + target.name().toLowerCase(),
                (seed, i) -> JsonRpcFuzzHarness.seededCase(target, seed, i), JsonRpcFuzzHarness::check);
    }

}
