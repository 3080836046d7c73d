package dev.switchboard.server;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.SwitchboardApp;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
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

    @Override
    public String name() {
        return "normal";
    }

    @Override
    public String description() {
        return "every switch forwards with OVS's own NORMAL pipeline (no controller logic)";
    }

    @Override
    public void start(AppContext context) {
        U64 cookie = context.flows().cookie();
        context.switches().addSwitchListener(new SwitchListener() {
            @Override
            public void switchAdded(OFSwitch sw) {
                sw.write(normalFlow(sw.factory(), cookie));
            }
        });
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
