package dev.switchboard.server;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Whether the topology app has taken up a lab's switches, so a host's first broadcast (its
 * first ARP) gets through. A switch the apps serve is not there yet: discovery keeps its new
 * ports out of floods (quarantine) until it had time to probe them for loops, and drops the
 * broadcasts that arrive at them meanwhile. Ready means: every switch is in the topology, each
 * of its ports that is up is out of quarantine and floods (or is a link's end the spanning tree
 * leaves out), and the links the lab wires between its switches were found.
 */
final class DiscoveryReadiness {
    private DiscoveryReadiness() {
    }

    /**
     * What {@code switches} still wait for under {@code topology}; empty when they are ready.
     *
     * @param switchCables how many cables the lab wires between these switches (two links each)
     */
    static Optional<String> waitingFor(Topology topology, Collection<? extends OFSwitch> switches, long switchCables) {
        Set<DatapathId> ids = new HashSet<>();
        List<String> waiting = new ArrayList<>();
        for (OFSwitch sw : switches) {
            ids.add(sw.id());
            if (!topology.switches().contains(sw.id())) {
                waiting.add("switch " + sw.id() + " in the topology");
                continue;
            }
            Set<OFPort> flood = topology.floodPorts(sw.id());
            for (OFPortDesc port : sw.ports().values()) {
                SwitchPort at = new SwitchPort(sw.id(), port.getPortNo());
                boolean floods = flood.contains(at.port()) || topology.isInterSwitchPort(at);
                if (isUp(port) && (topology.isQuarantined(at) || !floods)) {
                    waiting.add("port " + at.port() + " of " + sw.id() + " out of quarantine");
                }
            }
        }
        long links = topology.links().stream()
                .filter(link -> ids.contains(link.src().dpid()) && ids.contains(link.dst().dpid())).count();
        if (links < 2 * switchCables) {
            waiting.add(switchCables * 2 + " links between the switches (" + links + " found)");
        }
        return waiting.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", waiting));
    }

    /** A port discovery enables: a numbered one (not LOCAL), administratively up, with a link. */
    private static boolean isUp(OFPortDesc port) {
        OFPort number = port.getPortNo();
        return !number.equals(OFPort.LOCAL)
                && Integer.compareUnsigned(number.getPortNumber(), OFPort.MAX.getPortNumber()) <= 0
                && !port.getConfig().contains(OFPortConfig.PORT_DOWN)
                && !port.getState().contains(OFPortState.LINK_DOWN);
    }
}
