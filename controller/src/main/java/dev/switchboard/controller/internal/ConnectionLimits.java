package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.HandshakeFailure;
import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code maxPendingConnections} and {@code maxSwitches}: a connection over either is closed at
 * once. A peer opening connections in a loop must not fill the log either, so refusals are
 * logged at most once per {@link #LOG_INTERVAL_NANOS}, with how many were not logged.
 * Thread-safe: connections arrive on every event loop.
 */
final class ConnectionLimits {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimits.class);
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ControllerConfig config;
    private final Counters counters;
    private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong unlogged = new AtomicLong();

    ConnectionLimits(ControllerConfig config, Counters counters) {
        this.config = config;
        this.counters = counters;
    }

    int maxSwitches() {
        return config.maxSwitches();
    }

    /**
     * Counts a new connection as pending unless {@code maxPendingConnections} are already;
     * then it is closed and logged (rate-limited).
     *
     * @return whether the connection may go on
     */
    boolean admit(Channel channel) {
        if (counters.pending.incrementAndGet() <= config.maxPendingConnections()) {
            return true;
        }
        counters.pending.decrementAndGet();
        counters.handshakeFailed(HandshakeFailure.PENDING_LIMIT);
        refused(channel.remoteAddress(), null, config.maxPendingConnections() + " connections are in their handshake"
                + " (maxPendingConnections)");
        channel.close();
        return false;
    }

    /** A switch completed its handshake with {@code maxSwitches} ready already: the caller closes it. */
    void refusedSwitch(SocketAddress remote, DatapathId id) {
        refused(remote, id, config.maxSwitches() + " switches are connected (maxSwitches)");
    }

    private void refused(SocketAddress remote, DatapathId id, String why) {
        counters.connectionsRefused.increment();
        long now = System.nanoTime();
        long next = nextLogNanos.get();
        if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            long others = unlogged.getAndSet(0);
            log.warn("{}{}: refused: {}{}", remote, id == null ? "" : " (switch " + id + ")", why,
                    others == 0 ? "" : "; " + others + " more refused since the last such line");
        } else {
            unlogged.incrementAndGet();
        }
    }
}
