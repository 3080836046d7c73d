package dev.switchboard.apps.l2;

import dev.switchboard.apps.common.FlowPriorities;
import java.time.Duration;

/**
 * The {@code apps.l2-learning} section.
 *
 * @param idleTimeout      a learned flow goes when no packet matched it this long (default 30s)
 * @param hardTimeout      and in any case after this long, so a moved host is relearned (default 300s)
 * @param priority         of the learned flows (default {@link FlowPriorities#L2_LEARNING})
 * @param maxMacsPerSwitch MACs learned per switch before new ones are flooded instead (default 1,000,000)
 */
public record L2LearningConfig(Duration idleTimeout, Duration hardTimeout, Integer priority, Integer maxMacsPerSwitch) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HARD_TIMEOUT = Duration.ofSeconds(300);
    public static final int DEFAULT_MAX_MACS_PER_SWITCH = 1_000_000;

    public L2LearningConfig {
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        hardTimeout = hardTimeout == null ? DEFAULT_HARD_TIMEOUT : hardTimeout;
        priority = priority == null ? FlowPriorities.L2_LEARNING : priority;
        maxMacsPerSwitch = maxMacsPerSwitch == null ? DEFAULT_MAX_MACS_PER_SWITCH : maxMacsPerSwitch;
        dev.switchboard.apps.common.FlowTimeouts.seconds("idleTimeout", idleTimeout);
        dev.switchboard.apps.common.FlowTimeouts.seconds("hardTimeout", hardTimeout);
        if (priority < 0 || priority > 0xFFFF) {
            throw new IllegalArgumentException("priority must be 0..65535: " + priority);
        }
        if (maxMacsPerSwitch < 1) {
            throw new IllegalArgumentException("maxMacsPerSwitch must be at least 1: " + maxMacsPerSwitch);
        }
    }

    public static L2LearningConfig defaults() {
        return new L2LearningConfig(null, null, null, null);
    }
}
