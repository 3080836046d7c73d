package dev.switchboard.hosts;

import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.PacketInProcessor;
import dev.switchboard.controller.openflow.OpenFlowMessages;
import dev.switchboard.controller.packet.ArpFrames;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.controller.packet.Ipv4Frames;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
import dev.switchboard.topology.TopologyService;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Learning from packet-ins, on the switches' event loops: reads the source MAC, VLAN and
 * address of each frame and, for a known host at its known port carrying no new address,
 * only stores the time it was seen (table reads with a per-thread key or the entry's own,
 * compare-and-sets on the entry, no allocation; see {@link HostTracker#markSeen}). Anything
 * else is handed to {@link HostTracker#learn}, which publishes a new table with a
 * compare-and-set: nothing here waits.
 */
final class HostLearning implements PacketInProcessor {
    private final HostTracker tracker;
    private final TopologyService topology;
    /** Each event loop's lookup key, so a lookup does not box a long. Never stored in a table. */
    private final ThreadLocal<HostKey> lookupKey = ThreadLocal.withInitial(() -> new HostKey(0));

    HostLearning(HostTracker tracker, TopologyService topology) {
        this.tracker = tracker;
        this.topology = topology;
    }

    @Override
    public Disposition process(OFSwitch sw, OFPacketIn packetIn) {
        byte[] frame = packetIn.getData();
        if (!EthernetFrames.isEthernet(frame)) {
            return Disposition.CONTINUE;
        }
        long mac = EthernetFrames.source(frame);
        if (mac == 0 || EthernetFrames.isGroupAddress(mac)) {
            return Disposition.CONTINUE; // not a host's own address
        }
        OFPort inPort = OpenFlowMessages.inPort(packetIn);
        if (inPort == null) {
            return Disposition.CONTINUE;
        }
        int tag = EthernetFrames.vlan(frame);
        int vlan = tag == EthernetFrames.UNTAGGED ? 0 : tag;
        long nanos = System.nanoTime();

        // The source address, if the packet names one: ARP sender, IPv4 or IPv6 source.
        int type = EthernetFrames.etherType(frame);
        int payload = EthernetFrames.payloadOffset(frame);
        int ipv4 = 0;
        long ipv6High = 0;
        long ipv6Low = 0;
        if (type == EthernetFrames.TYPE_ARP && ArpFrames.isIpv4OverEthernet(frame, payload)) {
            ipv4 = ArpFrames.senderIp(frame, payload);
        } else if (type == EthernetFrames.TYPE_IPV4 && Ipv4Frames.isIpv4(frame, payload)) {
            ipv4 = Ipv4Frames.source(frame, payload);
        } else if (type == EthernetFrames.TYPE_IPV6 && frame.length >= payload + 40) {
            ipv6High = u64(frame, payload + 8);
            ipv6Low = u64(frame, payload + 16);
        }

        HostKey probe = lookupKey.get();
        probe.value = HostKey.of(mac, vlan);
        HostEntry entry = tracker.table().get(probe);
        boolean nothingNew = entry != null && (ipv4 == 0 || entry.knowsIpv4(ipv4))
                && ((ipv6High | ipv6Low) == 0 || entry.knowsIpv6(ipv6High, ipv6Low));
        Topology now = topology.current();
        if (nothingNew && entry.isAt(sw.id().getLong(), inPort.getPortNumber())) {
            refreshIfAtEdge(entry, now, nanos, true);
            return Disposition.CONTINUE;
        }
        // Hosts are attached only at edge ports: at an inter-switch port we see hosts of
        // other switches passing through, which must neither attach nor move them.
        if (now.isInterSwitchPort(sw.id(), inPort)) {
            if (entry != null) {
                refreshIfAtEdge(entry, now, nanos, false);
                if (!nothingNew) {
                    tracker.learn(mac, vlan, new SwitchPort(sw.id(), inPort), false, ipv4, ipv6High, ipv6Low, nanos);
                }
            }
            return Disposition.CONTINUE;
        }
        tracker.learn(mac, vlan, new SwitchPort(sw.id(), inPort), true, ipv4, ipv6High, ipv6Low, nanos);
        return Disposition.CONTINUE;
    }

    /**
     * Marks a known host as seen, unless its own attachment has become an inter-switch port:
     * such an entry is wrong (it was learnt before the link was known) and is dropped rather
     * than kept alive by the transit traffic that crosses that port.
     */
    private void refreshIfAtEdge(HostEntry entry, Topology now, long nanos, boolean atLocation) {
        if (entry.edgeCheckedIn != now) {
            if (now.isInterSwitchPort(entry.host.location())) {
                tracker.remove(entry, "at an inter-switch port");
                return;
            }
            entry.edgeCheckedIn = now;
        }
        tracker.markSeen(entry, nanos, atLocation);
    }

    private static long u64(byte[] bytes, int at) {
        return ((long) EthernetFrames.u32(bytes, at) << 32) | (EthernetFrames.u32(bytes, at + 4) & 0xFFFF_FFFFL);
    }
}
