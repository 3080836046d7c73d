package dev.switchboard.hostnet;

import java.util.Objects;

/**
 * A request needs a kernel feature this kernel does not have (and cannot load). Thrown before anything is changed.
 */
public class KernelFeatureMissingException extends HostNetworkException {

    private final KernelFeature feature;

    public KernelFeatureMissingException(KernelFeature feature, String message) {
        super(message);
        this.feature = Objects.requireNonNull(feature, "feature");
    }

    /** The missing feature. */
    public KernelFeature feature() {
        return feature;
    }
}
