package dev.switchboard.ovsdb.jsonrpc;

import dev.switchboard.ovsdb.jsonrpc.JsonRpcFuzzHarness.FuzzCase;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcFuzzHarness.Target;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mutated OVSDB JSON-RPC into the decoders, a whole connection and a session with its replica
 * (properties in {@link JsonRpcFuzzHarness}). Seeded and bounded (plain JUnit; no
 * property-testing library): case {@code i} of a target is
 * {@link JsonRpcFuzzHarness#seededCase}{@code (target, SEED, i)}, the same case
 * {@code ./switchboard bench fuzz --seed 20261204} runs, so a reported case replays from its index.
 */
class JsonRpcFuzzTest {
    static final long SEED = 20261204L;
    private static AutoCloseable quiet;
    private static ResourceLeakDetector.Level leakLevel;

    @BeforeAll
    static void paranoid() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        quiet = JsonRpcFuzzHarness.quietLogs();
    }

    @AfterAll
    static void restore() throws Exception {
        ResourceLeakDetector.setLevel(leakLevel);
        quiet.close();
    }

    @Test
    void decoderRefusesOrParsesAnyBytes() {
        runCases(Target.DECODER, 800);
    }

    @Test
    void connectionSurvivesAnyBytes() {
        runCases(Target.CONNECTION, 250);
    }

    @Test
    void sessionAndReplicaSurviveAnyBytes() {
        runCases(Target.SESSION, 250);
    }

    @Test
    void theValidSeedsPassEveryProperty() {
        for (String seed : JsonFuzzCorpus.MESSAGES) {
            for (Target target : Target.values()) {
                JsonRpcFuzzHarness.check(new FuzzCase(target, List.of(seed.getBytes(StandardCharsets.UTF_8))));
            }
        }
    }

    /** Runs every case (a failure does not hide later ones) and reports the first failure in full. */
    private static void runCases(Target target, int tries) {
        int failed = 0;
        AssertionError report = null;
        for (int i = 0; i < tries; i++) {
            FuzzCase fuzzCase = JsonRpcFuzzHarness.seededCase(target, SEED, i);
            try {
                JsonRpcFuzzHarness.check(fuzzCase);
            } catch (Throwable e) {
                failed++;
                if (report == null) {
                    // the case's own text shows only the start of each read in hex; all of it here
                    String hex = fuzzCase.reads().stream().map(HexFormat.of()::formatHex)
                            .collect(Collectors.joining(" | ", "[", "]"));
                    report = new AssertionError(String.format(
                            "%s case %d (seed %d) failed: %s%n  reads (hex): %s%n  replay: JsonRpcFuzzHarness.check("
                                    + "JsonRpcFuzzHarness.seededCase(Target.%s, %dL, %d))",
                            target, i, SEED, e, hex, target, SEED, i), e);
                }
            }
        }
        if (report != null) {
            throw new AssertionError(failed + " of " + tries + " " + target + " cases failed; the first:", report);
        }
    }
}
