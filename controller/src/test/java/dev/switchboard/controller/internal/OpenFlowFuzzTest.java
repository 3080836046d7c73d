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
     * Frames on which openflowj itself throws IndexOutOfBoundsException or NullPointerException
     * (a FEATURES_REPLY whose port list runs past its end, truncated nested structures): found by
     * this fuzzer (16 of its first 400 decoder cases) when the parser caught only some of
     * openflowj's runtime exceptions. Each must be one protocol violation that
     * closes the connection, not an unexpected error.
     */
    @Example
    void openflowjIndexErrorsAreProtocolViolations() {
        HexFormat hex = HexFormat.of();
        List<List<String>> crashers = List.of(
                List.of("0106004400000002534200000000f02200000100fe00000000000001000000000001020000000001657468310019",
                        "00180000000f00000001000000000000000000000000"),
                List.of("0600000800000001061300190067000d0003000000", "0000000000001b0000000100035c000a000000010000051300"),
                List.of("010600ac00000002534200000000f022000001000000000000000000000000fe00000000000001000000",
                        "00000102000000000100a2683100000000000000000000000000000000000000000000000000000000000000000000"
                                + "000000005342040000000002006400000000000000000000001e000000000000000000000000000000000053"
                                + "42040000000002006400000000000000000000001e00000000000000000000000000000000",
                        "0000010a00240000000c00020000000000000000000000000000000000000000000300",
                        "00000000240000000c0002000000000000", "0000000000000000000000000000000300000000"),
                List.of("0413004a0000", "000b0004000000000000000000010000000000000000000000000000000000000000000000"
                        + "00000000000000000000000000000000000000000000000000000000000100000000"),
                // openflowj: a NullPointerException
                List.of("021300a90000000a000100000000000000a000000000000000000000000a00000000000000000000534204000000000300"
                                + "00000000000000000000000000000000000058ffffffff000003ff0000000000000000000000000000000000"
                                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                                + "0000000000000000002f00000000000004001800",
                        "0000000000",
                        "001000000001ff021b00780000000b00040000000000000000000100000000000000000000000000000000000000000000"
                                + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                                + "0000000000000000000000000000000000000000000000000000000000000000000000000000000302000700"
                                + "000007"));
        for (List<String> reads : crashers) {
            List<byte[]> bytes = reads.stream().map(hex::parseHex).toList();
            OFVersion version = OpenFlowCorpus.VERSIONS.stream()
                    .filter(v -> v.getWireVersion() == bytes.get(0)[0]).findFirst().orElseThrow();
            for (Target target : Target.values()) {
                OpenFlowFuzzHarness.check(new FuzzCase(target, version, bytes));
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
