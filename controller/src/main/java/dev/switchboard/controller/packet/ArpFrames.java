package dev.switchboard.controller.packet;

import static dev.switchboard.controller.packet.EthernetFrames.u16;
import static dev.switchboard.controller.packet.EthernetFrames.u32;

/**
 * Reads an Ethernet/IPv4 ARP packet (RFC 826) straight from a frame's bytes, without
 * allocating. {@code at} is where the ARP body starts: {@link EthernetFrames#payloadOffset}
 * of a frame whose {@link EthernetFrames#etherType} is {@link EthernetFrames#TYPE_ARP}.
 * MACs are longs as in {@link EthernetFrames}; IPv4 addresses are ints
 * ({@code IPv4Address.of(int)} turns one into openflowj's type).
 *
 * <p>Every reader expects {@link #isIpv4OverEthernet} to have said yes.
 */
public final class ArpFrames {
    /** The body's length for Ethernet hardware and IPv4 protocol addresses. */
    public static final int LENGTH = 28;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;
    private static final int HARDWARE_ETHERNET = 1;

    private ArpFrames() {
    }

    /** An ARP body for Ethernet and IPv4 addresses, whole in the frame. */
    public static boolean isIpv4OverEthernet(byte[] frame, int at) {
        return frame.length >= at + LENGTH && u16(frame, at) == HARDWARE_ETHERNET
                && u16(frame, at + 2) == EthernetFrames.TYPE_IPV4 && frame[at + 4] == 6 && frame[at + 5] == 4;
    }

    /** {@link #REQUEST}, {@link #REPLY} or another operation code. */
    public static int operation(byte[] frame, int at) {
        return u16(frame, at + 6);
    }

    public static long senderMac(byte[] frame, int at) {
        return EthernetFrames.mac(frame, at + 8);
    }

    public static int senderIp(byte[] frame, int at) {
        return u32(frame, at + 14);
    }

    public static long targetMac(byte[] frame, int at) {
        return EthernetFrames.mac(frame, at + 18);
    }

    public static int targetIp(byte[] frame, int at) {
        return u32(frame, at + 24);
    }
}
