package dev.switchboard.topology;

import java.util.Objects;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/** A port of a switch: where a link ends or a host is attached. */
public record SwitchPort(DatapathId dpid, OFPort port) {
    public SwitchPort {
        Objects.requireNonNull(dpid, "dpid");
        Objects.requireNonNull(port, "port");
    }

    @Override
    public String toString() {
        return dpid + "/" + port.getPortNumber();
    }
}
