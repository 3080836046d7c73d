package dev.switchboard.apps.common;

import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * The few places where OpenFlow versions differ for the apps: 1.0 carries a flow's actions
 * directly and the packet-in's in-port as a field; 1.1 and later wrap actions in an
 * apply-actions instruction and (1.2+) put the in-port in the packet-in's match; 1.5 puts
 * a packet-out's in-port in a match too.
 */
public final class OpenFlowMessages {
    private static final U64 ALL_BITS = U64.of(-1L);

    private OpenFlowMessages() {
    }

    /** The port a packet-in arrived on, whatever the version. */
    public static OFPort inPort(OFPacketIn packetIn) {
        return switch (packetIn.getVersion()) {
            case OF_10, OF_11 -> packetIn.getInPort();
            default -> packetIn.getMatch().get(MatchField.IN_PORT);
        };
    }

    /** A flow that applies {@code actions}; {@code bufferId} releases a buffered packet through it. */
    public static OFFlowAdd flowAdd(OFFactory f, FlowSpec spec, List<OFAction> actions, OFBufferId bufferId) {
        OFFlowAdd.Builder b = f.buildFlowAdd()
                .setCookie(spec.cookie())
                .setPriority(spec.priority())
                .setIdleTimeout(spec.idleTimeoutSeconds())
                .setHardTimeout(spec.hardTimeoutSeconds())
                .setMatch(spec.match())
                .setBufferId(bufferId);
        if (spec.notifyWhenRemoved()) {
            b.setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM));
        }
        if (f.getVersion() == OFVersion.OF_10) {
            b.setActions(actions);
        } else {
            b.setInstructions(List.of(f.instructions().applyActions(actions)));
        }
        return b.build();
    }

    /**
     * Deletes exactly the flows of one cookie: by cookie and a full mask from 1.1 on, and
     * strictly by match and priority in 1.0, which has no cookie mask.
     */
    public static OFMessage flowDelete(OFFactory f, U64 cookie, Match match, int priority) {
        if (f.getVersion() == OFVersion.OF_10) {
            OFFlowDeleteStrict.Builder b = f.buildFlowDeleteStrict()
                    .setMatch(match)
                    .setPriority(priority)
                    .setOutPort(OFPort.ANY);
            return b.build();
        }
        OFFlowDelete.Builder b = f.buildFlowDelete()
                .setCookie(cookie)
                .setCookieMask(ALL_BITS)
                .setTableId(TableId.ALL)
                .setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY);
        return b.build();
    }

    /**
     * Sends a packet the switch holds (buffer id) or that the packet-in carried (data) out
     * through {@code actions}, as if it had come in at {@code inPort}.
     */
    public static OFPacketOut packetOut(OFFactory f, OFPacketIn packetIn, OFPort inPort, List<OFAction> actions) {
        OFBufferId buffer = packetIn.getBufferId();
        OFPacketOut.Builder b = f.buildPacketOut()
                .setBufferId(buffer)
                .setActions(actions);
        if (f.getVersion().compareTo(OFVersion.OF_15) >= 0) {
            b.setMatch(f.buildMatch().setExact(MatchField.IN_PORT, inPort).build());
        } else {
            b.setInPort(inPort);
        }
        if (OFBufferId.NO_BUFFER.equals(buffer)) {
            b.setData(packetIn.getData());
        }
        return b.build();
    }

    /** One output action per port, in the order given. */
    public static List<OFAction> outputs(OFFactory f, List<OFPort> ports) {
        OFAction[] actions = new OFAction[ports.size()];
        for (int i = 0; i < actions.length; i++) {
            actions[i] = f.actions().output(ports.get(i), 0);
        }
        return List.of(actions);
    }

    /** What a flow-add says besides its actions. */
    public record FlowSpec(U64 cookie, int priority, int idleTimeoutSeconds, int hardTimeoutSeconds,
            Match match, boolean notifyWhenRemoved) {
    }
}
