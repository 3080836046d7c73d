package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.internal.OpenFlowFuzzHarness.FuzzCase;
import dev.switchboard.controller.internal.OpenFlowFuzzHarness.Target;
import io.netty.util.ResourceLeakDetector;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Mutated OpenFlow frames of every version into the decoder and into whole connections, before,
 * during and after the handshake (properties in {@link OpenFlowFuzzHarness}). Seeded and bounded;
 * {@code ./switchboard bench fuzz} runs the same cases at length.
 */
class OpenFlowFuzzTest {
    static final String SEED = "20261204";
    private static AutoCloseable quiet;
    private static ResourceLeakDetector.Level leakLevel;

    @BeforeContainer
    static void paranoid() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        quiet = OpenFlowFuzzHarness.quietLogs();
    }

    @AfterContainer
    static void restore() throws Exception {
        ResourceLeakDetector.setLevel(leakLevel);
        quiet.close();
    }

    @Provide
    Arbitrary<FuzzCase> decoderCases() {
        return Arbitraries.randomValue(random -> OpenFlowFuzzHarness.randomCase(Target.DECODER, random));
    }

    @Provide
    Arbitrary<FuzzCase> handshakeCases() {
        return Arbitraries.randomValue(random -> OpenFlowFuzzHarness.randomCase(Target.HANDSHAKE, random));
    }

    @Provide
    Arbitrary<FuzzCase> readyCases() {
        return Arbitraries.randomValue(random -> OpenFlowFuzzHarness.randomCase(Target.READY, random));
    }

    @Property(tries = 1000, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void decoderRefusesOrParsesAnyBytes(@ForAll("decoderCases") FuzzCase fuzzCase) {
        OpenFlowFuzzHarness.check(fuzzCase);
    }

    @Property(tries = 250, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void handshakeSurvivesAnyBytes(@ForAll("handshakeCases") FuzzCase fuzzCase) {
        OpenFlowFuzzHarness.check(fuzzCase);
    }

    @Property(tries = 250, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void readySwitchSurvivesAnyBytes(@ForAll("readyCases") FuzzCase fuzzCase) {
        OpenFlowFuzzHarness.check(fuzzCase);
    }

    /**
     * Frames on which openflowj itself throws IndexOutOfBoundsException (a FEATURES_REPLY whose
     * port list runs past its end; a truncated 1.0 message): found by this fuzzer when the parser
     * caught only some of openflowj's runtime exceptions. Each must be one protocol violation that
     * closes the connection, not an unexpected error.
     */
    @Example
    void openflowjIndexErrorsAreProtocolViolations() {
        HexFormat hex = HexFormat.of();
        List<List<String>> crashers = List.of(
                List.of("0106004400000002534200000000f02200000100fe00000000000001000000000001020000000001657468310019",
                        "00180000000f00000001000000000000000000000000"));
        for (List<String> reads : crashers) {
            List<byte[]> bytes = reads.stream().map(hex::parseHex).toList();
            for (Target target : Target.values()) {
                OpenFlowFuzzHarness.check(new FuzzCase(target, OFVersion.OF_10, bytes));
            }
        }
    }

    @Property(tries = 1)
    void everyVersionHasItsSeeds() {
        for (OFVersion version : OpenFlowCorpus.VERSIONS) {
            assertThat(OpenFlowCorpus.seeds(version)).as("seeds of " + version).hasSizeGreaterThanOrEqualTo(18);
        }
        // the valid seeds themselves pass every property
        for (OFVersion version : OpenFlowCorpus.VERSIONS) {
            for (byte[] seed : OpenFlowCorpus.seeds(version)) {
                OpenFlowFuzzHarness.check(new FuzzCase(Target.READY, version, List.of(seed)));
                OpenFlowFuzzHarness.check(new FuzzCase(Target.DECODER, version, List.of(seed)));
            }
        }
    }
}
