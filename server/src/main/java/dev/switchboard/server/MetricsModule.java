package dev.switchboard.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.switchboard.controller.Controller;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.server.metrics.SwitchboardMetrics;
import java.util.List;
import java.util.function.Supplier;

/** Wiring of the metrics {@code /metrics} serves: the controller's, the apps' and the OVSDB servers'. */
final class MetricsModule extends AbstractModule {

    /** Makes the metrics once the apps and the OVSDB servers are started. */
    @FunctionalInterface
    interface MetricsStarter {
        SwitchboardMetrics start(AppRuntime apps, Supplier<List<OvsdbClient>> ovsdbClients);
    }

    @Provides
    MetricsStarter starter(Controller controller) {
        return (apps, ovsdbClients) -> new SwitchboardMetrics(controller.stats(), apps::listenerFailures, ovsdbClients);
    }
}
