package dev.switchboard.controller;

import java.util.Locale;

/** Why a connection ended before its switch was ready (counted in {@link ControllerStats#handshakeFailures}). */
public enum HandshakeFailure {
    /** The switch and the controller have no OpenFlow version in common (HELLO_FAILED sent). */
    NO_COMMON_VERSION,
    /** Not ready within {@code handshakeTimeout}. */
    TIMEOUT,
    /** The switch broke the protocol, or answered the handshake with an ERROR. */
    PROTOCOL,
    /** The TLS handshake failed (certificate refused either way, or plain OpenFlow on a TLS port). */
    TLS,
    /** {@code maxPendingConnections} connections were in their handshake already. */
    PENDING_LIMIT,
    /** {@code maxSwitches} switches were ready already. */
    SWITCH_LIMIT,
    /** The switch hung up (or the connection failed) before its handshake was complete. */
    CLOSED;

    /** The reason as a metric label: lower case, e.g. {@code no_common_version}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
