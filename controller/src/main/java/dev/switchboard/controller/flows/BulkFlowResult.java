package dev.switchboard.controller.flows;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a bulk install did.
 *
 * @param method      how the flows travelled
 * @param requested   flows given
 * @param installed   flows the switch accepted and kept: with a bundle, all or none
 * @param failures    the flows the switch refused, by input index, in index order
 * @param bundleError with a bundle that was not committed, why (the commit's error, or that an
 *                    added message was refused and the bundle discarded); empty otherwise
 * @param elapsed     from the first message sent to the last answer
 * @param committing  with a bundle that was committed (or refused at commit), from the COMMIT sent to
 *                    its answer: the switch's share of {@code elapsed} after the flows arrived
 */
public record BulkFlowResult(
        Method method, int requested, int installed, List<FlowFailure> failures,
        Optional<String> bundleError, Duration elapsed, Optional<Duration> committing) {

    public enum Method {
        /** OpenFlow 1.4+: one atomic, ordered bundle; if one flow fails, none is installed. */
        BUNDLE,
        /** OpenFlow 1.0–1.3: batches of flow-mods, each fenced by a BARRIER; a failed flow leaves the others. */
        BARRIER_BATCHES
    }

    public BulkFlowResult {
        Objects.requireNonNull(method, "method");
        failures = List.copyOf(failures);
        Objects.requireNonNull(bundleError, "bundleError");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(committing, "committing");
    }

    public boolean succeeded() {
        return failures.isEmpty() && bundleError.isEmpty();
    }

    /** Whether a bundle was rolled back (or never committed), so none of its flows is installed. */
    public boolean rolledBack() {
        return method == Method.BUNDLE && installed == 0 && requested > 0;
    }
}
