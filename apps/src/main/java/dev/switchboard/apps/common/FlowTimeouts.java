package dev.switchboard.apps.common;

import java.time.Duration;

/** Flow timeouts are whole seconds in 16 bits on the wire; 0 means none. */
public final class FlowTimeouts {
    private FlowTimeouts() {
    }

    /**
     * @throws IllegalArgumentException naming {@code key} when the duration is negative, not whole
     *         seconds, or longer than 65535 s
     */
    public static int seconds(String key, Duration timeout) {
        if (timeout.isNegative() || timeout.toSeconds() > 0xFFFF || timeout.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException(key + " must be whole seconds from 0 to 65535 (0 = none): " + timeout);
        }
        return (int) timeout.toSeconds();
    }
}
