package dev.switchboard.ovsdb.client;

import dev.switchboard.ovsdb.ops.OvsdbTransactionException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transactions sent to one server (every session of an {@link OvsdbClient}, across
 * reconnections): how many ended how, and how long they took from being sent to their answer.
 * Plain counters, read live by whoever exports them; safe from any thread, no lock.
 */
public final class TransactionStats {

    /** How a transaction ended. */
    public enum Outcome {
        /** The server applied it. */
        COMMITTED,
        /** The server refused it (an operation failed, a {@code wait} timed out): nothing was applied. */
        REFUSED,
        /** Cancelled by the caller. */
        CANCELLED,
        /** No answer: the connection closed, the call timed out, or the server answered with a JSON-RPC error. */
        FAILED;

        /** As a metric label: {@code committed}, {@code refused}… */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Outcome, LongAdder> counts = new EnumMap<>(Outcome.class);
    private final Map<Outcome, LongAdder> nanos = new EnumMap<>(Outcome.class);

    public TransactionStats() {
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, new LongAdder());
            nanos.put(outcome, new LongAdder());
        }
    }

    /** Transactions that ended with {@code outcome}. */
    public long count(Outcome outcome) {
        return counts.get(outcome).sum();
    }

    /** Their time from being sent to their answer, added up, in nanoseconds. */
    public long totalNanos(Outcome outcome) {
        return nanos.get(outcome).sum();
    }

    /** Counts one transaction that ended with {@code outcome} after {@code elapsedNanos}; sessions call it. */
    public void record(Outcome outcome, long elapsedNanos) {
        counts.get(outcome).increment();
        nanos.get(outcome).add(elapsedNanos);
    }

    /** The outcome of a transaction whose future completed with {@code failure} (null: it succeeded). */
    public static Outcome outcomeOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause == null) {
            return Outcome.COMMITTED;
        }
        if (cause instanceof OvsdbTransactionException) {
            return Outcome.REFUSED;
        }
        if (cause instanceof CancellationException) {
            return Outcome.CANCELLED;
        }
        return Outcome.FAILED;
    }
}
