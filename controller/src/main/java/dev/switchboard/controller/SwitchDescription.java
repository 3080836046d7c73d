package dev.switchboard.controller;

import org.projectfloodlight.openflow.protocol.OFDescStatsReply;

/** What the switch says about itself in its DESC statistics. */
public record SwitchDescription(String manufacturer, String hardware, String software, String serialNumber, String datapath) {

    public static final SwitchDescription UNKNOWN = new SwitchDescription("", "", "", "", "");

    public static SwitchDescription of(OFDescStatsReply reply) {
        return new SwitchDescription(reply.getMfrDesc(), reply.getHwDesc(), reply.getSwDesc(), reply.getSerialNum(), reply.getDpDesc());
    }

    /** Manufacturer, hardware and software, {@linkplain PeerText#escape escaped}: the switch wrote them. */
    @Override
    public String toString() {
        return PeerText.escape((manufacturer + " " + hardware + " " + software).trim());
    }
}
