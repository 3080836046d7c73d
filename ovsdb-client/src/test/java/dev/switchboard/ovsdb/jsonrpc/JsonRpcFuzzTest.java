package dev.switchboard.ovsdb.jsonrpc;

import dev.switchboard.ovsdb.jsonrpc.JsonRpcFuzzHarness.FuzzCase;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcFuzzHarness.Target;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutated OVSDB JSON-RPC into the decoders, a whole connection and a session with its replica
 * (properties in {@link JsonRpcFuzzHarness}). Seeded and bounded; {@code ./switchboard bench fuzz}
 * runs the same cases at length.
 */
class JsonRpcFuzzTest {
    static final String SEED = "20261204";
    private static AutoCloseable quiet;
    private static ResourceLeakDetector.Level leakLevel;

    @BeforeContainer
    static void paranoid() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        quiet = JsonRpcFuzzHarness.quietLogs();
    }

    @AfterContainer
    static void restore() throws Exception {
        ResourceLeakDetector.setLevel(leakLevel);
        quiet.close();
    }

    @Provide
    Arbitrary<FuzzCase> decoderCases() {
        return Arbitraries.randomValue(random -> JsonRpcFuzzHarness.randomCase(Target.DECODER, random));
    }

    @Provide
    Arbitrary<FuzzCase> connectionCases() {
        return Arbitraries.randomValue(random -> JsonRpcFuzzHarness.randomCase(Target.CONNECTION, random));
    }

    @Provide
    Arbitrary<FuzzCase> sessionCases() {
        return Arbitraries.randomValue(random -> JsonRpcFuzzHarness.randomCase(Target.SESSION, random));
    }

    @Property(tries = 800, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void decoderRefusesOrParsesAnyBytes(@ForAll("decoderCases") FuzzCase fuzzCase) {
        JsonRpcFuzzHarness.check(fuzzCase);
    }

    @Property(tries = 250, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void connectionSurvivesAnyBytes(@ForAll("connectionCases") FuzzCase fuzzCase) {
        JsonRpcFuzzHarness.check(fuzzCase);
    }

    @Property(tries = 250, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void sessionAndReplicaSurviveAnyBytes(@ForAll("sessionCases") FuzzCase fuzzCase) {
        JsonRpcFuzzHarness.check(fuzzCase);
    }

    @Property(tries = 1)
    void theValidSeedsPassEveryProperty() {
        for (String seed : JsonFuzzCorpus.MESSAGES) {
            for (Target target : Target.values()) {
                JsonRpcFuzzHarness.check(new FuzzCase(target, List.of(seed.getBytes(StandardCharsets.UTF_8))));
            }
        }
    }
}
