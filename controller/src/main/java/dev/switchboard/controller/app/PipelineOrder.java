package dev.switchboard.controller.app;

/**
 * Named bands of the packet-in pipeline, lower first: discovery consumes its probes before
 * anyone else sees them, the host tracker sees every other packet, then routing takes what
 * is addressed to a gateway, then forwarding or L2 learning deliver the rest.
 */
public final class PipelineOrder {
    public static final int TOPOLOGY = 100;
    public static final int HOSTS = 200;
    public static final int ROUTING = 300;
    public static final int FORWARDING = 400;
    public static final int L2_LEARNING = 500;
    /** Where an app that declares nothing goes: after the built-in apps. */
    public static final int DEFAULT = 1000;

    private PipelineOrder() {
    }
}
