package dev.switchboard.ovsdb.vswitch;

import java.time.Duration;

/**
 * How {@link OpenVSwitch#apply} commits.
 *
 * @param noWait   return once OVSDB committed, without waiting for ovs-vswitchd to apply the
 *                 change (as {@code ovs-vsctl --no-wait}); no ofports are reported then
 * @param timeout  how long to wait for ovs-vswitchd
 * @param attempts how often to try when a concurrent writer changed what the batch was based on
 */
public record ApplyOptions(boolean noWait, Duration timeout, int attempts) {

    public static final ApplyOptions DEFAULT = new ApplyOptions(false, Duration.ofSeconds(30), 5);

    public ApplyOptions withNoWait(boolean value) {
        return new ApplyOptions(value, timeout, attempts);
    }
}
