package dev.switchboard.apps.common;

import dev.switchboard.controller.openflow.OpenFlowMessages;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * How one switch floods a broadcast or unknown-destination packet along the spanning tree:
 * out of {@link Topology#floodPorts} minus the port it came in at, and not at all when it came
 * in over a port that does not {@linkplain Topology#acceptsBroadcast accept broadcasts} (that
 * is what keeps a ring from storming).
 *
 * <p>Explicit output actions are used rather than {@code OFPP_FLOOD}: FLOOD would also reach
 * the blocked and quarantined ports and {@code LOCAL}, which floodPorts leaves out.
 *
 * <p>Plans are cached per in-port for one topology snapshot, so the packet path allocates
 * nothing for them after the first packet of each port. Not thread-safe: one instance per
 * switch, used on that switch's event loop only.
 */
public final class FloodPlanner {
    /** A switch has far fewer ports in practice; the cap keeps a confused peer from growing the cache. */
    private static final int MAX_CACHED_PORTS = 4096;

    private final DatapathId dpid;
    private final OFFactory factory;
    private final Map<OFPort, FloodPlan> byInPort = new HashMap<>();
    private Topology cachedFor;

    public FloodPlanner(DatapathId dpid, OFFactory factory) {
        this.dpid = dpid;
        this.factory = factory;
    }

    /** The plan for a packet that came in at {@code inPort}, under {@code topology}. */
    public FloodPlan plan(Topology topology, OFPort inPort) {
        if (topology != cachedFor) {
            byInPort.clear();
            cachedFor = topology;
        }
        FloodPlan plan = byInPort.get(inPort);
        if (plan == null) {
            plan = compute(topology, inPort);
            if (byInPort.size() >= MAX_CACHED_PORTS) {
                byInPort.clear();
            }
            byInPort.put(inPort, plan);
        }
        return plan;
    }

    private FloodPlan compute(Topology topology, OFPort inPort) {
        if (!topology.acceptsBroadcast(new SwitchPort(dpid, inPort))) {
            return FloodPlan.REFUSED;
        }
        List<OFPort> ports = new ArrayList<>(topology.floodPorts(dpid));
        ports.remove(inPort);
        ports.remove(OFPort.LOCAL);
        // Sorted so the same snapshot always yields the same message (tests and flow dumps read better).
        ports.sort((a, b) -> Integer.compareUnsigned(a.getPortNumber(), b.getPortNumber()));
        return new FloodPlan(true, OpenFlowMessages.outputs(factory, ports));
    }

    /**
     * @param accepted false when the packet came in over a blocked port: drop it, learn nothing
     * @param actions  the output actions of the flood; empty when there is nowhere to send it
     */
    public record FloodPlan(boolean accepted, List<OFAction> actions) {
        static final FloodPlan REFUSED = new FloodPlan(false, List.of());

        public FloodPlan {
            actions = List.copyOf(actions);
        }
    }
}
