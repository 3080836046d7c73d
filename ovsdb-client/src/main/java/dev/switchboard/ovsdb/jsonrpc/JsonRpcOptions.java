package dev.switchboard.ovsdb.jsonrpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link JsonRpcTransport} and the connections and reconnecting clients it makes.
 * Immutable; start from {@link #defaults()} and change fields with the {@code with…} methods.
 *
 * @param callTimeout     how long {@link JsonRpcConnection#call(String, com.fasterxml.jackson.databind.JsonNode)}
 *                        waits for an answer, and how long a connect may take; default 30 s
 * @param echoInterval    how long a connection may receive nothing before we send an {@code echo}
 *                        request; {@link Duration#ZERO} turns our keepalive off; default 5 s
 * @param maxMissedEchoes after this many intervals in a row with nothing received, each having sent
 *                        an echo, the connection is closed; default 3
 * @param maxMessageBytes largest JSON text accepted from a peer; a larger one closes the connection.
 *                        The first reply to a {@code monitor} holds the whole monitored database, so
 *                        big databases need a big cap; default 64 MiB
 * @param tls             our key, certificate and CA; required for {@code ssl:} and {@code pssl:}
 *                        endpoints, else may be null
 * @param backoffMin      first delay of a {@link ReconnectingClient} after a failed attempt; default 100 ms
 * @param backoffMax      longest such delay (doubling from {@code backoffMin}); a connection that
 *                        stays up this long resets the backoff; default 8 s
 */
public record JsonRpcOptions(Duration callTimeout, Duration echoInterval, int maxMissedEchoes, int maxMessageBytes,
                             TlsFiles tls, Duration backoffMin, Duration backoffMax) {

    private static final JsonRpcOptions DEFAULTS = new JsonRpcOptions(Duration.ofSeconds(30), Duration.ofSeconds(5), 3,
            64 * 1024 * 1024, null, Duration.ofMillis(100), Duration.ofSeconds(8));

    public JsonRpcOptions {
        requirePositive(callTimeout, "callTimeout");
        Objects.requireNonNull(echoInterval, "echoInterval");
        if (echoInterval.isNegative()) {
            throw new IllegalArgumentException("echoInterval must be zero (off) or positive, got " + echoInterval);
        }
        if (maxMissedEchoes < 1) {
            throw new IllegalArgumentException("maxMissedEchoes must be at least 1, got " + maxMissedEchoes);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, got " + maxMessageBytes);
        }
        requirePositive(backoffMin, "backoffMin");
        requirePositive(backoffMax, "backoffMax");
        if (backoffMin.compareTo(backoffMax) > 0) {
            throw new IllegalArgumentException("backoffMin " + backoffMin + " exceeds backoffMax " + backoffMax);
        }
    }

    /** 30 s calls, echo after 5 s idle and close after 3 missed, 64 MiB messages, no TLS, backoff 100 ms..8 s. */
    public static JsonRpcOptions defaults() {
        return DEFAULTS;
    }

    public JsonRpcOptions withCallTimeout(Duration value) {
        return new JsonRpcOptions(value, echoInterval, maxMissedEchoes, maxMessageBytes, tls, backoffMin, backoffMax);
    }

    public JsonRpcOptions withEchoInterval(Duration value) {
        return new JsonRpcOptions(callTimeout, value, maxMissedEchoes, maxMessageBytes, tls, backoffMin, backoffMax);
    }

    public JsonRpcOptions withMaxMissedEchoes(int value) {
        return new JsonRpcOptions(callTimeout, echoInterval, value, maxMessageBytes, tls, backoffMin, backoffMax);
    }

    public JsonRpcOptions withMaxMessageBytes(int value) {
        return new JsonRpcOptions(callTimeout, echoInterval, maxMissedEchoes, value, tls, backoffMin, backoffMax);
    }

    public JsonRpcOptions withTls(TlsFiles value) {
        return new JsonRpcOptions(callTimeout, echoInterval, maxMissedEchoes, maxMessageBytes, value, backoffMin,
                backoffMax);
    }

    public JsonRpcOptions withBackoff(Duration min, Duration max) {
        return new JsonRpcOptions(callTimeout, echoInterval, maxMissedEchoes, maxMessageBytes, tls, min, max);
    }

    /** Whether we send echo requests at all. */
    boolean keepalive() {
        return !echoInterval.isZero();
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
