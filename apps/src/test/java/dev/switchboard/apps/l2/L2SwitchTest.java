package dev.switchboard.apps.l2;

import static dev.switchboard.apps.testing.Frames.BROADCAST;
import static dev.switchboard.apps.testing.Frames.frame;
import static dev.switchboard.apps.testing.Frames.packetIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.apps.testing.FakeTopology;
import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.app.AppCookies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFBufferId;

/** The learning logic with no network: what a benchmark drives. */
class L2SwitchTest {
    private static final DatapathId S1 = DatapathId.of(1);
    private final OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
    private final FakeTopology topology = FakeTopology.of(Set.of(S1), Map.of(S1, FakeTopology.ports(1, 2, 3)));
    private final L2Switch sw = new L2Switch(S1, f, AppCookies.cookie(L2LearningApp.COOKIE_NUMBER), 1000, 30, 300, 100);
    private final List<OFMessage> sent = new ArrayList<>();

    @Test
    void returnsTheMessagesForEachPacketIn() {
        assertThat(sw.handle(packetIn(f, 1, frame(BROADCAST, 0xa)), topology, sent::add)).isEqualTo(Disposition.STOP);
        assertThat(sent).singleElement().isInstanceOf(OFPacketOut.class);
        sent.clear();

        sw.handle(packetIn(f, 2, frame(0xa, 0xb), OFBufferId.of(5)), topology, sent::add);

        assertThat(sent).singleElement().isInstanceOfSatisfying(OFFlowAdd.class,
                flow -> assertThat(flow.getBufferId()).isEqualTo(OFBufferId.of(5)));
        assertThat(sw.macs().size()).isEqualTo(2);
    }

    @Test
    void leavesNonEthernetToOthersAndNeverFloodsDiscoveryProbes() {
        assertThat(sw.handle(packetIn(f, 1, new byte[10]), topology, sent::add)).isEqualTo(Disposition.CONTINUE);
        byte[] lldp = frame(0x0180_c200_000eL, 0xa);
        lldp[12] = (byte) 0x88;
        lldp[13] = (byte) 0xcc;
        assertThat(sw.handle(packetIn(f, 1, lldp), topology, sent::add)).isEqualTo(Disposition.STOP);
        assertThat(sent).isEmpty();
        assertThat(sw.macs().size()).isZero();
    }

    /** The match comes from a reused builder (1.0) or one OXM list (1.2+): each flow must still get its own. */
    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13"})
    void everyFlowMatchesExactlyItsPortMacsAndVlan(OFVersion version) {
        OFFactory of = OFFactories.getFactory(version);
        L2Switch l2 = new L2Switch(S1, of, AppCookies.cookie(L2LearningApp.COOKIE_NUMBER), 1000, 30, 300, 100);
        l2.handle(packetIn(of, 1, frame(BROADCAST, 0xa)), topology, m -> { });
        l2.handle(packetIn(of, 3, frame(BROADCAST, 0xc, 7)), topology, m -> { });
        l2.handle(packetIn(of, 2, frame(BROADCAST, 0xb)), topology, m -> { });
        l2.handle(packetIn(of, 2, frame(BROADCAST, 0xd, 7)), topology, m -> { });

        l2.handle(packetIn(of, 2, frame(0xa, 0xb), OFBufferId.of(5)), topology, sent::add);
        l2.handle(packetIn(of, 2, frame(0xc, 0xd, 7), OFBufferId.of(6)), topology, sent::add);

        assertThat(sent).extracting(m -> ((OFFlowAdd) m).getMatch()).containsExactly(
                of.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(2))
                        .setExact(MatchField.ETH_SRC, MacAddress.of(0xb)).setExact(MatchField.ETH_DST, MacAddress.of(0xa))
                        .setExact(MatchField.VLAN_VID, OFVlanVidMatch.UNTAGGED).build(),
                of.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(2))
                        .setExact(MatchField.ETH_SRC, MacAddress.of(0xd)).setExact(MatchField.ETH_DST, MacAddress.of(0xc))
                        .setExact(MatchField.VLAN_VID, OFVlanVidMatch.ofVlan(7)).build());
    }
}
