package dev.switchboard.controller.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteActions;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Reading flows back (flow stats entries) the same way on every OpenFlow version: 1.0 carries
 * actions directly, 1.1 and later inside apply- or write-actions instructions.
 */
public final class FlowEntries {
    private FlowEntries() {
    }

    /** The flow's actions, whatever the version (apply-actions then write-actions from 1.1 on). */
    public static List<OFAction> actions(OFFlowStatsEntry flow) {
        if (flow.getVersion() == OFVersion.OF_10) {
            return flow.getActions();
        }
        List<OFAction> actions = new ArrayList<>();
        for (OFInstruction instruction : flow.getInstructions()) {
            if (instruction instanceof OFInstructionApplyActions apply) {
                actions.addAll(apply.getActions());
            } else if (instruction instanceof OFInstructionWriteActions write) {
                actions.addAll(write.getActions());
            }
        }
        return actions;
    }

    /** The ports the flow outputs to, reserved ones (CONTROLLER, NORMAL, FLOOD…) included. */
    public static List<OFPort> outputs(OFFlowStatsEntry flow) {
        List<OFPort> ports = new ArrayList<>(1);
        for (OFAction action : actions(flow)) {
            if (action instanceof OFActionOutput output) {
                ports.add(output.getPort());
            }
        }
        return ports;
    }

    /** The in-port the flow matches exactly, or null. */
    public static OFPort inPort(OFFlowStatsEntry flow) {
        return flow.getMatch().isExact(MatchField.IN_PORT) ? flow.getMatch().get(MatchField.IN_PORT) : null;
    }

    /**
     * Whether every physical port the flow names (its in-port and its outputs) is still on the
     * switch and up. Reserved ports always count as there. The default reconciliation keeps
     * exactly these flows: one that names a port that went or went down can only drop traffic.
     */
    public static boolean portsLive(Map<OFPort, OFPortDesc> ports, OFFlowStatsEntry flow) {
        OFPort in = inPort(flow);
        if (in != null && !isLive(ports, in)) {
            return false;
        }
        for (OFPort out : outputs(flow)) {
            if (!isLive(ports, out)) {
                return false;
            }
        }
        return true;
    }

    /** A reserved port (above {@code OFPort.MAX}, LOCAL included) or a port present and up. */
    public static boolean isLive(Map<OFPort, OFPortDesc> ports, OFPort port) {
        if (Integer.compareUnsigned(port.getPortNumber(), OFPort.MAX.getPortNumber()) > 0) {
            return true;
        }
        OFPortDesc desc = ports.get(port);
        return desc != null && !desc.getConfig().contains(OFPortConfig.PORT_DOWN)
                && !desc.getState().contains(OFPortState.LINK_DOWN);
    }
}
