package dev.switchboard.apps.routing;

import static dev.switchboard.apps.routing.TestFrames.checksumValid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.packet.EthernetFrames;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

class RouterFramesTest {
    private static final MacAddress ROUTER = MacAddress.of("02:53:42:00:00:01");
    private static final MacAddress HOST = MacAddress.of("00:00:00:00:00:0a");
    private static final MacAddress NEXT = MacAddress.of("00:00:00:00:00:0b");

    private static int ip(String text) {
        return IPv4Address.of(text).getInt();
    }

    @Test
    void arpRequestAndReplyHaveTheWireLayout() {
        byte[] request = RouterFrames.arpRequest(HOST.getLong(), ip("10.0.1.10"), ip("10.0.1.1"));
        assertThat(HexFormat.of().formatHex(request)).isEqualTo(
                "ffffffffffff" + "00000000000a" + "0806"
                        + "0001" + "0800" + "06" + "04" + "0001"
                        + "00000000000a" + "0a00010a"
                        + "000000000000" + "0a000101");
        byte[] reply = RouterFrames.arpReply(request, ROUTER.getLong());
        assertThat(HexFormat.of().formatHex(reply)).isEqualTo(
                "00000000000a" + "025342000001" + "0806"
                        + "0001" + "0800" + "06" + "04" + "0002"
                        + "025342000001" + "0a000101"
                        + "00000000000a" + "0a00010a");
        assertThat(RouterFrames.isArp(reply)).isTrue();
        assertThat(RouterFrames.arpOperation(reply)).isEqualTo(RouterFrames.ARP_REPLY);
    }

    @Test
    void checksumMatchesTheRfc1071Example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2, so the checksum is 220d.
        byte[] words = HexFormat.of().parseHex("0001f203f4f5f6f7");
        assertThat(RouterFrames.checksum(words, 0, words.length)).isEqualTo(0x220d);
        byte[] odd = HexFormat.of().parseHex("0001f203f4f5f6");
        assertThat(RouterFrames.checksum(odd, 0, odd.length)).isEqualTo(TestFrames.onesComplement(odd, 0, odd.length));
    }

    @Test
    void echoReplyKeepsIdSequenceAndDataWithValidChecksums() {
        byte[] request = TestFrames.echoRequest(HOST, ROUTER, "10.0.1.10", "10.0.1.1", 0x1234, 7);
        byte[] reply = RouterFrames.echoReply(request, ROUTER.getLong());
        assertThat(EthernetFrames.destination(reply)).isEqualTo(HOST.getLong());
        assertThat(EthernetFrames.source(reply)).isEqualTo(ROUTER.getLong());
        assertThat(RouterFrames.sourceIp(reply)).isEqualTo(ip("10.0.1.1"));
        assertThat(RouterFrames.destinationIp(reply)).isEqualTo(ip("10.0.1.10"));
        assertThat(RouterFrames.ttl(reply)).isEqualTo(64);
        assertThat(checksumValid(reply, 14, 20)).isTrue();
        assertThat(reply[34]).isEqualTo((byte) 0);
        assertThat(Arrays.copyOfRange(reply, 38, reply.length)).isEqualTo(Arrays.copyOfRange(request, 38, request.length));
        assertThat(checksumValid(reply, 34, reply.length - 34)).isTrue();
    }

    @Test
    void routedCopyRewritesMacsDecrementsTtlAndFixesTheChecksum() {
        byte[] frame = TestFrames.udp(HOST, ROUTER, "10.0.1.10", "10.0.2.20", 64);
        byte[] padded = Arrays.copyOf(frame, 60); // Ethernet padding is dropped
        byte[] routed = RouterFrames.routed(padded, ROUTER.getLong(), NEXT.getLong());
        assertThat(routed).hasSize(frame.length);
        assertThat(EthernetFrames.source(routed)).isEqualTo(ROUTER.getLong());
        assertThat(EthernetFrames.destination(routed)).isEqualTo(NEXT.getLong());
        assertThat(RouterFrames.ttl(routed)).isEqualTo(63);
        assertThat(checksumValid(routed, 14, 20)).isTrue();
        assertThat(Arrays.copyOfRange(routed, 34, routed.length)).isEqualTo(Arrays.copyOfRange(frame, 34, frame.length));
        assertThat(RouterFrames.ttl(frame)).as("the original is untouched").isEqualTo(64);
    }

    @Test
    void icmpErrorQuotesTheHeaderAndEightBytes() {
        byte[] frame = TestFrames.udp(HOST, ROUTER, "10.0.1.10", "10.0.2.20", 1);
        byte[] error = RouterFrames.icmpError(frame, ROUTER.getLong(), ip("10.0.1.1"),
                RouterFrames.ICMP_TIME_EXCEEDED, 0);
        assertThat(RouterFrames.sourceIp(error)).isEqualTo(ip("10.0.1.1"));
        assertThat(RouterFrames.destinationIp(error)).isEqualTo(ip("10.0.1.10"));
        assertThat(RouterFrames.protocol(error)).isEqualTo(RouterFrames.PROTO_ICMP);
        assertThat(checksumValid(error, 14, 20)).isTrue();
        assertThat(error[34]).isEqualTo((byte) 11);
        assertThat(error[35]).isEqualTo((byte) 0);
        assertThat(Arrays.copyOfRange(error, 42, error.length)).isEqualTo(Arrays.copyOfRange(frame, 14, 14 + 28));
        assertThat(checksumValid(error, 34, error.length - 34)).isTrue();
    }

    @Test
    void noIcmpErrorAboutAnIcmpError() {
        byte[] frame = TestFrames.udp(HOST, ROUTER, "10.0.1.10", "10.0.2.20", 1);
        byte[] error = RouterFrames.icmpError(frame, ROUTER.getLong(), ip("10.0.1.1"), 11, 0);
        assertThat(RouterFrames.deservesIcmpError(frame)).isTrue();
        assertThat(RouterFrames.deservesIcmpError(error)).isFalse();
        assertThat(RouterFrames.deservesIcmpError(
                TestFrames.echoRequest(HOST, ROUTER, "10.0.1.10", "10.0.9.9", 1, 1))).isTrue();
    }

    @Test
    void recognisesOnlyWellFormedPackets() {
        byte[] frame = TestFrames.udp(HOST, ROUTER, "10.0.1.10", "10.0.2.20", 64);
        assertThat(RouterFrames.isIpv4(frame)).isTrue();
        assertThat(RouterFrames.isWhole(frame)).isTrue();
        byte[] cut = Arrays.copyOf(frame, 40);
        assertThat(RouterFrames.isIpv4(cut)).isTrue();
        assertThat(RouterFrames.isWhole(cut)).isFalse();
        assertThat(RouterFrames.isIpv4(Arrays.copyOf(frame, 30))).isFalse();
        assertThat(RouterFrames.isArp(frame)).isFalse();
    }
}
