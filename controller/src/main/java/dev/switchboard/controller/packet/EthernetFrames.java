package dev.switchboard.controller.packet;

/**
 * Reads an Ethernet header straight from a packet-in's bytes, without allocating: the hot
 * path looks at a few fields of every packet and should not build objects for them.
 * openflowj has no packet classes, and the libraries that do (pcap4j, Floodlight's
 * net.floodlightcontroller.packet) either allocate a tree per packet or are not on Maven
 * Central in a maintained form. MACs are returned as the low 48 bits of a long
 * ({@code MacAddress.of(long)} turns one into openflowj's type).
 *
 * <p>Every method expects a frame of at least {@link #MIN_HEADER} bytes; check
 * {@link #isEthernet} first.
 */
public final class EthernetFrames {
    public static final int MIN_HEADER = 14;
    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_QINQ = 0x88a8;
    public static final int TYPE_IPV6 = 0x86dd;
    public static final int TYPE_LLDP = 0x88cc;
    /** Floodlight's broadcast-domain discovery probe. */
    public static final int TYPE_BDDP = 0x8942;
    /** No 802.1Q tag. */
    public static final int UNTAGGED = -1;
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private EthernetFrames() {
    }

    public static boolean isEthernet(byte[] frame) {
        return frame != null && frame.length >= MIN_HEADER;
    }

    public static long destination(byte[] frame) {
        return mac(frame, 0);
    }

    public static long source(byte[] frame) {
        return mac(frame, 6);
    }

    /** True for broadcast and multicast destinations (the group bit of the first octet). */
    public static boolean isGroupAddress(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /** The outer 802.1Q VLAN id, or {@link #UNTAGGED}. */
    public static int vlan(byte[] frame) {
        int type = u16(frame, 12);
        if ((type == TYPE_VLAN || type == TYPE_QINQ) && frame.length >= 18) {
            return u16(frame, 14) & 0x0FFF;
        }
        return UNTAGGED;
    }

    /** The EtherType after any VLAN tags, or -1 when the frame is cut short. */
    public static int etherType(byte[] frame) {
        int offset = 12;
        int type = u16(frame, offset);
        while ((type == TYPE_VLAN || type == TYPE_QINQ) && frame.length >= offset + 6) {
            offset += 4;
            type = u16(frame, offset);
        }
        return type == TYPE_VLAN || type == TYPE_QINQ ? -1 : type;
    }

    /** Where the payload after the EtherType (and any VLAN tags) starts. */
    public static int payloadOffset(byte[] frame) {
        int offset = 12;
        while (frame.length >= offset + 6) {
            int type = u16(frame, offset);
            if (type != TYPE_VLAN && type != TYPE_QINQ) {
                break;
            }
            offset += 4;
        }
        return offset + 2;
    }

    public static long mac(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFFL) << 40) | ((bytes[offset + 1] & 0xFFL) << 32)
                | ((bytes[offset + 2] & 0xFFL) << 24) | ((bytes[offset + 3] & 0xFFL) << 16)
                | ((bytes[offset + 4] & 0xFFL) << 8) | (bytes[offset + 5] & 0xFFL);
    }

    public static void putMac(byte[] bytes, int offset, long mac) {
        for (int i = 5; i >= 0; i--) {
            bytes[offset + i] = (byte) mac;
            mac >>>= 8;
        }
    }

    public static int u16(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    public static int u32(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16)
                | ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
    }
}
