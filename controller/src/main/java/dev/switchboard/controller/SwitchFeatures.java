package dev.switchboard.controller;

import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFCapabilities;

/** The parts of FEATURES_REPLY an app may care about. */
public record SwitchFeatures(long buffers, short tables, Set<OFCapabilities> capabilities) {

    public SwitchFeatures {
        capabilities = Set.copyOf(capabilities);
    }
}
