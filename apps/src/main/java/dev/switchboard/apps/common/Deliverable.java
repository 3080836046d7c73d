package dev.switchboard.apps.common;

import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.packet.EthernetFrames;

/**
 * The frames forwarding and learning deliver, told from the ones they must not: a frame that
 * is not Ethernet is left to later apps, a discovery probe is topology's and never flooded, a
 * group source is not a host.
 */
public final class Deliverable {

    private Deliverable() {
    }

    /** Null when the frame is one to deliver; otherwise what the pipeline should be told. */
    public static Disposition refusal(byte[] frame) {
        if (!EthernetFrames.isEthernet(frame)) {
            return Disposition.CONTINUE;
        }
        int type = EthernetFrames.etherType(frame);
        if (type == EthernetFrames.TYPE_LLDP || type == EthernetFrames.TYPE_BDDP
                || EthernetFrames.isGroupAddress(EthernetFrames.source(frame))) {
            return Disposition.STOP;
        }
        return null;
    }
}
