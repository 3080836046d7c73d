package dev.switchboard.apps.common;

/**
 * Priority bands of the apps' flows, so that a more specific app wins over a more general one
 * whatever order they installed in. Gaps leave room for apps to come; the controller's own
 * table-miss flow is priority 0.
 */
public final class FlowPriorities {
    /** Per-switch learning: the most general delivery, overridden by every other band. */
    public static final int L2_LEARNING = 1_000;
    /** Shortest-path forwarding across switches: above plain learning. */
    public static final int FORWARDING = 2_000;
    /** The routing app: routed traffic goes before L2 delivery (transit flows here, ingress flows just above). */
    public static final int ROUTING = 3_000;

    private FlowPriorities() {
    }
}
