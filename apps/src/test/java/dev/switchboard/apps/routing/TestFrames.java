package dev.switchboard.apps.routing;

import dev.switchboard.controller.packet.EthernetFrames;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** Frames hosts would send, built independently of the code under test where it matters (IPv4/UDP, ICMP echo). */
final class TestFrames {
    private TestFrames() {
    }

    /** IPv4/UDP with a 12-byte payload, header checksum computed here. */
    static byte[] udp(MacAddress src, MacAddress dst, String srcIp, String dstIp, int ttl) {
        return ipv4(src, dst, srcIp, dstIp, ttl, 17, new byte[] {
                0x30, 0x39, 0x00, 0x35, 0x00, 20, 0, 0, 'h', 'e', 'l', 'l', 'o', '-', 'r', 'o', 'u', 't', 'e', 'r'});
    }

    static byte[] echoRequest(MacAddress src, MacAddress dst, String srcIp, String dstIp, int id, int seq) {
        byte[] icmp = {8, 0, 0, 0, (byte) (id >> 8), (byte) id, (byte) (seq >> 8), (byte) seq,
                'p', 'i', 'n', 'g', '-', 'd', 'a', 't', 'a', '!'};
        int sum = onesComplement(icmp, 0, icmp.length);
        icmp[2] = (byte) (sum >> 8);
        icmp[3] = (byte) sum;
        return ipv4(src, dst, srcIp, dstIp, 64, 1, icmp);
    }

    static byte[] ipv4(MacAddress src, MacAddress dst, String srcIp, String dstIp, int ttl, int protocol, byte[] payload) {
        byte[] f = new byte[14 + 20 + payload.length];
        EthernetFrames.putMac(f, 0, dst.getLong());
        EthernetFrames.putMac(f, 6, src.getLong());
        f[12] = 0x08;
        f[13] = 0x00;
        f[14] = 0x45;
        int total = 20 + payload.length;
        f[16] = (byte) (total >> 8);
        f[17] = (byte) total;
        f[18] = 0x12;
        f[19] = 0x34;
        f[22] = (byte) ttl;
        f[23] = (byte) protocol;
        putInt(f, 26, IPv4Address.of(srcIp).getInt());
        putInt(f, 30, IPv4Address.of(dstIp).getInt());
        int sum = onesComplement(f, 14, 20);
        f[24] = (byte) (sum >> 8);
        f[25] = (byte) sum;
        System.arraycopy(payload, 0, f, 34, payload.length);
        return f;
    }

    /** A straightforward RFC 1071 sum, written separately from RouterFrames.checksum to check it. */
    static int onesComplement(byte[] b, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = b[offset + i] & 0xFF;
            int lo = i + 1 < length ? b[offset + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    /** True when the 16-bit sum over the range, checksum field included, verifies (is all ones). */
    static boolean checksumValid(byte[] b, int offset, int length) {
        return onesComplement(b, offset, length) == 0;
    }

    private static void putInt(byte[] b, int offset, int v) {
        b[offset] = (byte) (v >>> 24);
        b[offset + 1] = (byte) (v >>> 16);
        b[offset + 2] = (byte) (v >>> 8);
        b[offset + 3] = (byte) v;
    }
}
