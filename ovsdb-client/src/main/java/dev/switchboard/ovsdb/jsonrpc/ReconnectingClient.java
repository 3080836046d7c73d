package dev.switchboard.ovsdb.jsonrpc;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one active endpoint connected: connects, and after a failed attempt or a lost connection
 * tries again after a delay that doubles from {@link JsonRpcOptions#backoffMin()} up to
 * {@link JsonRpcOptions#backoffMax()}, with jitter (each delay is drawn from the upper half of its
 * step). A connection that stays up for {@code backoffMax} resets the delay. A connection dropped
 * by our keepalive (the peer stopped answering echo) is lost like any other and reconnected.
 *
 * <p>Logging: connected, lost, and the first failed attempt of a series at INFO (a loss with a
 * cause at WARN); further failed attempts at DEBUG.
 *
 * <p>Thread safety: all methods may be called from any thread and do not block.
 */
public final class ReconnectingClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReconnectingClient.class);

    /**
     * Hears of each connection made and lost. Both methods are called on that connection's event
     * loop, {@code connected} before {@code disconnected}, and must not block. Exceptions are logged.
     */
    public interface Listener {
        void connected(JsonRpcConnection connection);

        /** @param cause why it closed (protocol error, missed echoes, I/O error), or null for a clean close */
        void disconnected(JsonRpcConnection connection, Throwable cause);
    }

    private enum State { NEW, CONNECTING, CONNECTED, BACKING_OFF, CLOSED }

    private static final Listener NO_LISTENER = new Listener() {
        @Override
        public void connected(JsonRpcConnection connection) {
        }

        @Override
        public void disconnected(JsonRpcConnection connection, Throwable cause) {
        }
    };

    private final JsonRpcTransport transport;
    private final Endpoint endpoint;
    private final JsonRpcHandler handler;
    private final Listener listener;
    private final Duration backoffMin;
    private final Duration backoffMax;

    private final Object lock = new Object();
    private State state = State.NEW; // guarded by lock
    private CompletableFuture<JsonRpcConnection> attempt; // guarded by lock
    private ScheduledFuture<?> retry; // guarded by lock
    /** Doublings of the next delay; reset by a connection that lasts. Guarded by lock. */
    private int backoffLevel;
    /** Connect attempts failed since the last connection, for the log. Guarded by lock. */
    private int failedAttempts;
    private long connectedAtNanos; // guarded by lock
    private volatile JsonRpcConnection current;

    /**
     * @param handler  handles the peer's messages on every connection made
     * @param listener hears of connections made and lost; may be null
     * @throws IllegalArgumentException if the endpoint is passive or needs TLS files the transport's options lack
     */
    public ReconnectingClient(JsonRpcTransport transport, Endpoint endpoint, JsonRpcHandler handler, Listener listener) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.listener = listener == null ? NO_LISTENER : listener;
        if (endpoint.isPassive()) {
            throw new IllegalArgumentException(endpoint + " is passive: a reconnecting client needs an active endpoint");
        }
        if (endpoint.isTls() && transport.options().tls() == null) {
            throw new IllegalArgumentException(endpoint + " needs TLS files: set JsonRpcOptions.tls");
        }
        this.backoffMin = transport.options().backoffMin();
        this.backoffMax = transport.options().backoffMax();
    }

    /**
     * Starts connecting.
     *
     * @throws IllegalStateException if started before or closed
     */
    public void start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("client for " + endpoint + " is "
                        + (state == State.CLOSED ? "closed" : "already started"));
            }
            state = State.CONNECTING;
        }
        attempt();
    }

    /** The connection, while one is up. */
    public Optional<JsonRpcConnection> current() {
        return Optional.ofNullable(current).filter(JsonRpcConnection::isActive);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Stops reconnecting and closes the connection, if any ({@link Listener#disconnected} follows
     * on its event loop). Idempotent; does not wait.
     */
    @Override
    public void close() {
        JsonRpcConnection connection;
        CompletableFuture<JsonRpcConnection> connecting;
        ScheduledFuture<?> scheduled;
        boolean started;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            started = state != State.NEW;
            state = State.CLOSED;
            connection = current;
            connecting = attempt;
            scheduled = retry;
        }
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        if (connecting != null) {
            connecting.cancel(false);
        }
        if (connection != null) {
            connection.close();
        }
        if (started) {
            log.info("OVSDB client for {} stopped", endpoint);
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "ReconnectingClient[" + endpoint + ", " + state + "]";
        }
    }

    private void attempt() {
        CompletableFuture<JsonRpcConnection> connecting;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CONNECTING;
            try {
                connecting = transport.connect(endpoint, handler);
            } catch (RuntimeException e) {
                connecting = CompletableFuture.failedFuture(e);
            }
            attempt = connecting;
        }
        connecting.whenComplete(this::attemptDone);
    }

    private void attemptDone(JsonRpcConnection connection, Throwable failure) {
        if (failure != null) {
            synchronized (lock) {
                if (state == State.CLOSED) {
                    return;
                }
                failedAttempts++;
                Duration delay = nextDelay();
                if (failedAttempts == 1) {
                    log.info("OVSDB {} unreachable: {}; retrying (backoff {}..{})", endpoint, message(failure),
                            PendingCalls.readable(backoffMin), PendingCalls.readable(backoffMax));
                } else {
                    log.debug("OVSDB {} still unreachable after {} attempts: {}; next in {} ms", endpoint,
                            failedAttempts, message(failure), delay.toMillis());
                }
                scheduleRetry(delay);
            }
            return;
        }
        int failedBefore;
        synchronized (lock) {
            if (state == State.CLOSED) {
                connection.close();
                return;
            }
            state = State.CONNECTED;
            attempt = null;
            current = connection;
            connectedAtNanos = System.nanoTime();
            failedBefore = failedAttempts;
            failedAttempts = 0;
        }
        if (failedBefore > 0) {
            log.info("OVSDB connected to {} after {} failed attempts", endpoint, failedBefore);
        } else {
            log.info("OVSDB connected to {}", endpoint);
        }
        onLoopOf(connection, () -> {
            try {
                listener.connected(connection);
            } catch (RuntimeException e) {
                log.warn("Listener of OVSDB client {} failed on connected", endpoint, e);
            }
        });
        connection.closeFuture().whenComplete((nothing, impossible) -> onLoopOf(connection,
                () -> disconnected(connection)));
    }

    private void disconnected(JsonRpcConnection connection) {
        Throwable cause = connection.closeCause();
        try {
            listener.disconnected(connection, cause);
        } catch (RuntimeException e) {
            log.warn("Listener of OVSDB client {} failed on disconnected", endpoint, e);
        }
        synchronized (lock) {
            if (current == connection) {
                current = null;
            }
            if (state == State.CLOSED) {
                return;
            }
            if (System.nanoTime() - connectedAtNanos >= backoffMax.toNanos()) {
                backoffLevel = 0;
            }
            Duration delay = nextDelay();
            if (cause != null) {
                log.warn("OVSDB connection to {} lost: {}; reconnecting in {} ms", endpoint, message(cause),
                        delay.toMillis());
            } else {
                log.info("OVSDB connection to {} closed; reconnecting in {} ms", endpoint, delay.toMillis());
            }
            scheduleRetry(delay);
        }
    }

    /** The next delay, jittered within the upper half of its step, and one step up for the time after. Under lock. */
    private Duration nextDelay() {
        long min = backoffMin.toNanos();
        long max = backoffMax.toNanos();
        long step = backoffLevel >= 62 || min > (max >> Math.min(backoffLevel, 62)) ? max : min << backoffLevel;
        step = Math.min(step, max);
        if (step < max) {
            backoffLevel++;
        }
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        return Duration.ofNanos(Math.max(min, jittered));
    }

    /** Under lock. */
    private void scheduleRetry(Duration delay) {
        state = State.BACKING_OFF;
        try {
            retry = transport.group().schedule(this::attempt, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("OVSDB client for {}: transport closed, not reconnecting", endpoint);
            state = State.CLOSED;
        }
    }

    private static void onLoopOf(JsonRpcConnection connection, Runnable task) {
        if (connection.eventLoop().inEventLoop()) {
            task.run();
        } else {
            connection.eventLoop().execute(task);
        }
    }

    private static String message(Throwable failure) {
        Throwable shown = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        // Messages may quote the peer (a decoder's complaint about its bytes): escaped for the log.
        return PeerText.escape(shown.getMessage() != null ? shown.getMessage() : shown.toString());
    }
}
