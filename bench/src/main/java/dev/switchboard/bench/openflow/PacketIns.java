package dev.switchboard.bench.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * One switch's packet-ins, encoded once and copied for every send with only the xid, the buffer
 * id and the frame's tag changed.
 *
 * <p>The switch has {@code macs} hosts, MAC {@code i} on port {@code 1 + i % ports}. Template
 * {@code i} ({@code 0 <= i < macs}) is host {@code i}'s 64-byte IPv4/UDP frame to another host on
 * another port, so a learning switch that knows both installs a flow; template {@code macs + i}
 * is host {@code i}'s broadcast, which teaches a learning switch where {@code i} is (cbench's
 * learning packets). Every packet-in has the same length. Immutable once built.
 */
public final class PacketIns {
    /** The frame's size without FCS, as cbench's. */
    static final int FRAME_LENGTH = 64;
    /** Where the tag starts in the frame: the UDP payload (14 Ethernet + 20 IPv4 + 8 UDP). */
    static final int TAG_OFFSET = 42;
    /** Magic "SBLG", the switch's number, the packet-in's id: 12 bytes. */
    static final int TAG_LENGTH = 12;
    static final int TAG_MAGIC = 0x53424c47;
    /** Where the buffer id and the xid are in every version's PACKET_IN. */
    private static final int XID_OFFSET = 4;
    private static final int BUFFER_ID_OFFSET = 8;

    private final ByteBuf templates;
    private final int macs;
    private final int ports;
    private final int messageLength;
    private final int dataOffset;

    private PacketIns(ByteBuf templates, int macs, int ports, int messageLength, int dataOffset) {
        this.templates = templates;
        this.macs = macs;
        this.ports = ports;
        this.messageLength = messageLength;
        this.dataOffset = dataOffset;
    }

    /**
     * @param switchNumber 1-based, distinct per switch; in every MAC and in the frames' tag
     * @param macs hosts behind the switch, at least 2
     * @param ports switch ports the hosts are spread over, at least 2
     */
    public static PacketIns build(OFVersion version, int switchNumber, int macs, int ports) {
        if (macs < 2 || ports < 2) {
            throw new IllegalArgumentException("need at least 2 MACs and 2 ports: " + macs + ", " + ports);
        }
        if (switchNumber < 1 || switchNumber > 0xffff || macs > 0xff_ffff) {
            throw new IllegalArgumentException("switch " + switchNumber + " or " + macs + " MACs out of range");
        }
        OFFactory f = OFFactories.getFactory(version);
        ByteBuf all = Unpooled.directBuffer();
        int length = -1;
        for (int template = 0; template < 2 * macs; template++) {
            int host = template % macs;
            boolean learning = template >= macs;
            long dst = learning ? MacAddress.BROADCAST.getLong() : mac(switchNumber, peerOf(host, macs, ports));
            byte[] frame = frame(dst, mac(switchNumber, host), switchNumber, host);
            OFPacketIn packetIn = packetIn(f, OFPort.of(portOf(host, ports)), frame);
            int before = all.writerIndex();
            packetIn.writeTo(all);
            int written = all.writerIndex() - before;
            if (length >= 0 && written != length) {
                throw new IllegalStateException("packet-ins differ in length: " + written + " and " + length);
            }
            length = written;
        }
        return new PacketIns(all.asReadOnly(), macs, ports, length, length - FRAME_LENGTH);
    }

    /**
     * Frees the templates' direct buffer, for a caller that drops its switches before the
     * process ends ({@code bench cluster} runs two sets); no write may follow.
     */
    void release() {
        templates.release();
    }

    /** The bytes of one packet-in on the wire. */
    public int messageLength() {
        return messageLength;
    }

    int macs() {
        return macs;
    }

    int ports() {
        return ports;
    }

    /** Traffic templates are {@code 0..macs-1}; host {@code i}'s learning packet is {@code macs + i}. */
    int templateCount() {
        return 2 * macs;
    }

    /**
     * Appends template {@code template} to {@code out} as packet-in {@code id}: its xid, buffer id
     * and tag all say {@code id}.
     */
    public void writeTo(ByteBuf out, int template, int id) {
        int base = out.writerIndex();
        out.writeBytes(templates, template * messageLength, messageLength);
        out.setInt(base + XID_OFFSET, id);
        out.setInt(base + BUFFER_ID_OFFSET, id);
        out.setInt(base + dataOffset + TAG_OFFSET + 8, id);
    }

    /** Locally administered 02:ss:ss:hh:hh:hh, distinct per switch and host, and from port MACs. */
    public static long mac(int switchNumber, int host) {
        return 0x02_00_00_00_00_00L | (long) (switchNumber & 0xffff) << 24 | (host & 0xff_ffff);
    }

    public static int portOf(int host, int ports) {
        return 1 + host % ports;
    }

    /** The next host after {@code host} that sits on another port. */
    static int peerOf(int host, int macs, int ports) {
        for (int step = 1; step < macs; step++) {
            int peer = (host + step) % macs;
            if (portOf(peer, ports) != portOf(host, ports)) {
                return peer;
            }
        }
        throw new IllegalArgumentException("every host is on one port");
    }

    /** Ethernet, IPv4 10.s.h.h to 10.s.h.h, UDP 5000 to 5001, the tag, zeros; no checksums. */
    static byte[] frame(long dst, long src, int switchNumber, int host) {
        ByteBuffer b = ByteBuffer.allocate(FRAME_LENGTH);
        b.put(MacAddress.of(dst).getBytes()).put(MacAddress.of(src).getBytes()).putShort((short) 0x0800);
        int ipLength = FRAME_LENGTH - 14;
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putInt(0)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .putInt(0x0a00_0000 | (switchNumber & 0xff) << 16 | (host & 0xffff))
                .putInt(0x0a00_0000 | (switchNumber & 0xff) << 16 | ((host + 1) & 0xffff));
        b.putShort((short) 5000).putShort((short) 5001).putShort((short) (ipLength - 20)).putShort((short) 0);
        b.putInt(TAG_MAGIC).putInt(switchNumber).putInt(0);
        return b.array();
    }

    private static OFPacketIn packetIn(OFFactory f, OFPort inPort, byte[] frame) {
        OFPacketIn.Builder b = f.buildPacketIn()
                .setXid(0)
                .setBufferId(OFBufferId.of(0))
                .setTotalLen(frame.length)
                .setReason(OFPacketInReason.NO_MATCH)
                .setData(frame);
        switch (f.getVersion()) {
            case OF_10 -> b.setInPort(inPort);
            case OF_11 -> b.setInPort(inPort).setInPhyPort(inPort);
            default -> b.setMatch(f.buildMatch().setExact(MatchField.IN_PORT, inPort).build());
        }
        return b.build();
    }
}
