package dev.switchboard.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

class TopologyPartTest {
    private static final DatapathId S1 = DatapathId.of(1);
    private static final DatapathId S2 = DatapathId.of(2);
    private static final DatapathId S3 = DatapathId.of(0xfedc_ba98_7654_3210L); // negative as a long

    private static SwitchPort at(DatapathId dpid, int port) {
        return new SwitchPort(dpid, OFPort.of(port));
    }

    private static Link link(SwitchPort a, SwitchPort b) {
        return new Link(a, b, Link.Kind.DIRECT);
    }

    /** A ring of three, each member mastering one switch and holding the links that end at it. */
    private static List<TopologyPart> ringParts() {
        Set<OFPort> ports = Set.of(OFPort.of(1), OFPort.of(2), OFPort.of(3));
        return List.of(
                new TopologyPart(Map.of(S1, ports), Set.of(at(S1, 3)),
                        Set.of(link(at(S2, 2), at(S1, 1)), link(at(S3, 1), at(S1, 2)))),
                new TopologyPart(Map.of(S2, ports), Set.of(),
                        Set.of(link(at(S1, 1), at(S2, 2)), link(at(S3, 2), at(S2, 1)))),
                new TopologyPart(Map.of(S3, ports), Set.of(),
                        Set.of(new Link(at(S1, 2), at(S3, 1), Link.Kind.BROADCAST_DOMAIN), link(at(S2, 1), at(S3, 2)))));
    }

    @Test
    void aPartSurvivesItsWireForm() {
        for (TopologyPart part : ringParts()) {
            assertThat(TopologyPart.decode(part.encode())).isEqualTo(part);
        }
        assertThat(TopologyPart.decode(TopologyPart.EMPTY.encode())).isEqualTo(TopologyPart.EMPTY);
    }

    @Test
    void theUnionIsTheSameNetworkWhateverOrderThePartsCameIn() {
        List<TopologyPart> parts = new ArrayList<>(ringParts());
        TopologySnapshot first = TopologyPart.union(parts).snapshot(1);
        assertThat(first.switches()).containsExactlyInAnyOrder(S1, S2, S3);
        assertThat(first.links()).hasSize(6);
        assertThat(first.isQuarantined(at(S1, 3))).isTrue();
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(parts, random);
            TopologySnapshot other = TopologyPart.union(parts).snapshot(1);
            assertThat(other.sameNetworkAs(first)).isTrue();
            for (DatapathId dpid : List.of(S1, S2, S3)) {
                assertThat(other.floodPorts(dpid)).as("flood ports of %s", dpid).isEqualTo(first.floodPorts(dpid));
                for (DatapathId to : List.of(S1, S2, S3)) {
                    assertThat(other.path(dpid, to)).isEqualTo(first.path(dpid, to));
                }
            }
        }
    }

    @Test
    void bytesThatAreNotAPartAreRefused() {
        assertThatThrownBy(() -> TopologyPart.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopologyPart.decode("{\"l\":[[1,\"x\"]]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
