package dev.switchboard.controller.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packet readers on captured frames, untagged and 802.1Q-tagged, and on frames cut short. */
class PacketReadersTest {
    private static final HexFormat HEX = HexFormat.of();
    /** ARP request: 0a:00:00:00:00:01 (10.0.0.1) asks who has 10.0.0.2. */
    private static final String ARP_BODY = "0001080006040001" + "0a0000000001" + "0a000001" + "000000000000" + "0a000002";
    /** ICMP echo request 10.0.0.1 -> 10.0.0.2, TTL 64, 84 bytes, checksum as captured. */
    private static final String IPV4_HEADER = "45000054" + "12344000" + "4001" + "0000" + "0a000001" + "0a000002";

    @Test
    void readsAnArpRequest() {
        byte[] frame = frame("ffffffffffff0a00000000010806" + ARP_BODY);
        int at = EthernetFrames.payloadOffset(frame);

        assertThat(ArpFrames.isIpv4OverEthernet(frame, at)).isTrue();
        assertThat(ArpFrames.operation(frame, at)).isEqualTo(ArpFrames.REQUEST);
        assertThat(ArpFrames.senderMac(frame, at)).isEqualTo(0x0a0000000001L);
        assertThat(ArpFrames.senderIp(frame, at)).isEqualTo(0x0a000001);
        assertThat(ArpFrames.targetMac(frame, at)).isZero();
        assertThat(ArpFrames.targetIp(frame, at)).isEqualTo(0x0a000002);
    }

    @Test
    void readsAnArpRequestBehindAVlanTag() {
        byte[] frame = frame("ffffffffffff0a0000000001" + "81000064" + "0806" + ARP_BODY);
        int at = EthernetFrames.payloadOffset(frame);

        assertThat(at).isEqualTo(18);
        assertThat(ArpFrames.isIpv4OverEthernet(frame, at)).isTrue();
        assertThat(ArpFrames.targetIp(frame, at)).isEqualTo(0x0a000002);
    }

    @Test
    void refusesAnArpBodyCutShortOrNotForIpv4() {
        byte[] cut = frame("ffffffffffff0a00000000010806" + ARP_BODY.substring(0, ARP_BODY.length() - 2));
        byte[] ipv6 = frame("ffffffffffff0a00000000010806" + "000186dd" + ARP_BODY.substring(8));

        assertThat(ArpFrames.isIpv4OverEthernet(cut, 14)).isFalse();
        assertThat(ArpFrames.isIpv4OverEthernet(ipv6, 14)).isFalse();
    }

    @Test
    void readsAnIpv4Header() {
        byte[] frame = frame("0a00000000020a00000000010800" + IPV4_HEADER + "00".repeat(64));
        int at = EthernetFrames.payloadOffset(frame);

        assertThat(Ipv4Frames.isIpv4(frame, at)).isTrue();
        assertThat(Ipv4Frames.isWhole(frame, at)).isTrue();
        assertThat(Ipv4Frames.headerLength(frame, at)).isEqualTo(20);
        assertThat(Ipv4Frames.totalLength(frame, at)).isEqualTo(84);
        assertThat(Ipv4Frames.ttl(frame, at)).isEqualTo(64);
        assertThat(Ipv4Frames.protocol(frame, at)).isEqualTo(Ipv4Frames.PROTO_ICMP);
        assertThat(Ipv4Frames.source(frame, at)).isEqualTo(0x0a000001);
        assertThat(Ipv4Frames.destination(frame, at)).isEqualTo(0x0a000002);
        assertThat(Ipv4Frames.isFirstFragment(frame, at)).isTrue();
    }

    @Test
    void aTruncatedPacketHasAWholeHeaderButIsNotWhole() {
        byte[] frame = frame("0a00000000020a00000000010800" + IPV4_HEADER + "00".repeat(10));

        assertThat(Ipv4Frames.isIpv4(frame, 14)).isTrue();
        assertThat(Ipv4Frames.isWhole(frame, 14)).isFalse();
    }

    @Test
    void refusesAHeaderCutShortOrOfAnotherVersion() {
        assertThat(Ipv4Frames.isIpv4(frame("0a00000000020a00000000010800" + IPV4_HEADER.substring(0, 30)), 14)).isFalse();
        assertThat(Ipv4Frames.isIpv4(frame("0a00000000020a00000000010800" + "6" + IPV4_HEADER.substring(1)), 14)).isFalse();
        // header length 16 bytes: below the minimum
        assertThat(Ipv4Frames.isIpv4(frame("0a00000000020a00000000010800" + "44" + IPV4_HEADER.substring(2)), 14)).isFalse();
    }

    @Test
    void walksLldpTlvsUpToEnd() {
        byte[] frame = frame("0180c200000e0a000000000188cc"
                + "0207" + "04" + "0a0000000001"   // chassis id, MAC subtype
                + "0405" + "07" + "00000003"       // port id, locally assigned: 3
                + "0602" + "0078"                  // TTL 120
                + "0000"                           // end
                + "fe0400000000");                 // after end: ignored

        List<Integer> types = new ArrayList<>();
        int port = -1;
        for (int at = EthernetFrames.payloadOffset(frame); LldpFrames.hasTlv(frame, at); at = LldpFrames.next(frame, at)) {
            types.add(LldpFrames.type(frame, at));
            if (LldpFrames.type(frame, at) == LldpFrames.TLV_PORT_ID) {
                port = EthernetFrames.u32(frame, LldpFrames.valueOffset(at) + 1);
            }
        }

        assertThat(types).containsExactly(LldpFrames.TLV_CHASSIS_ID, LldpFrames.TLV_PORT_ID, LldpFrames.TLV_TTL);
        assertThat(port).isEqualTo(3);
        assertThat(EthernetFrames.destination(frame)).isEqualTo(LldpFrames.NEAREST_BRIDGE);
    }

    @Test
    void aTlvLongerThanTheFrameIsNotWalked() {
        byte[] frame = frame("0180c200000e0a000000000188cc" + "0210" + "04" + "0a00");

        assertThat(LldpFrames.hasTlv(frame, 14)).isFalse();
    }

    private static byte[] frame(String hex) {
        return HEX.parseHex(hex);
    }
}
