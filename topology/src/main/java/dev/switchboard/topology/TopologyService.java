package dev.switchboard.topology;

import dev.switchboard.controller.Registration;

/** Published by the {@code topology} app; apps that use it list it in consumes(). */
public interface TopologyService {

    /** The newest snapshot; one volatile read. */
    Topology current();

    Registration addListener(TopologyListener listener);
}
