package dev.switchboard.controller;

/**
 * This controller instance's OpenFlow role for one switch.
 *
 * <ul>
 *   <li>{@link #EQUAL}: alone, not in a cluster: no role request is sent and the instance acts as
 *       the switch's master (OpenFlow's default role);
 *   <li>{@link #MASTER}: in a cluster, the cluster chose this instance and the switch accepted its
 *       MASTER request: it hands the switch's packet-ins to the apps and writes to it;
 *   <li>{@link #SLAVE}: in a cluster, another instance masters the switch (or none does yet, or this
 *       instance lost ZooKeeper): the switch is watched, never written.
 * </ul>
 */
public enum ControllerRole {
    EQUAL, MASTER, SLAVE;

    /** Whether this instance may change the switch's state (write flows, send packets). */
    public boolean writes() {
        return this != SLAVE;
    }
}
