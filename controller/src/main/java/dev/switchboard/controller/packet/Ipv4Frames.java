package dev.switchboard.controller.packet;

import static dev.switchboard.controller.packet.EthernetFrames.u16;
import static dev.switchboard.controller.packet.EthernetFrames.u32;

/**
 * Reads an IPv4 header (RFC 791) straight from a frame's bytes, without allocating.
 * {@code at} is where the header starts: {@link EthernetFrames#payloadOffset} of a frame
 * whose {@link EthernetFrames#etherType} is {@link EthernetFrames#TYPE_IPV4}. Addresses are
 * ints ({@code IPv4Address.of(int)} turns one into openflowj's type).
 *
 * <p>Every reader expects {@link #isIpv4} to have said yes. The payload may be cut short
 * (a packet-in truncated by the switch): {@link #isWhole} says whether it is all there.
 */
public final class Ipv4Frames {
    /** A header without options. */
    public static final int MIN_HEADER = 20;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;

    private Ipv4Frames() {
    }

    /** A version-4 header, whole in the frame, whose lengths are consistent. */
    public static boolean isIpv4(byte[] frame, int at) {
        if (frame.length < at + MIN_HEADER || (frame[at] & 0xF0) != 0x40) {
            return false;
        }
        int headerLength = headerLength(frame, at);
        return headerLength >= MIN_HEADER && totalLength(frame, at) >= headerLength && frame.length >= at + headerLength;
    }

    /** The whole packet, as its total length says, is in the frame. */
    public static boolean isWhole(byte[] frame, int at) {
        return frame.length >= at + totalLength(frame, at);
    }

    /** The header's length in bytes, options included. */
    public static int headerLength(byte[] frame, int at) {
        return (frame[at] & 0x0F) * 4;
    }

    /** The packet's length in bytes, header included. */
    public static int totalLength(byte[] frame, int at) {
        return u16(frame, at + 2);
    }

    public static int ttl(byte[] frame, int at) {
        return frame[at + 8] & 0xFF;
    }

    public static int protocol(byte[] frame, int at) {
        return frame[at + 9] & 0xFF;
    }

    public static int source(byte[] frame, int at) {
        return u32(frame, at + 12);
    }

    public static int destination(byte[] frame, int at) {
        return u32(frame, at + 16);
    }

    /** The fragment offset is zero: the packet carries the start of its L4 header. */
    public static boolean isFirstFragment(byte[] frame, int at) {
        return (u16(frame, at + 6) & 0x1FFF) == 0;
    }
}
