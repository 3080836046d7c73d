package dev.switchboard.hosts;

import java.time.Duration;

/**
 * The {@code apps.hosts} section of the configuration file.
 *
 * @param expiry   a host not seen for this long is forgotten (default 5m)
 * @param maxHosts at most this many hosts are tracked (default 100,000); beyond it new hosts are
 *                 not learnt until others expire, so a flood of forged source MACs cannot
 *                 exhaust the controller's memory
 */
public record HostsConfig(Duration expiry, Integer maxHosts) {
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_HOSTS = 100_000;

    public HostsConfig {
        if (expiry == null) {
            expiry = DEFAULT_EXPIRY;
        }
        if (maxHosts == null) {
            maxHosts = DEFAULT_MAX_HOSTS;
        }
        if (expiry.isZero() || expiry.isNegative()) {
            throw new IllegalArgumentException("expiry must be positive: " + expiry);
        }
        if (maxHosts <= 0) {
            throw new IllegalArgumentException("maxHosts must be positive: " + maxHosts);
        }
    }

    public static HostsConfig defaults() {
        return new HostsConfig(null, null);
    }
}
