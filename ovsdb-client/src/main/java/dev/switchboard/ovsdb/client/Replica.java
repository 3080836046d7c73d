package dev.switchboard.ovsdb.client;

import dev.switchboard.ovsdb.data.Row;
import dev.switchboard.ovsdb.data.RowLookup;
import dev.switchboard.ovsdb.data.RowUpdate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory copy of chosen tables of one database, kept current by a monitor, as OVS's
 * IDL does. Reads never block and never see half a transaction: every committed transaction
 * replaces the whole {@link Snapshot} at once.
 *
 * <p>Written only by the monitor on the connection's event loop; read from any thread.
 */
public final class Replica implements RowLookup, UpdateListener {
    private static final Logger log = LoggerFactory.getLogger(Replica.class);

    /** The replica at one moment: table name -> rows by uuid, all immutable. */
    public record Snapshot(long version, Map<String, Map<UUID, Row>> tables) {

        public Snapshot {
            tables = Map.copyOf(tables);
        }

        public Map<UUID, Row> rows(String table) {
            return tables.getOrDefault(table, Map.of());
        }

        public Optional<Row> row(String table, UUID uuid) {
            return Optional.ofNullable(rows(table).get(uuid));
        }

        public Stream<Row> find(String table, Predicate<Row> filter) {
            return rows(table).values().stream().filter(filter);
        }

        /** The row whose {@code column} equals {@code value} (a name, usually), if any. */
        public Optional<Row> findBy(String table, String column, Object value) {
            return find(table, row -> value.equals(row.get(column))).findFirst();
        }
    }

    private final String database;
    private final Map<String, MonitorRequest> tables;
    private final CopyOnWriteArrayList<ReplicaListener> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Waiter> waiters = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot;
    /** True between a new monitor's start and its initial contents: they replace, not add. */
    private volatile boolean resynchronising;

    private record Waiter(Predicate<Snapshot> condition, CompletableFuture<Snapshot> done) {
    }

    public Replica(String database, Map<String, MonitorRequest> tables) {
        this.database = database;
        this.tables = Map.copyOf(tables);
        Map<String, Map<UUID, Row>> empty = new HashMap<>();
        tables.keySet().forEach(table -> empty.put(table, Map.of()));
        this.snapshot = new Snapshot(0, empty);
    }

    public String database() {
        return database;
    }

    public Map<String, MonitorRequest> tables() {
        return tables;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public void addListener(ReplicaListener listener) {
        listeners.add(listener);
    }

    public void removeListener(ReplicaListener listener) {
        listeners.remove(listener);
    }

    /**
     * Completes with the first snapshot that meets {@code condition} (perhaps the current one),
     * or fails with a TimeoutException.
     */
    public CompletableFuture<Snapshot> await(Predicate<Snapshot> condition, Duration timeout) {
        CompletableFuture<Snapshot> done = new CompletableFuture<>();
        Waiter waiter = new Waiter(condition, done);
        waiters.add(waiter);
        Snapshot now = snapshot;
        if (condition.test(now)) {
            done.complete(now);
        }
        done.whenComplete((s, e) -> waiters.remove(waiter));
        return done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Row find(String table, UUID uuid) {
        return snapshot.rows(table).get(uuid);
    }

    /** The next monitor's initial contents replace the copy (after a reconnection). */
    void startResynchronising() {
        resynchronising = true;
    }

    @Override
    public void update(List<RowUpdate> updates) {
        if (resynchronising) {
            resynchronising = false;
            replaceWith(updates);
            return;
        }
        Snapshot before = snapshot;
        Map<String, Map<UUID, Row>> next = new HashMap<>(before.tables());
        Map<String, Map<UUID, Row>> touched = new HashMap<>();
        for (RowUpdate update : updates) {
            Map<UUID, Row> rows = touched.computeIfAbsent(update.table(),
                    t -> new HashMap<>(before.rows(t)));
            if (update.isDelete()) {
                rows.remove(update.uuid());
            } else {
                rows.put(update.uuid(), update.newRow());
            }
        }
        touched.forEach((table, rows) -> next.put(table, Map.copyOf(rows)));
        Snapshot after = new Snapshot(before.version() + 1, next);
        snapshot = after;
        for (RowUpdate update : updates) {
            tell(update);
        }
        finish(after, false);
    }

    private void replaceWith(List<RowUpdate> initial) {
        Snapshot before = snapshot;
        Map<String, Map<UUID, Row>> fresh = new HashMap<>();
        tables.keySet().forEach(table -> fresh.put(table, new HashMap<>()));
        for (RowUpdate update : initial) {
            if (!update.isDelete()) {
                fresh.computeIfAbsent(update.table(), t -> new HashMap<>()).put(update.uuid(), update.newRow());
            }
        }
        Map<String, Map<UUID, Row>> frozen = new HashMap<>();
        fresh.forEach((table, rows) -> frozen.put(table, Map.copyOf(rows)));
        Snapshot after = new Snapshot(before.version() + 1, frozen);
        snapshot = after;
        for (String table : frozen.keySet()) {
            Map<UUID, Row> old = before.rows(table);
            Map<UUID, Row> now = after.rows(table);
            old.forEach((uuid, row) -> {
                if (!now.containsKey(uuid)) {
                    tell(new RowUpdate(table, uuid, row, null));
                }
            });
            now.forEach((uuid, row) -> {
                Row was = old.get(uuid);
                if (!row.equals(was)) {
                    tell(new RowUpdate(table, uuid, was, row));
                }
            });
        }
        finish(after, true);
    }

    private void tell(RowUpdate update) {
        for (ReplicaListener listener : listeners) {
            try {
                if (update.isInsert()) {
                    listener.rowInserted(update.table(), update.newRow());
                } else if (update.isDelete()) {
                    listener.rowDeleted(update.table(), update.oldRow());
                } else {
                    listener.rowModified(update.table(), update.oldRow(), update.newRow());
                }
            } catch (RuntimeException e) {
                log.warn("replica listener {} failed on a change to {}", listener, update.table(), e);
            }
        }
    }

    private void finish(Snapshot after, boolean resynchronised) {
        for (ReplicaListener listener : listeners) {
            try {
                listener.updated(after);
                if (resynchronised) {
                    listener.resynchronised(after);
                }
            } catch (RuntimeException e) {
                log.warn("replica listener {} failed", listener, e);
            }
        }
        for (Waiter waiter : waiters) {
            if (waiter.condition().test(after)) {
                waiter.done().complete(after);
            }
        }
    }
}
