package dev.switchboard.hosts;

import java.time.Duration;

/**
 * The {@code apps.hosts} section of the configuration file.
 *
 * @param expiry a host not seen for this long is forgotten (default 5m)
 */
public record HostsConfig(Duration expiry) {
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(5);

    public HostsConfig {
        if (expiry == null) {
            expiry = DEFAULT_EXPIRY;
        }
        if (expiry.isZero() || expiry.isNegative()) {
            throw new IllegalArgumentException("expiry must be positive: " + expiry);
        }
    }

    public static HostsConfig defaults() {
        return new HostsConfig(null);
    }
}
