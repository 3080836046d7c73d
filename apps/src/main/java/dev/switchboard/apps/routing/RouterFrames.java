package dev.switchboard.apps.routing;

import static dev.switchboard.controller.packet.EthernetFrames.MIN_HEADER;
import static dev.switchboard.controller.packet.EthernetFrames.TYPE_ARP;
import static dev.switchboard.controller.packet.EthernetFrames.TYPE_IPV4;
import static dev.switchboard.controller.packet.EthernetFrames.u16;

import dev.switchboard.controller.packet.ArpFrames;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.controller.packet.Ipv4Frames;

/**
 * Builds the few frames a router needs — ARP, IPv4 and ICMP — as byte arrays, by hand, and
 * reads untagged ones through the controller's {@link ArpFrames} and {@link Ipv4Frames}: openflowj has no packet classes (it carries a packet-in's frame as {@code byte[]}),
 * and a packet library would build an object tree per packet. Only untagged Ethernet II
 * frames: the IPv4 header starts at {@link #IP}. MACs are longs as in {@link EthernetFrames};
 * IPv4 addresses are ints.
 */
final class RouterFrames {
    /** Where the IPv4 header or ARP body starts in an untagged frame. */
    static final int IP = MIN_HEADER;
    static final int ARP_LENGTH = MIN_HEADER + ArpFrames.LENGTH;
    static final int ARP_REQUEST = ArpFrames.REQUEST;
    static final int ARP_REPLY = ArpFrames.REPLY;
    static final int PROTO_ICMP = Ipv4Frames.PROTO_ICMP;
    static final int ICMP_ECHO_REPLY = 0;
    static final int ICMP_UNREACHABLE = 3;
    static final int ICMP_ECHO_REQUEST = 8;
    static final int ICMP_TIME_EXCEEDED = 11;
    static final int CODE_NET_UNREACHABLE = 0;
    static final int CODE_HOST_UNREACHABLE = 1;
    static final int DEFAULT_TTL = 64;
    /** RFC 792: an ICMP error quotes the offending header and the first 8 bytes of its data. */
    static final int QUOTED_DATA = 8;

    private RouterFrames() {
    }

    // ---- ARP ----

    /** An Ethernet/IPv4 ARP packet, long enough to read. */
    static boolean isArp(byte[] frame) {
        return frame.length >= MIN_HEADER && u16(frame, 12) == TYPE_ARP && ArpFrames.isIpv4OverEthernet(frame, IP);
    }

    static int arpOperation(byte[] frame) {
        return ArpFrames.operation(frame, IP);
    }

    static long arpSenderMac(byte[] frame) {
        return ArpFrames.senderMac(frame, IP);
    }

    static int arpSenderIp(byte[] frame) {
        return ArpFrames.senderIp(frame, IP);
    }

    static int arpTargetIp(byte[] frame) {
        return ArpFrames.targetIp(frame, IP);
    }

    /** A broadcast ARP request asking who has {@code targetIp}. */
    static byte[] arpRequest(long senderMac, int senderIp, int targetIp) {
        return arp(EthernetFrames.BROADCAST, ARP_REQUEST, senderMac, senderIp, 0, targetIp);
    }

    /** The answer to {@code request}: {@code mac} has the address the request asked for. */
    static byte[] arpReply(byte[] request, long mac) {
        return arp(arpSenderMac(request), ARP_REPLY, mac, arpTargetIp(request),
                arpSenderMac(request), arpSenderIp(request));
    }

    private static byte[] arp(long ethDst, int op, long senderMac, int senderIp, long targetMac, int targetIp) {
        byte[] f = new byte[ARP_LENGTH];
        ethernet(f, ethDst, senderMac, TYPE_ARP);
        putU16(f, IP, 1);
        putU16(f, IP + 2, TYPE_IPV4);
        f[IP + 4] = 6;
        f[IP + 5] = 4;
        putU16(f, IP + 6, op);
        EthernetFrames.putMac(f, IP + 8, senderMac);
        putU32(f, IP + 14, senderIp);
        EthernetFrames.putMac(f, IP + 18, targetMac);
        putU32(f, IP + 24, targetIp);
        return f;
    }

    // ---- IPv4 ----

    /**
     * An untagged IPv4 frame whose header is whole and says version 4. The rest may be cut
     * short (a packet-in truncated by the switch): check {@link #isWhole} before forwarding.
     */
    static boolean isIpv4(byte[] frame) {
        return frame.length >= MIN_HEADER && u16(frame, 12) == TYPE_IPV4 && Ipv4Frames.isIpv4(frame, IP);
    }

    /** The whole IP packet is in the frame, as its total length says. */
    static boolean isWhole(byte[] frame) {
        return Ipv4Frames.isWhole(frame, IP);
    }

    static int headerLength(byte[] frame) {
        return Ipv4Frames.headerLength(frame, IP);
    }

    static int totalLength(byte[] frame) {
        return Ipv4Frames.totalLength(frame, IP);
    }

    static int ttl(byte[] frame) {
        return Ipv4Frames.ttl(frame, IP);
    }

    static int protocol(byte[] frame) {
        return Ipv4Frames.protocol(frame, IP);
    }

    static int sourceIp(byte[] frame) {
        return Ipv4Frames.source(frame, IP);
    }

    static int destinationIp(byte[] frame) {
        return Ipv4Frames.destination(frame, IP);
    }

    /** True when the fragment offset is zero: the frame carries the start of its L4 header. */
    static boolean isFirstFragment(byte[] frame) {
        return Ipv4Frames.isFirstFragment(frame, IP);
    }

    /** The ICMP type of an ICMP packet (check {@link #protocol} first), or -1 when cut short. */
    static int icmpType(byte[] frame) {
        int icmp = IP + headerLength(frame);
        return totalLength(frame) - headerLength(frame) >= 8 && frame.length > icmp && isFirstFragment(frame)
                ? frame[icmp] & 0xFF : -1;
    }

    /**
     * A routed copy of {@code frame}: new source and destination MAC, TTL one less and the
     * header checksum recomputed. The frame is cut to the IP total length, dropping Ethernet
     * padding.
     */
    static byte[] routed(byte[] frame, long srcMac, long dstMac) {
        byte[] f = java.util.Arrays.copyOf(frame, IP + totalLength(frame));
        EthernetFrames.putMac(f, 0, dstMac);
        EthernetFrames.putMac(f, 6, srcMac);
        f[IP + 8] = (byte) (ttl(frame) - 1);
        putU16(f, IP + 10, 0);
        putU16(f, IP + 10, checksum(f, IP, headerLength(f)));
        return f;
    }

    /**
     * The echo reply to an echo {@code request} addressed to the router: same identifier,
     * sequence and data, from the address the request was sent to, TTL 64.
     */
    static byte[] echoReply(byte[] request, long routerMac) {
        int icmpStart = IP + headerLength(request);
        int icmpLength = totalLength(request) - headerLength(request);
        byte[] f = ipv4(EthernetFrames.source(request), routerMac, destinationIp(request),
                sourceIp(request), icmpLength);
        int icmp = IP + 20;
        System.arraycopy(request, icmpStart, f, icmp, icmpLength);
        f[icmp] = ICMP_ECHO_REPLY;
        f[icmp + 1] = 0;
        putU16(f, icmp + 2, 0);
        putU16(f, icmp + 2, checksum(f, icmp, icmpLength));
        return f;
    }

    /**
     * An ICMP error about {@code original} (as received, before any TTL change), from
     * {@code routerIp} back to its source, quoting its IP header and first 8 data bytes.
     */
    static byte[] icmpError(byte[] original, long routerMac, int routerIp, int type, int code) {
        int quoted = Math.min(Math.min(headerLength(original) + QUOTED_DATA, totalLength(original)),
                original.length - IP);
        byte[] f = ipv4(EthernetFrames.source(original), routerMac, routerIp, sourceIp(original), 8 + quoted);
        int icmp = IP + 20;
        f[icmp] = (byte) type;
        f[icmp + 1] = (byte) code;
        System.arraycopy(original, IP, f, icmp + 8, quoted);
        putU16(f, icmp + 2, checksum(f, icmp, 8 + quoted));
        return f;
    }

    /**
     * RFC 1812 4.3.2.7: no ICMP error about an ICMP error, a non-first fragment, or a packet
     * from an address that does not name one host.
     */
    static boolean deservesIcmpError(byte[] frame) {
        if (!isFirstFragment(frame)) {
            return false;
        }
        int source = sourceIp(frame);
        if (source == 0 || (source >>> 28) == 0xE || source == -1 || (source >>> 24) == 127) {
            return false;
        }
        if (protocol(frame) == PROTO_ICMP) {
            int type = icmpType(frame);
            return type == ICMP_ECHO_REQUEST || type == ICMP_ECHO_REPLY;
        }
        return true;
    }

    /** An Ethernet + 20-byte IPv4 header carrying ICMP, with room for {@code payload} bytes. */
    private static byte[] ipv4(long ethDst, long ethSrc, int srcIp, int dstIp, int payload) {
        byte[] f = new byte[IP + 20 + payload];
        ethernet(f, ethDst, ethSrc, TYPE_IPV4);
        f[IP] = 0x45;
        putU16(f, IP + 2, 20 + payload);
        f[IP + 8] = DEFAULT_TTL;
        f[IP + 9] = PROTO_ICMP;
        putU32(f, IP + 12, srcIp);
        putU32(f, IP + 16, dstIp);
        putU16(f, IP + 10, checksum(f, IP, 20));
        return f;
    }

    private static void ethernet(byte[] f, long dst, long src, int type) {
        EthernetFrames.putMac(f, 0, dst);
        EthernetFrames.putMac(f, 6, src);
        putU16(f, 12, type);
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes from {@code offset}. */
    static int checksum(byte[] bytes, int offset, int length) {
        long sum = 0;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += u16(bytes, i);
        }
        if (i < end) {
            sum += (bytes[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    static void putU16(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
    }

    static void putU32(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }
}
