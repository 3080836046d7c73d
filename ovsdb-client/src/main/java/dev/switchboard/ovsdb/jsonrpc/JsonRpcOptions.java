package dev.switchboard.ovsdb.jsonrpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link JsonRpcTransport} and the connections and reconnecting clients it makes.
 * Immutable; start from {@link #defaults()} and change fields with the {@code with…} methods.
 *
 * <p>What one peer can make us hold (see docs/architecture.md, "Bounded buffering"): inbound, the
 * message being read ({@code maxMessageBytes}; all peers together {@code inboundBudgetBytes}) and
 * the objects parsed from it; outbound, what we
 * queue for it, which stops growing at {@code writeBufferHighBytes} because we then stop reading
 * from it, and can never pass {@code peerMemoryBytes} of answers to its own requests.
 *
 * @param callTimeout          how long {@link JsonRpcConnection#call(String, com.fasterxml.jackson.databind.JsonNode)}
 *                             waits for an answer, and how long a connect may take; default 30 s
 * @param echoInterval         how long a connection may receive nothing before we send an {@code echo}
 *                             request; {@link Duration#ZERO} turns our keepalive off; default 5 s
 * @param maxMissedEchoes      after this many intervals in a row with nothing received, each having sent
 *                             an echo, the connection is closed; default 3
 * @param maxMessageBytes      largest JSON text accepted from a peer; a larger one closes the connection.
 *                             The first reply to a {@code monitor} holds the whole monitored database, so
 *                             big databases need a big cap; default 64 MiB
 * @param tls                  our key, certificate and CA; required for {@code ssl:} and {@code pssl:}
 *                             endpoints, else may be null
 * @param backoffMin           first delay of a {@link ReconnectingClient} after a failed attempt; default 100 ms
 * @param backoffMax           longest such delay (doubling from {@code backoffMin}); a connection that
 *                             stays up this long resets the backoff; default 8 s
 * @param writeBufferLowBytes  Netty's low write-buffer watermark: reading resumes once our unsent bytes
 *                             to the peer drop below it; default 256 KiB
 * @param writeBufferHighBytes Netty's high write-buffer watermark: above it the connection is unwritable
 *                             and we stop reading from the peer, so its requests cannot make us queue
 *                             answers; default 1 MiB
 * @param unwritableTimeout    a connection unwritable (the peer not reading what we send) this long without
 *                             a break is closed, with one WARN naming the peer; default 15 s
 * @param peerMemoryBytes      the per-peer budget for answers to the peer's own requests ({@code echo}
 *                             and any other) queued and not yet sent: a peer that pushes past it is
 *                             disconnected at once; default 8 MiB
 * @param maxConnections       most connections a {@link JsonRpcTransport.Listener} holds at once; one
 *                             more is closed as soon as it is accepted; default 64
 * @param inboundBudgetBytes   the most bytes of unfinished messages all connections of one transport
 *                             may hold together (never less than {@code maxMessageBytes}): the
 *                             connection that would pass it is closed, so that many peers each
 *                             dripping a big message cannot add up; default 128 MiB
 */
public record JsonRpcOptions(Duration callTimeout, Duration echoInterval, int maxMissedEchoes, int maxMessageBytes,
                             TlsFiles tls, Duration backoffMin, Duration backoffMax, int writeBufferLowBytes,
                             int writeBufferHighBytes, Duration unwritableTimeout, long peerMemoryBytes,
                             int maxConnections, long inboundBudgetBytes) {

    private static final JsonRpcOptions DEFAULTS = new JsonRpcOptions(Duration.ofSeconds(30), Duration.ofSeconds(5), 3,
            64 * 1024 * 1024, null, Duration.ofMillis(100), Duration.ofSeconds(8), 256 * 1024, 1024 * 1024,
            Duration.ofSeconds(15), 8L * 1024 * 1024, 64, 128L * 1024 * 1024);

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
        if (writeBufferLowBytes < 1 || writeBufferHighBytes < writeBufferLowBytes) {
            throw new IllegalArgumentException("write-buffer watermarks need 0 < low <= high, got low "
                    + writeBufferLowBytes + " high " + writeBufferHighBytes);
        }
        requirePositive(unwritableTimeout, "unwritableTimeout");
        if (peerMemoryBytes < writeBufferHighBytes) {
            throw new IllegalArgumentException("peerMemoryBytes must be at least writeBufferHighBytes ("
                    + writeBufferHighBytes + "), got " + peerMemoryBytes);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (inboundBudgetBytes < 1) {
            throw new IllegalArgumentException("inboundBudgetBytes must be positive, got " + inboundBudgetBytes);
        }
    }

    /**
     * 30 s calls, echo after 5 s idle and close after 3 missed, 64 MiB messages, no TLS, backoff
     * 100 ms..8 s, watermarks 256 KiB..1 MiB, unwritable for 15 s closes, 8 MiB of queued answers
     * per peer, 64 connections per listener, 128 MiB of unfinished messages per transport.
     */
    public static JsonRpcOptions defaults() {
        return DEFAULTS;
    }

    public JsonRpcOptions withCallTimeout(Duration value) {
        return new JsonRpcOptions(value, echoInterval, maxMissedEchoes, maxMessageBytes, tls, backoffMin, backoffMax,
                writeBufferLowBytes, writeBufferHighBytes, unwritableTimeout, peerMemoryBytes, maxConnections,
                inboundBudgetBytes);
    }

    public JsonRpcOptions withEchoInterval(Duration value) {
        return new JsonRpcOptions(callTimeout, value, maxMissedEchoes, maxMessageBytes, tls, backoffMin, backoffMax,
                writeBufferLowBytes, writeBufferHighBytes, unwritableTimeout, peerMemoryBytes, maxConnections,
                inboundBudgetBytes);
    }

    public JsonRpcOptions withMaxMissedEchoes(int value) {
        return new JsonRpcOptions(callTimeout, echoInterval, value, maxMessageBytes, tls, backoffMin, backoffMax,
                writeBufferLowBytes, writeBufferHighBytes, unwritableTimeout, peerMemoryBytes, maxConnections,
                inboundBudgetBytes);
    }

    public JsonRpcOptions withMaxMessageBytes(int value) {
        return new JsonRpcOptions(callTimeout, echoInterval, maxMissedEchoes, value, tls, backoffMin, backoffMax,
                writeBufferLowBytes, writeBufferHighBytes, unwritableTimeout, peerMemoryBytes, maxConnections,
                inboundBudgetBytes);
    }

    public JsonRpcOptions withTls(TlsFiles value) {
        return new JsonRpcOptions(callTimeout, echoInterval, maxMissedEchoes, maxMessageBytes, value, backoffMin,
                backoffMax, writeBufferLowBytes, writeBufferHighBytes, unwritableTimeout, peerMemoryBytes,
                maxConnections, inboundBudgetBytes);
    }

    public JsonRpcOptions withBackoff(Duration min, Duration max) {
        return new JsonRpcOptions(callTimeout, echoInterval, maxMissedEchoes, maxMessageBytes, tls, min, max,
                writeBufferLowBytes, writeBufferHighBytes, unwritableTimeout, peerMemoryBytes, maxConnections,
                inboundBudgetBytes);
    }

    public JsonRpcOptions withWriteBufferWaterMark(int low, int high) {
        return new JsonRpcOptions(callTimeout, echoInterval, maxMissedEchoes, maxMessageBytes, tls, backoffMin,
                backoffMax, low, high, unwritableTimeout, peerMemoryBytes, maxConnections, inboundBudgetBytes);
    }

    public JsonRpcOptions withUnwritableTimeout(Duration value) {
        return new JsonRpcOptions(callTimeout, echoInterval, maxMissedEchoes, maxMessageBytes, tls, backoffMin,
                backoffMax, writeBufferLowBytes, writeBufferHighBytes, value, peerMemoryBytes, maxConnections,
                inboundBudgetBytes);
    }

    public JsonRpcOptions withPeerMemoryBytes(long value) {
        return new JsonRpcOptions(callTimeout, echoInterval, maxMissedEchoes, maxMessageBytes, tls, backoffMin,
                backoffMax, writeBufferLowBytes, writeBufferHighBytes, unwritableTimeout, value, maxConnections,
                inboundBudgetBytes);
    }

    public JsonRpcOptions withMaxConnections(int value) {
        return new JsonRpcOptions(callTimeout, echoInterval, maxMissedEchoes, maxMessageBytes, tls, backoffMin,
                backoffMax, writeBufferLowBytes, writeBufferHighBytes, unwritableTimeout, peerMemoryBytes, value,
                inboundBudgetBytes);
    }

    public JsonRpcOptions withInboundBudgetBytes(long value) {
        return new JsonRpcOptions(callTimeout, echoInterval, maxMissedEchoes, maxMessageBytes, tls, backoffMin,
                backoffMax, writeBufferLowBytes, writeBufferHighBytes, unwritableTimeout, peerMemoryBytes, maxConnections,
                value);
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
