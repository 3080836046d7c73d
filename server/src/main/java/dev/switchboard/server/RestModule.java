package dev.switchboard.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.switchboard.controller.Controller;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.hosts.HostService;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.rest.AppCatalog;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.rest.RestServer;
import dev.switchboard.rest.RestSources;
import dev.switchboard.server.metrics.SwitchboardMetrics;
import dev.switchboard.topology.TopologyService;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Wiring of the REST API (and the metrics it serves at {@code /metrics}): how to start it once the apps run. */
final class RestModule extends AbstractModule {
    private final RestConfig config;

    RestModule(RestConfig config) {
        this.config = config;
    }

    /** Starts the REST API over the controller and the running apps. */
    @FunctionalInterface
    interface RestStarter {
        /**
         * @param running the apps started, in start order
         * @param configs each app's config section
         * @param ovsdbClients the OVSDB servers managed now, for the metrics
         * @return the server, or empty when the API is disabled
         */
        Optional<RestServer> start(AppRuntime apps, List<SwitchboardApp> running, Function<String, AppConfig> configs,
                Supplier<List<OvsdbClient>> ovsdbClients);
    }

    @Provides
    RestStarter starter(Controller controller, MetricsModule.MetricsStarter metricsStarter) {
        return (apps, running, configs, ovsdbClients) -> {
            if (!config.enabled()) {
                return Optional.empty();
            }
            List<AppCatalog.AppInfo> infos = running.stream().map(app -> {
                AppConfig section = configs.apply(app.name());
                return new AppCatalog.AppInfo(app.name(), app.description(), AppCookies.cookie(app).toString(),
                        app.consumes().stream().map(Class::getSimpleName).toList(),
                        section == null ? null : section.settings());
            }).toList();
            SwitchboardMetrics metrics = metricsStarter.start(apps, ovsdbClients);
            RestSources sources = new RestSources(controller.switches(), () -> apps.service(TopologyService.class),
                    () -> apps.service(HostService.class), () -> infos, Optional.of(metrics));
            try {
                return Optional.of(RestServer.start(config, sources)); // it closes the metrics when it stops
            } catch (RuntimeException e) {
                metrics.close();
                throw e;
            }
        };
    }
}
