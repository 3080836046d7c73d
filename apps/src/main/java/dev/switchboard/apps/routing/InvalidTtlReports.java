package dev.switchboard.apps.routing;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchListener;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Asks each switch to send the packets a flow's dec_ttl finds at TTL 1 (packet-in reason
 * INVALID_TTL), which OVS leaves out of its default asynchronous configuration: without
 * this, a traceroute through a routing flow gets no time exceeded. SET_ASYNC replaces the
 * whole configuration, so it restates OpenFlow's defaults and adds INVALID_TTL. OpenFlow 1.0
 * has no such message; there only the first packet of a route, which the controller routes
 * itself, is answered with time exceeded.
 */
final class InvalidTtlReports implements SwitchListener {
    /** Packet-in reasons as bits: NO_MATCH, ACTION, INVALID_TTL. */
    private static final long PACKET_IN_MASTER = 0b111;
    /** Port status reasons: ADD, DELETE, MODIFY. */
    private static final long PORT_STATUS = 0b111;
    /** Flow removed reasons: IDLE_TIMEOUT, HARD_TIMEOUT, DELETE, GROUP_DELETE. */
    private static final long FLOW_REMOVED_MASTER = 0b1111;
    /** From 1.4 on every packet-in reason (table miss, apply action, invalid TTL, action set, group, packet-out). */
    private static final long PACKET_IN_MASTER_14 = 0b11_1111;
    /** From 1.4 on also METER_DELETE and EVICTION. */
    private static final long FLOW_REMOVED_MASTER_14 = 0b11_1111;

    @Override
    public void switchAdded(OFSwitch sw) {
        OFFactory f = sw.factory();
        if (f.getVersion() == OFVersion.OF_13) {
            sw.write(f.buildAsyncSet()
                    .setPacketInMaskEqualMaster(PACKET_IN_MASTER)
                    .setPacketInMaskSlave(0)
                    .setPortStatusMaskEqualMaster(PORT_STATUS)
                    .setPortStatusMaskSlave(PORT_STATUS)
                    .setFlowRemovedMaskEqualMaster(FLOW_REMOVED_MASTER)
                    .setFlowRemovedMaskSlave(0)
                    .build());
        } else if (f.getVersion().compareTo(OFVersion.OF_13) > 0) {
            sw.write(f.buildAsyncSet().setProperties(List.of(
                    f.buildAsyncConfigPropPacketInMaster().setMask(PACKET_IN_MASTER_14).build(),
                    f.buildAsyncConfigPropPacketInSlave().setMask(0).build(),
                    f.buildAsyncConfigPropPortStatusMaster().setMask(PORT_STATUS).build(),
                    f.buildAsyncConfigPropPortStatusSlave().setMask(PORT_STATUS).build(),
                    f.buildAsyncConfigPropFlowRemovedMaster().setMask(FLOW_REMOVED_MASTER_14).build(),
                    f.buildAsyncConfigPropFlowRemovedSlave().setMask(0).build()))
                    .build());
        }
    }
}
