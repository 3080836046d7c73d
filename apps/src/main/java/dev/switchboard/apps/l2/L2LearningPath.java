package dev.switchboard.apps.l2;

import dev.switchboard.controller.Disposition;
import dev.switchboard.topology.Topology;
import java.util.function.Consumer;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.U64;

/**
 * One switch's L2 learning path with no network, the public hook for the in-process JMH
 * benchmark (bench module): a thin front of the package-private {@link L2Switch}, so the
 * benchmark needs no class in this package. Adds nothing to the path it measures.
 *
 * <p>Not thread-safe: one per benchmark thread, as one {@link L2Switch} serves one event loop.
 */
public final class L2LearningPath {
    private final L2Switch l2;

    public L2LearningPath(DatapathId dpid, OFFactory factory, U64 cookie, int priority, int idleTimeoutSeconds,
            int hardTimeoutSeconds, int maxMacs) {
        this.l2 = new L2Switch(dpid, factory, cookie, priority, idleTimeoutSeconds, hardTimeoutSeconds, maxMacs);
    }

    /** Teaches the table that {@code mac} on {@code vlan} is behind {@code port}, as a packet-in from it would. */
    public void learn(long mac, int vlan, int port) {
        l2.macs().put(MacTable.key(mac, vlan), port);
    }

    /** The packet path: the messages answering {@code packetIn} go to {@code out}. */
    public Disposition handle(OFPacketIn packetIn, Topology topology, Consumer<? super OFMessage> out) {
        return l2.handle(packetIn, topology, out);
    }
}
