package dev.switchboard.lab.spec;

/**
 * A switch of a lab: an {@link OvsSwitch} or a {@link LinuxBridge}, made as the bridge
 * {@link LabNames#bridge}. Its ports come from the links that end on it.
 */
public sealed interface Switch permits OvsSwitch, LinuxBridge {

    /** Unique among the lab's hosts and switches; see {@link LabNames#checkNodeName}. */
    String name();

    /** What it is made of. */
    SwitchKind kind();

    /** Whether it runs the spanning tree protocol. */
    boolean stp();

    /**
     * Whether, as specified, it floods and learns on its own with no controller and no
     * STP: a loop of such switches is a broadcast storm ({@link LabSpec#warnings()}).
     */
    boolean floodsWithoutLoopProtection();
}
