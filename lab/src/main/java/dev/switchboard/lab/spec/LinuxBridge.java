package dev.switchboard.lab.spec;

/**
 * A Linux bridge. In YAML: {@code br0: {kind: linux-bridge, stp: false}}.
 *
 * @param name the switch name
 * @param stp  whether the bridge runs STP (default false)
 */
public record LinuxBridge(String name, boolean stp) implements Switch {

    public LinuxBridge {
        LabNames.checkNodeName(name);
    }

    /** A Linux bridge without STP. */
    public static LinuxBridge named(String name) {
        return new LinuxBridge(name, false);
    }

    public LinuxBridge withStp(boolean newStp) {
        return new LinuxBridge(name, newStp);
    }

    @Override
    public SwitchKind kind() {
        return SwitchKind.LINUX_BRIDGE;
    }

    @Override
    public boolean floodsWithoutLoopProtection() {
        return !stp;
    }
}
