package dev.switchboard.server;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.FlowEntries;
import dev.switchboard.controller.app.FlowPlan;
import dev.switchboard.controller.app.SwitchboardApp;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * The smallest forwarding there is: every switch that connects gets one flow handing all
 * packets to OVS's own NORMAL (learning switch) pipeline. It lets a lab behind Switchboard
 * pass traffic with no controller logic at all; enabled with {@code --apps normal}.
 */
public final class NormalForwarding implements SwitchboardApp {
    static final int PRIORITY = 1;

    /** The flow-cookie number of the app's flows; fixed so running switches' flows stay its own. */
    public static final int COOKIE_NUMBER = 0x01;

    @Override
    public String name() {
        return "normal";
    }

    @Override
    public int cookieNumber() {
        return COOKIE_NUMBER;
    }

    @Override
    public String description() {
        return "every switch forwards with OVS's own NORMAL pipeline (no controller logic)";
    }

    private volatile U64 cookie;

    @Override
    public void start(AppContext context) {
        cookie = context.flows().cookie();
    }

    /**
     * The one flow is all there is to reconcile, on every connection of a switch: kept when
     * the switch still has it (traffic through NORMAL never stops across a controller restart),
     * added when it does not; any other flow with this app's cookie is deleted.
     */
    @Override
    public FlowPlan reconcile(OFSwitch sw, List<OFFlowStatsEntry> flows) {
        FlowPlan plan = FlowPlan.sort(flows, NormalForwarding::isNormalFlow);
        return plan.keep().isEmpty() ? plan.adding(List.of(normalFlow(sw.factory(), cookie))) : plan;
    }

    static boolean isNormalFlow(OFFlowStatsEntry flow) {
        return flow.getPriority() == PRIORITY && !flow.getMatch().getMatchFields().iterator().hasNext()
                && FlowEntries.outputs(flow).equals(List.of(OFPort.NORMAL)) && FlowEntries.actions(flow).size() == 1;
    }

    static OFFlowAdd normalFlow(OFFactory f, U64 cookie) {
        List<OFAction> normal = List.of(f.actions().output(OFPort.NORMAL, 0xffff));
        OFFlowAdd.Builder flow = f.buildFlowAdd().setCookie(cookie).setPriority(PRIORITY).setMatch(f.buildMatch().build());
        if (f.getVersion() == OFVersion.OF_10) {
            flow.setActions(normal);
        } else {
            flow.setInstructions(List.of(f.instructions().applyActions(normal)));
        }
        return flow.build();
    }
}
