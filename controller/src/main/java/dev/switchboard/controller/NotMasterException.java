package dev.switchboard.controller;

import org.projectfloodlight.openflow.types.DatapathId;

/**
 * A write that changes a switch's state (FLOW_MOD, PACKET_OUT, GROUP_MOD, METER_MOD, PORT_MOD,
 * TABLE_MOD, bundles) was refused because this instance is not the switch's master in its
 * cluster: another instance writes to it. Nothing of the refused messages was sent.
 */
public final class NotMasterException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient DatapathId datapath;

    public NotMasterException(DatapathId datapath, String what) {
        super("switch " + datapath + ": this controller instance is not its master, " + what + " refused");
        this.datapath = datapath;
    }

    public DatapathId datapath() {
        return datapath;
    }
}
