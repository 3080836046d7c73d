package dev.switchboard.server.metrics;

import dev.switchboard.ovsdb.client.TransactionStats;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The transactions the controller sent each OVSDB server it manages ({@link TransactionStats}),
 * as one timer per server and outcome: how many, and their time from sent to answered. Servers
 * that connect passively come and go with their connections; {@link #refresh()} follows them.
 */
final class OvsdbMetrics implements MeterBinder, DynamicMeters {

    /** One server's transactions; equal only for the same stats (one client's, across its reconnections). */
    record Server(String name, TransactionStats transactions) {
    }

    private final Supplier<List<Server>> clients;
    private MeterSet<Server> servers;

    OvsdbMetrics(Supplier<List<Server>> clients) {
        this.clients = clients;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        servers = new MeterSet<>(registry, client -> perServer(registry, client));
        refresh();
    }

    private static List<Meter> perServer(MeterRegistry registry, Server server) {
        TransactionStats stats = server.transactions();
        List<Meter> meters = new ArrayList<>();
        for (TransactionStats.Outcome outcome : TransactionStats.Outcome.values()) {
            meters.add(FunctionTimer.builder("switchboard.ovsdb.transactions", stats, s -> s.count(outcome),
                            s -> s.totalNanos(outcome), TimeUnit.NANOSECONDS)
                    .description("OVSDB transactions sent, by server and outcome, and their time to the answer")
                    .tag("server", server.name()).tag("outcome", outcome.label()).register(registry));
        }
        return meters;
    }

    @Override
    public void refresh() {
        servers.sync(clients.get());
    }

    @Override
    public void close() {
        servers.clear();
    }
}
