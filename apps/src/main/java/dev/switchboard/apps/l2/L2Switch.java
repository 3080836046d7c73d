package dev.switchboard.apps.l2;

import static dev.switchboard.controller.packet.EthernetFrames.UNTAGGED;

import dev.switchboard.apps.common.Deliverable;
import dev.switchboard.apps.common.FloodPlanner;
import dev.switchboard.apps.common.FloodPlanner.FloodPlan;
import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.openflow.OpenFlowMessages;
import dev.switchboard.controller.openflow.OpenFlowMessages.FlowSpec;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.topology.Topology;
import java.util.List;
import java.util.function.Consumer;
import dev.switchboard.controller.app.FlowEntries;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFOxmList;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.oxm.OFOxms;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.U64;

/**
 * One switch's learning logic and MAC table, with no network: {@link #handle} is given a
 * packet-in and the topology snapshot and hands the messages to send to a sink, Faucet style,
 * so it can be unit-tested and benchmarked on its own.
 *
 * <p>Not thread-safe: used on the switch's event loop only. The packet path allocates only the
 * messages it sends (and openflowj's match and MAC objects inside them); it never throws for a
 * malformed frame and never logs.
 */
final class L2Switch {
    /** Output action lists are cached for ports below this; higher numbers are rare and built per flow. */
    private static final int CACHED_OUTPUTS = 1024;

    private final DatapathId dpid;
    private final OFFactory factory;
    private final U64 cookie;
    private final int priority;
    private final int idleTimeout;
    private final int hardTimeout;
    private final MacTable macs;
    private final FloodPlanner flooding;
    @SuppressWarnings("unchecked")
    private final List<OFAction>[] outputs = new List[CACHED_OUTPUTS];
    /**
     * Reused for every learned flow: it always sets the same four fields, and openflowj's
     * {@code build()} copies them into an immutable match, so a fresh builder per packet (the
     * largest allocation on this path) buys nothing.
     */
    private final Match.Builder flowMatch;
    /** From OpenFlow 1.2 on a match is a list of OXMs (1.0 and 1.1 have fixed structures). */
    private final boolean oxmMatches;
    /** The app's link-loss count when this table was last cleared. */
    private long clearedAt;

    L2Switch(DatapathId dpid, OFFactory factory, U64 cookie, int priority, int idleTimeoutSeconds,
            int hardTimeoutSeconds, int maxMacs) {
        this.dpid = dpid;
        this.factory = factory;
        this.cookie = cookie;
        this.priority = priority;
        this.idleTimeout = idleTimeoutSeconds;
        this.hardTimeout = hardTimeoutSeconds;
        this.macs = new MacTable(maxMacs);
        this.flooding = new FloodPlanner(dpid, factory);
        this.flowMatch = factory.buildMatch();
        this.oxmMatches = factory.getVersion().compareTo(OFVersion.OF_12) >= 0;
    }

    DatapathId dpid() {
        return dpid;
    }

    MacTable macs() {
        return macs;
    }

    /** Clears the table when {@code linkLosses} moved on since it was last cleared; on the switch's event loop. */
    void forgetAllUnless(long linkLosses) {
        if (linkLosses != clearedAt) {
            macs.clear();
            clearedAt = linkLosses;
        }
    }

    /**
     * Learns the source, then forwards to a known destination by installing a flow (which also
     * releases a buffered packet) or floods along the spanning tree.
     *
     * @param out receives the FLOW_MOD and PACKET_OUT to send to this switch, in order
     * @return {@link Disposition#CONTINUE} only for a packet that is not Ethernet
     */
    Disposition handle(OFPacketIn packetIn, Topology topology, Consumer<? super OFMessage> out) {
        byte[] frame = packetIn.getData();
        Disposition refused = Deliverable.refusal(frame);
        if (refused != null) {
            return refused;
        }
        long src = EthernetFrames.source(frame);
        long dst = EthernetFrames.destination(frame);
        int vlan = EthernetFrames.vlan(frame);
        OFPort inPort = OpenFlowMessages.inPort(packetIn);
        if (inPort == null) {
            return Disposition.STOP; // a 1.2+ packet-in without IN_PORT: nowhere to learn or answer
        }
        int in = inPort.getPortNumber();
        if (!EthernetFrames.isGroupAddress(dst)) {
            int known = macs.get(MacTable.key(dst, vlan));
            if (known != MacTable.NO_PORT) {
                macs.put(MacTable.key(src, vlan), in);
                if (known != in) {
                    forward(packetIn, inPort, src, dst, vlan, known, out);
                }
                return Disposition.STOP; // known on the in-port: the destination already had it
            }
        }
        FloodPlan plan = flooding.plan(topology, inPort);
        if (!plan.accepted()) {
            return Disposition.STOP; // came over a blocked link: a copy already went along the tree
        }
        macs.put(MacTable.key(src, vlan), in);
        if (!plan.actions().isEmpty()) {
            out.accept(OpenFlowMessages.packetOut(factory, packetIn, inPort, plan.actions()));
        }
        return Disposition.STOP;
    }

    /**
     * Takes over the flows of this app that the switch already holds (an earlier run's, or an
     * earlier connection's) and learns from them: a flow (in-port, source, destination, VLAN)
     * -> output says the source was behind the in-port and the destination behind the output.
     * A flow is kept when it is one this table would install now (the configured priority,
     * the four fields, one output to another port), its ports are on the switch and up, and
     * its MACs agree with every other kept flow; the others are returned for deletion.
     * A MAC two flows place behind different ports (a host that moved) is not learned, and
     * the flows naming it go: the next packet learns it afresh.
     *
     * <p>On the switch's event loop, before the switch is served.
     *
     * @param live whether a port is on the switch and up
     * @return the flows to delete
     */
    List<OFFlowStatsEntry> adopt(List<OFFlowStatsEntry> flows, java.util.function.Predicate<OFPort> live) {
        java.util.Map<Long, Integer> seen = new java.util.HashMap<>();
        List<AdoptedFlow> candidates = new java.util.ArrayList<>();
        List<OFFlowStatsEntry> stale = new java.util.ArrayList<>();
        for (OFFlowStatsEntry flow : flows) {
            AdoptedFlow adopted = AdoptedFlow.of(flow, priority);
            if (adopted == null || adopted.in() == adopted.out() || !live.test(OFPort.of(adopted.in()))
                    || !live.test(OFPort.of(adopted.out()))) {
                stale.add(flow);
                continue;
            }
            candidates.add(adopted);
            seen.merge(MacTable.key(adopted.src(), adopted.vlan()), adopted.in(), L2Switch::agree);
            seen.merge(MacTable.key(adopted.dst(), adopted.vlan()), adopted.out(), L2Switch::agree);
        }
        for (AdoptedFlow adopted : candidates) {
            long src = MacTable.key(adopted.src(), adopted.vlan());
            long dst = MacTable.key(adopted.dst(), adopted.vlan());
            if (seen.get(src) == MacTable.NO_PORT || seen.get(dst) == MacTable.NO_PORT) {
                stale.add(adopted.flow());
            } else {
                macs.put(src, adopted.in());
                macs.put(dst, adopted.out());
            }
        }
        return stale;
    }

    private static Integer agree(Integer a, Integer b) {
        return a.equals(b) ? a : MacTable.NO_PORT;
    }

    /** One of this app's flows read back, taken apart; null when it is not of the shape the app installs. */
    private record AdoptedFlow(OFFlowStatsEntry flow, int in, long src, long dst, int vlan, int out) {
        static AdoptedFlow of(OFFlowStatsEntry flow, int priority) {
            Match m = flow.getMatch();
            if (flow.getPriority() != priority || !m.isExact(MatchField.IN_PORT) || !m.isExact(MatchField.ETH_SRC)
                    || !m.isExact(MatchField.ETH_DST) || !m.isExact(MatchField.VLAN_VID)) {
                return null;
            }
            List<OFPort> outputs = FlowEntries.outputs(flow);
            if (outputs.size() != 1 || FlowEntries.actions(flow).size() != 1) {
                return null;
            }
            OFVlanVidMatch vid = m.get(MatchField.VLAN_VID);
            int vlan = vid.equals(OFVlanVidMatch.UNTAGGED) ? UNTAGGED : vid.getVlan();
            return new AdoptedFlow(flow, m.get(MatchField.IN_PORT).getPortNumber(), m.get(MatchField.ETH_SRC).getLong(),
                    m.get(MatchField.ETH_DST).getLong(), vlan, outputs.get(0).getPortNumber());
        }
    }

    /** Forgets the MACs of a port that went down or away. */
    int forgetPort(OFPort port) {
        return macs.removePort(port.getPortNumber());
    }

    private void forward(OFPacketIn packetIn, OFPort inPort, long src, long dst, int vlan, int outPort,
            Consumer<? super OFMessage> out) {
        List<OFAction> actions = output(outPort);
        FlowSpec spec = new FlowSpec(cookie, priority, idleTimeout, hardTimeout, match(inPort, src, dst, vlan), false);
        OFBufferId buffer = packetIn.getBufferId();
        if (OFBufferId.NO_BUFFER.equals(buffer)) {
            out.accept(OpenFlowMessages.flowAdd(factory, spec, actions, OFBufferId.NO_BUFFER));
            out.accept(OpenFlowMessages.packetOut(factory, packetIn, inPort, actions));
        } else {
            // One message: the switch applies the new flow to the packet it holds (what cbench counts).
            out.accept(OpenFlowMessages.flowAdd(factory, spec, actions, buffer));
        }
    }

    /**
     * Matches the VLAN always, untagged included: a flow learned for untagged traffic must not
     * carry tagged frames with the same MACs (or the other way round).
     */
    private Match match(OFPort inPort, long src, long dst, int vlan) {
        OFVlanVidMatch vid = vlan == UNTAGGED ? OFVlanVidMatch.UNTAGGED : OFVlanVidMatch.ofVlan(vlan);
        if (oxmMatches) {
            // openflowj's OXM match builder rebuilds its whole OXM list (an EnumMap over every
            // match field) on each setExact: four fields cost five maps, some 2 KB per flow.
            // One list made from the four OXMs costs one.
            OFOxms oxms = factory.oxms();
            return factory.matchV3(OFOxmList.of(oxms.inPort(inPort), oxms.ethSrc(MacAddress.of(src)),
                    oxms.ethDst(MacAddress.of(dst)), oxms.vlanVid(vid)));
        }
        return flowMatch
                .setExact(MatchField.IN_PORT, inPort)
                .setExact(MatchField.ETH_SRC, MacAddress.of(src))
                .setExact(MatchField.ETH_DST, MacAddress.of(dst))
                .setExact(MatchField.VLAN_VID, vid)
                .build();
    }

    private List<OFAction> output(int port) {
        if (port >= 0 && port < CACHED_OUTPUTS) {
            List<OFAction> cached = outputs[port];
            if (cached == null) {
                cached = List.of(factory.actions().output(OFPort.of(port), 0));
                outputs[port] = cached;
            }
            return cached;
        }
        return List.of(factory.actions().output(OFPort.of(port), 0));
    }
}
