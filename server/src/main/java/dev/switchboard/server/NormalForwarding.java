package dev.switchboard.server;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchListener;
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
 * pass traffic before the real apps (L2 learning, shortest-path forwarding) exist; enabled
 * with {@code --apps normal}.
 */
final class NormalForwarding implements SwitchListener {
    /** "SB" then app 0x01: names this app's flows in {@code ovs-ofctl dump-flows}. */
    static final U64 COOKIE = U64.of(0x5342_0100_0000_0000L);
    static final int PRIORITY = 1;

    @Override
    public void switchAdded(OFSwitch sw) {
        sw.write(normalFlow(sw.factory()));
    }

    static OFFlowAdd normalFlow(OFFactory f) {
        List<OFAction> normal = List.of(f.actions().output(OFPort.NORMAL, 0xffff));
        OFFlowAdd.Builder flow = f.buildFlowAdd().setCookie(COOKIE).setPriority(PRIORITY).setMatch(f.buildMatch().build());
        if (f.getVersion() == OFVersion.OF_10) {
            flow.setActions(normal);
        } else {
            flow.setInstructions(List.of(f.instructions().applyActions(normal)));
        }
        return flow.build();
    }
}
