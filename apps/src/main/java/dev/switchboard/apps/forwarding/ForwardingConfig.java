package dev.switchboard.apps.forwarding;

import dev.switchboard.apps.common.FlowPriorities;
import dev.switchboard.apps.common.FlowTimeouts;
import java.time.Duration;

/**
 * The {@code apps.forwarding} section.
 *
 * @param idleTimeout a route's flows go when unused this long (default 30s); the route is forgotten then
 * @param hardTimeout and in any case after this long (default 0: never)
 * @param priority    of the route flows (default {@link FlowPriorities#FORWARDING})
 */
public record ForwardingConfig(Duration idleTimeout, Duration hardTimeout, Integer priority) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HARD_TIMEOUT = Duration.ZERO;

    public ForwardingConfig {
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        hardTimeout = hardTimeout == null ? DEFAULT_HARD_TIMEOUT : hardTimeout;
        priority = priority == null ? FlowPriorities.FORWARDING : priority;
        FlowTimeouts.seconds("idleTimeout", idleTimeout);
        FlowTimeouts.seconds("hardTimeout", hardTimeout);
        if (priority < 0 || priority > 0xFFFF) {
            throw new IllegalArgumentException("priority must be 0..65535: " + priority);
        }
    }
}
