package dev.switchboard.ovsdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ovsdb.client.TransactionStats.Outcome;
import dev.switchboard.ovsdb.jsonrpc.ConnectionClosedException;
import dev.switchboard.ovsdb.ops.OvsdbTransactionException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class TransactionStatsTest {

    @Test
    void eachEndIsCountedUnderItsOutcomeWithItsTime() {
        TransactionStats stats = new TransactionStats();
        stats.record(TransactionStats.outcomeOf(null), 100);
        stats.record(TransactionStats.outcomeOf(null), 50);
        stats.record(TransactionStats.outcomeOf(new CompletionException(new OvsdbTransactionException(0, null, "refused", null))), 7);
        stats.record(TransactionStats.outcomeOf(new CancellationException()), 3);
        stats.record(TransactionStats.outcomeOf(new CompletionException(new ConnectionClosedException("gone"))), 1);

        assertThat(stats.count(Outcome.COMMITTED)).isEqualTo(2);
        assertThat(stats.totalNanos(Outcome.COMMITTED)).isEqualTo(150);
        assertThat(stats.count(Outcome.REFUSED)).isEqualTo(1);
        assertThat(stats.totalNanos(Outcome.REFUSED)).isEqualTo(7);
        assertThat(stats.count(Outcome.CANCELLED)).isEqualTo(1);
        assertThat(stats.count(Outcome.FAILED)).isEqualTo(1);
        assertThat(Outcome.COMMITTED.label()).isEqualTo("committed");
    }
}
