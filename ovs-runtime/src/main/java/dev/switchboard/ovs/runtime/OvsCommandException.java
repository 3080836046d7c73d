package dev.switchboard.ovs.runtime;

import dev.switchboard.hostnet.ExecResult;
import java.util.List;

/** An Open vSwitch tool ({@code ovs-vsctl}, {@code ovs-ofctl}, a daemon …) failed. */
public final class OvsCommandException extends CommandException {

    private static final long serialVersionUID = 1L;

    public OvsCommandException(List<String> command, ExecResult result) {
        super(command, result);
    }

    /** Re-throws a failure to start or finish an OVS tool as an OVS failure. */
    public OvsCommandException(CommandException cause) {
        super(cause.command(), cause.result().orElse(null), cause.getMessage(), cause);
    }
}
