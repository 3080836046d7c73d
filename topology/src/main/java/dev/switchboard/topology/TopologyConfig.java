package dev.switchboard.topology;

import java.time.Duration;

/**
 * The {@code apps.topology} section of the configuration file.
 *
 * @param probeInterval how often every enabled port is probed (default 5s)
 * @param linkTimeout   a link not confirmed by a probe for this long is removed
 *                      (default 3 × probeInterval: two probes may be lost)
 * @param quarantine    how long a port that just appeared or came up is kept out of floods,
 *                      so a loop through it is discovered before broadcasts use it
 *                      (default 1s; 0 turns quarantine off)
 * @param bddp          whether broadcast-domain probes are sent as well as LLDP (default true)
 */
public record TopologyConfig(Duration probeInterval, Duration linkTimeout, Duration quarantine, Boolean bddp) {
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_QUARANTINE = Duration.ofSeconds(1);

    public TopologyConfig {
        if (probeInterval == null) {
            probeInterval = DEFAULT_PROBE_INTERVAL;
        }
        if (linkTimeout == null) {
            linkTimeout = probeInterval.multipliedBy(3);
        }
        if (quarantine == null) {
            quarantine = DEFAULT_QUARANTINE;
        }
        if (bddp == null) {
            bddp = true;
        }
        requirePositive("probeInterval", probeInterval);
        requirePositive("linkTimeout", linkTimeout);
        if (quarantine.isNegative()) {
            throw new IllegalArgumentException("quarantine must not be negative: " + quarantine);
        }
    }

    public static TopologyConfig defaults() {
        return new TopologyConfig(null, null, null, null);
    }

    private static void requirePositive(String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(key + " must be positive: " + value);
        }
    }
}
