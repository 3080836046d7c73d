package dev.switchboard.topology;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * One immutable snapshot of the network as discovered: switches, links between them, shortest
 * paths and the broadcast tree. Safe to read from any thread without locks; a new snapshot
 * replaces it (and {@link #version()} grows) whenever a switch or link comes or goes.
 */
public interface Topology {

    /** Grows by at least one with every change; 0 for the empty topology at start. */
    long version();

    Set<DatapathId> switches();

    /** Every one-way link; a cable is two. */
    Set<Link> links();

    /** The links that start at {@code dpid}. */
    Set<Link> linksFrom(DatapathId dpid);

    /** True when a link starts or ends at this port: no host is ever attached there. */
    boolean isInterSwitchPort(SwitchPort port);

    /**
     * As {@link #isInterSwitchPort(SwitchPort)}; snapshots answer without allocating, for the
     * packet path.
     */
    default boolean isInterSwitchPort(DatapathId dpid, OFPort port) {
        return isInterSwitchPort(new SwitchPort(dpid, port));
    }

    /**
     * The shortest path (fewest hops; ties broken the same way every time for one snapshot)
     * as the links to follow from {@code from} to {@code to}: empty list when they are the
     * same switch, empty optional when {@code to} cannot be reached.
     */
    Optional<List<Link>> path(DatapathId from, DatapathId to);

    /**
     * The ports of {@code dpid} a broadcast or unknown-destination packet may go out of so it
     * reaches everything exactly once: every enabled edge port that is not quarantined (a
     * new port is quarantined until discovery had time to probe it), and the inter-switch
     * ports that are on the spanning tree. Never OFPP_LOCAL. The caller drops the in-port.
     */
    Set<OFPort> floodPorts(DatapathId dpid);

    /**
     * True when a broadcast that came in at {@code port} may be flooded: the port is an edge
     * port or on the spanning tree, and not quarantined. Broadcasts that arrive over a blocked
     * link are dropped, which is what keeps loops from storming. False for unknown switches.
     */
    boolean acceptsBroadcast(SwitchPort port);

    /**
     * True while {@code port} is quarantined: it appeared or came up (its switch may just have
     * connected) too recently for discovery to have probed it, so broadcasts neither leave nor
     * enter by it. A broadcast a host sends then, such as its first ARP, is dropped: that is the
     * price of finding a loop before a broadcast can go round it. Who starts traffic right
     * after a switch connects waits until none of its ports is quarantined. A topology that
     * quarantines nothing answers false.
     */
    default boolean isQuarantined(SwitchPort port) {
        return false;
    }
}
