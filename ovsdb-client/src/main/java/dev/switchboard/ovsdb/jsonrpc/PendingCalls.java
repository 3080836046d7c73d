package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The calls of one connection waiting for their response, by id. Registered from any thread;
 * answered, timed out and failed on the connection's event loop. Every entry leaves the map
 * exactly once: by its response, its timeout, the connection closing, or the caller cancelling
 * its future.
 */
final class PendingCalls {

    private static final class Call {
        final long id;
        final String method;
        final CompletableFuture<JsonNode> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        Call(long id, String method) {
            this.id = id;
            this.method = method;
        }
    }

    private final Map<Long, Call> calls = new ConcurrentHashMap<>();
    private final String peer;
    /** Why the connection closed; set before the entries are failed, so a call registered meanwhile fails too. */
    private volatile String closedBecause;
    private volatile Throwable closedBy;

    /** @param peer names the peer in failure messages */
    PendingCalls(String peer) {
        this.peer = peer;
    }

    /**
     * Registers call {@code id} before its request is written, so that no response can overtake
     * it, and schedules its timeout on {@code loop}.
     */
    CompletableFuture<JsonNode> register(long id, String method, Duration timeout, EventExecutor loop) {
        Call call = new Call(id, method);
        if (calls.putIfAbsent(id, call) != null) {
            throw new IllegalStateException("call id " + id + " to " + peer + " is already pending");
        }
        // Whatever completes the future (including the caller's cancel) also drops the entry and its timer.
        call.future.whenComplete((result, failure) -> {
            calls.remove(id, call);
            ScheduledFuture<?> scheduled = call.timeout;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        });
        if (closedBecause != null) {
            fail(call, closedException(call));
            return call.future;
        }
        try {
            call.timeout = loop.schedule(() -> {
                if (calls.remove(id, call)) {
                    call.future.completeExceptionally(new TimeoutException(peer + " did not answer " + method
                            + " (id " + id + ") within " + readable(timeout)));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            fail(call, new ConnectionClosedException("cannot call " + method + " on " + peer
                    + ": its event loop has shut down", e));
        }
        return call.future;
    }

    /**
     * Completes the call a response answers.
     *
     * @return whether {@code id} named a pending call
     */
    boolean complete(JsonNode id, JsonNode result, JsonNode error) {
        if (!id.isIntegralNumber() || !id.canConvertToLong()) {
            return false;
        }
        Call call = calls.remove(id.longValue());
        if (call == null) {
            return false;
        }
        if (error == null) {
            call.future.complete(result);
        } else {
            call.future.completeExceptionally(new JsonRpcErrorException(
                    peer + " answered " + call.method + " (id " + call.id + ") with an error", error));
        }
        return true;
    }

    /** Fails one call, if still pending (its request could not be written). */
    void fail(long id, RuntimeException cause) {
        Call call = calls.get(id);
        if (call != null) {
            fail(call, cause);
        }
    }

    /**
     * Fails every pending call, and every one registered later, with a {@link ConnectionClosedException}.
     *
     * @param because why the connection closed, for the message
     * @param cause   the failure that closed it, or null
     */
    void closeAll(String because, Throwable cause) {
        closedBy = cause;
        closedBecause = because;
        for (Call call : List.copyOf(calls.values())) {
            fail(call, closedException(call));
        }
    }

    int size() {
        return calls.size();
    }

    private ConnectionClosedException closedException(Call call) {
        return new ConnectionClosedException("connection to " + peer + " closed (" + closedBecause + ") before "
                + call.method + " (id " + call.id + ") was answered", closedBy);
    }

    private void fail(Call call, RuntimeException cause) {
        if (calls.remove(call.id, call)) {
            call.future.completeExceptionally(cause);
        }
    }

    static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
