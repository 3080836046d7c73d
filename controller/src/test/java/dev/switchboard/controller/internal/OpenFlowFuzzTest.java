package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.internal.OpenFlowFuzzHarness.FuzzCase;
import dev.switchboard.controller.internal.OpenFlowFuzzHarness.Target;
import io.netty.util.ResourceLeakDetector;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Mutated OpenFlow frames of every version into the decoder and into whole connections, before,
 * during and after the handshake (properties in {@link OpenFlowFuzzHarness}). Seeded and bounded
 * (plain JUnit; no property-testing library): case {@code i} of a target is
 * {@link OpenFlowFuzzHarness#seededCase}{@code (target, SEED, i)}, the same case
 * {@code ./switchboard bench fuzz --seed 20261204} runs, so a reported case replays from its index.
 */
class OpenFlowFuzzTest {
    static final long SEED = 20261204L;
    private static AutoCloseable quiet;
    private static ResourceLeakDetector.Level leakLevel;

    @BeforeAll
    static void paranoid() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        quiet = OpenFlowFuzzHarness.quietLogs();
    }

    @AfterAll
    static void restore() throws Exception {
        ResourceLeakDetector.setLevel(leakLevel);
        quiet.close();
    }

    @Test
    void decoderRefusesOrParsesAnyBytes() {
        runCases(Target.DECODER, 1000);
    }

    @Test
    void handshakeSurvivesAnyBytes() {
        runCases(Target.HANDSHAKE, 250);
    }

    @Test
    void readySwitchSurvivesAnyBytes() {
        runCases(Target.READY, 250);
    }

    /** Runs every case (a failure does not hide later ones) and reports the first failure in full. */
    private static void runCases(Target target, int tries) {
        int failed = 0;
        AssertionError report = null;
        for (int i = 0; i < tries; i++) {
            FuzzCase fuzzCase = OpenFlowFuzzHarness.seededCase(target, SEED, i);
            try {
                OpenFlowFuzzHarness.check(fuzzCase);
            } catch (Throwable e) {
                failed++;
                if (report == null) {
                    report = new AssertionError(String.format(
                            "%s case %d (seed %d) failed: %s%n  case: %s%n  replay: OpenFlowFuzzHarness.check("
                                    + "OpenFlowFuzzHarness.seededCase(Target.%s, %dL, %d))",
                            target, i, SEED, e, fuzzCase, target, SEED, i), e);
                }
            }
        }
        if (report != null) {
            throw new AssertionError(failed + " of " + tries + " " + target + " cases failed; the first:", report);
        }
    }

    /**
     * Frames on which openflowj itself throws IndexOutOfBoundsException or NullPointerException
     * (a FEATURES_REPLY whose port list runs past its end, truncated nested structures): found by
     * this fuzzer (16 of its first 400 decoder cases) when the parser caught only some of
     * openflowj's runtime exceptions. Each must be one protocol violation that
     * closes the connection, not an unexpected error.
     */
    @Test
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
                // a version the controller does not offer never gets a connection past HELLO
                if (target == Target.DECODER || OpenFlowCorpus.CONNECTION_VERSIONS.contains(version)) {
                    OpenFlowFuzzHarness.check(new FuzzCase(target, version, bytes));
                }
            }
        }
    }

    @Test
    void everyVersionHasItsSeeds() {
        for (OFVersion version : OpenFlowCorpus.VERSIONS) {
            assertThat(OpenFlowCorpus.seeds(version)).as("seeds of " + version).hasSizeGreaterThanOrEqualTo(18);
        }
        // the valid seeds themselves pass every property
        for (OFVersion version : OpenFlowCorpus.VERSIONS) {
            for (byte[] seed : OpenFlowCorpus.seeds(version)) {
                if (OpenFlowCorpus.CONNECTION_VERSIONS.contains(version)) {
                    OpenFlowFuzzHarness.check(new FuzzCase(Target.READY, version, List.of(seed)));
                }
                OpenFlowFuzzHarness.check(new FuzzCase(Target.DECODER, version, List.of(seed)));
            }
        }
    }
}
