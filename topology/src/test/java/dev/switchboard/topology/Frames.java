package dev.switchboard.topology;

import dev.switchboard.controller.packet.EthernetFrames;
import java.nio.ByteBuffer;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** Ethernet frames for tests, built byte by byte. */
public final class Frames {
    private Frames() {
    }

    public static byte[] ethernet(MacAddress dst, MacAddress src, int vlan, int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(60, 18 + payload.length));
        b.put(dst.getBytes()).put(src.getBytes());
        if (vlan >= 0) {
            b.putShort((short) EthernetFrames.TYPE_VLAN).putShort((short) vlan);
        }
        b.putShort((short) type).put(payload);
        return b.array();
    }

    public static byte[] arpRequest(MacAddress sender, IPv4Address senderIp, IPv4Address target) {
        return arpRequest(sender, -1, senderIp, target);
    }

    public static byte[] arpRequest(MacAddress sender, int vlan, IPv4Address senderIp, IPv4Address target) {
        ByteBuffer arp = ByteBuffer.allocate(28);
        arp.putShort((short) 1).putShort((short) EthernetFrames.TYPE_IPV4).put((byte) 6).put((byte) 4)
                .putShort((short) 1).put(sender.getBytes()).put(senderIp.getBytes())
                .put(new byte[6]).put(target.getBytes());
        return ethernet(MacAddress.BROADCAST, sender, vlan, EthernetFrames.TYPE_ARP, arp.array());
    }

    public static byte[] ipv4(MacAddress src, MacAddress dst, IPv4Address srcIp, IPv4Address dstIp) {
        ByteBuffer ip = ByteBuffer.allocate(20);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) 20).putInt(0).put((byte) 64).put((byte) 17)
                .putShort((short) 0).put(srcIp.getBytes()).put(dstIp.getBytes());
        return ethernet(dst, src, -1, EthernetFrames.TYPE_IPV4, ip.array());
    }

    public static byte[] ipv6(MacAddress src, MacAddress dst, IPv6Address srcIp, IPv6Address dstIp) {
        ByteBuffer ip = ByteBuffer.allocate(40);
        ip.putInt(0x6000_0000).putShort((short) 0).put((byte) 59).put((byte) 64)
                .put(srcIp.getBytes()).put(dstIp.getBytes());
        return ethernet(dst, src, -1, EthernetFrames.TYPE_IPV6, ip.array());
    }
}
