package dev.switchboard.emulator;

import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * A small model of a switch's flow table: FLOW_MOD add, delete and delete-strict change it,
 * flow stats read it back (with the request's table, out-port and, from 1.1 on, cookie and
 * mask). One table may outlive a connection ({@link EmulatedSwitch#withFlowTable}), as OVS in
 * fail-secure mode keeps its flows while the controller is away. Timeouts do not run and
 * counters stay zero. Thread-safe (one monitor).
 *
 * <p>Matching for non-strict deletes and stats: every field the request matches must be matched
 * the same way by the flow (a wildcard-all request selects every flow).
 */
public final class FlowTable {
    /** A flow as installed: the flow-mod that made it, and its table. */
    public record Flow(TableId table, int priority, Match match, U64 cookie, OFFlowMod mod) {
    }

    private final List<Flow> flows = new ArrayList<>();

    /** The flows installed, in order of installation (a snapshot). */
    public synchronized List<Flow> flows() {
        return List.copyOf(flows);
    }

    /** Applies a FLOW_MOD (ADD, DELETE, DELETE_STRICT; modifications are ignored). */
    public synchronized void apply(OFFlowMod mod) {
        TableId table = mod.getVersion() == OFVersion.OF_10 ? TableId.ZERO : mod.getTableId();
        if (mod instanceof OFFlowAdd) {
            flows.removeIf(f -> f.table().equals(table) && f.priority() == mod.getPriority() && f.match().equals(mod.getMatch()));
            flows.add(new Flow(table, mod.getPriority(), mod.getMatch(), mod.getCookie(), mod));
        } else if (mod instanceof OFFlowDeleteStrict) {
            flows.removeIf(f -> selects(mod, table, f) && f.priority() == mod.getPriority() && f.match().equals(mod.getMatch()));
        } else if (mod instanceof OFFlowDelete) {
            flows.removeIf(f -> selects(mod, table, f) && covers(mod.getMatch(), f.match()));
        }
    }

    /** The entries a flow stats request selects. */
    public synchronized List<OFFlowStatsEntry> stats(OFFactory f, OFFlowStatsRequest request) {
        List<OFFlowStatsEntry> entries = new ArrayList<>();
        for (Flow flow : flows) {
            if (!tableSelects(request.getTableId(), flow.table()) || !outPortSelects(request.getOutPort(), flow.mod())
                    || !covers(request.getMatch(), flow.match())) {
                continue;
            }
            if (f.getVersion() != OFVersion.OF_10 && !cookieSelects(request.getCookie(), request.getCookieMask(), flow.cookie())) {
                continue;
            }
            OFFlowStatsEntry.Builder b = f.buildFlowStatsEntry()
                    .setMatch(flow.match())
                    .setPriority(flow.priority())
                    .setCookie(flow.cookie())
                    .setIdleTimeout(flow.mod().getIdleTimeout())
                    .setHardTimeout(flow.mod().getHardTimeout());
            if (f.getVersion() == OFVersion.OF_10) {
                b.setActions(flow.mod().getActions());
            } else if (f.getVersion().compareTo(OFVersion.OF_15) >= 0) {
                // 1.5 moved duration and counters into OXS stats; none are kept here
                b.setTableId(flow.table()).setInstructions(flow.mod().getInstructions())
                        .setStats(f.statV6(org.projectfloodlight.openflow.protocol.OFOxsList.EMPTY));
            } else {
                b.setTableId(flow.table()).setInstructions(flow.mod().getInstructions());
            }
            entries.add(b.build());
        }
        return entries;
    }

    private static boolean selects(OFFlowMod mod, TableId table, Flow flow) {
        if (mod.getVersion() != OFVersion.OF_10) {
            if (!tableSelects(table, flow.table()) || !cookieSelects(mod.getCookie(), mod.getCookieMask(), flow.cookie())) {
                return false;
            }
        }
        return outPortSelects(mod.getOutPort(), flow.mod());
    }

    private static boolean tableSelects(TableId wanted, TableId table) {
        return wanted == null || wanted.equals(TableId.ALL) || wanted.equals(table);
    }

    private static boolean cookieSelects(U64 cookie, U64 mask, U64 flowCookie) {
        long m = mask == null ? 0 : mask.getValue();
        return ((flowCookie.getValue() ^ cookie.getValue()) & m) == 0;
    }

    private static boolean outPortSelects(OFPort wanted, OFFlowMod flow) {
        if (wanted == null || wanted.equals(OFPort.ANY) || wanted.equals(OFPort.ZERO)) {
            return true;
        }
        for (OFAction action : actions(flow)) {
            if (action instanceof OFActionOutput out && out.getPort().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static List<OFAction> actions(OFFlowMod mod) {
        if (mod.getVersion() == OFVersion.OF_10) {
            return mod.getActions();
        }
        List<OFAction> actions = new ArrayList<>();
        for (OFInstruction i : mod.getInstructions()) {
            if (i instanceof OFInstructionApplyActions apply) {
                actions.addAll(apply.getActions());
            }
        }
        return actions;
    }

    /** Whether every field {@code request} matches, {@code flow} matches the same way. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean covers(Match request, Match flow) {
        for (MatchField field : request.getMatchFields()) {
            if (request.isExact(field)) {
                if (!flow.isExact(field) || !flow.get(field).equals(request.get(field))) {
                    return false;
                }
            } else if (!request.isFullyWildcarded(field) && !java.util.Objects.equals(request.getMasked(field), flow.getMasked(field))) {
                return false;
            }
        }
        return true;
    }
}
