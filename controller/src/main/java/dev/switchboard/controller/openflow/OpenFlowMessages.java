package dev.switchboard.controller.openflow;

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
 * The messages apps send, built the same way on every OpenFlow version the controller offers.
 * The versions differ in a few places, and openflowj throws rather than adapt:
 * <ul>
 *   <li>1.0 carries a flow's actions directly; 1.1 and later wrap them in an apply-actions
 *       instruction;</li>
 *   <li>a packet-in's in-port is a field up to 1.1 and an entry of its match from 1.2 on
 *       ({@code getMatch()} throws on 1.0/1.1, {@code getInPort()} on 1.2+);</li>
 *   <li>a packet-out's in-port is a field up to 1.4 and a match entry in 1.5
 *       ({@code setInPort} throws on 1.5).</li>
 * </ul>
 * Everything here is static, allocates only the message it returns, and may be called from
 * any thread, packet-in processors included.
 */
public final class OpenFlowMessages {
    private static final U64 ALL_BITS = U64.of(-1L);

    private OpenFlowMessages() {
    }

    /**
     * The port a packet-in arrived on, whatever the version; null when a 1.2+ switch left it
     * out of the match (OVS never does).
     */
    public static OFPort inPort(OFPacketIn packetIn) {
        return packetIn.getVersion().compareTo(OFVersion.OF_12) < 0
                ? packetIn.getInPort()
                : packetIn.getMatch().get(MatchField.IN_PORT);
    }

    /** The in-port a packet-out names, whatever the version: a field up to 1.4, a match entry in 1.5. */
    public static OFPort inPort(OFPacketOut packetOut) {
        return packetOut.getVersion().compareTo(OFVersion.OF_15) < 0
                ? packetOut.getInPort()
                : packetOut.getMatch().get(MatchField.IN_PORT);
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
            return f.buildFlowDeleteStrict()
                    .setMatch(match)
                    .setPriority(priority)
                    .setOutPort(OFPort.ANY)
                    .build();
        }
        OFFlowDelete.Builder b = f.buildFlowDelete()
                .setCookie(cookie)
                .setCookieMask(ALL_BITS)
                .setTableId(TableId.ALL)
                .setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY);
        return b.build();
    }

    /** A match on the in-port alone. */
    public static Match inPortMatch(OFFactory f, OFPort inPort) {
        return f.buildMatch().setExact(MatchField.IN_PORT, inPort).build();
    }

    /**
     * Sends the packet of {@code packetIn} out through {@code actions}, as if it had come in at
     * {@code inPort}: by its buffer id when the switch holds it, else by the data the
     * packet-in carried.
     */
    public static OFPacketOut packetOut(OFFactory f, OFPacketIn packetIn, OFPort inPort, List<OFAction> actions) {
        OFBufferId buffer = packetIn.getBufferId();
        OFPacketOut.Builder b = f.buildPacketOut()
                .setBufferId(buffer)
                .setActions(actions);
        setInPort(f, b, inPort);
        if (OFBufferId.NO_BUFFER.equals(buffer)) {
            b.setData(packetIn.getData());
        }
        return b.build();
    }

    /**
     * Sends a frame the controller made (a probe, an ARP reply) out through {@code actions},
     * as if it had come in at {@code inPort} ({@link OFPort#CONTROLLER} for most).
     */
    public static OFPacketOut packetOut(OFFactory f, byte[] frame, OFPort inPort, List<OFAction> actions) {
        OFPacketOut.Builder b = f.buildPacketOut()
                .setBufferId(OFBufferId.NO_BUFFER)
                .setActions(actions)
                .setData(frame);
        setInPort(f, b, inPort);
        return b.build();
    }

    private static void setInPort(OFFactory f, OFPacketOut.Builder b, OFPort inPort) {
        if (f.getVersion().compareTo(OFVersion.OF_15) >= 0) {
            b.setMatch(inPortMatch(f, inPort));
        } else {
            b.setInPort(inPort);
        }
    }

    /** One output action per port, in the order given. */
    public static List<OFAction> outputs(OFFactory f, List<OFPort> ports) {
        OFAction[] actions = new OFAction[ports.size()];
        for (int i = 0; i < actions.length; i++) {
            actions[i] = f.actions().output(ports.get(i), 0);
        }
        return List.of(actions);
    }

    /**
     * What a flow-add says besides its actions.
     *
     * @param notifyWhenRemoved asks the switch for a FLOW_REMOVED when the flow goes
     */
    public record FlowSpec(U64 cookie, int priority, int idleTimeoutSeconds, int hardTimeoutSeconds,
            Match match, boolean notifyWhenRemoved) {
    }
}
