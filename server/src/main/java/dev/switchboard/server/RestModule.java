package dev.switchboard.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.switchboard.controller.Controller;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.hosts.HostService;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.rest.ClusterInfo;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.rest.RestControls;
import dev.switchboard.rest.RestServer;
import dev.switchboard.rest.RestSources;
import dev.switchboard.server.metrics.SwitchboardMetrics;
import dev.switchboard.topology.TopologyService;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
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
         * @param ovsdb the OVSDB servers managed now (null: none), for the metrics and the OVSDB routes
         * @param openflowTcp the controller's plain TCP listen addresses, as bound (labs brought up over
         *                    the API may need it to listen on one more, see {@link RestLabControl})
         * @param cluster the cluster this instance is a member of, if any
         * @return the server, or empty when the API is disabled
         */
        Optional<RestServer> start(AppRuntime apps, List<SwitchboardApp> running, Function<String, AppConfig> configs,
                OvsdbManager ovsdb, List<InetSocketAddress> openflowTcp, Optional<ClusterInfo> cluster);
    }

    @Provides
    RestStarter starter(Controller controller, Map<String, SwitchboardApp> available,
            MetricsModule.MetricsStarter metricsStarter) {
        return (apps, running, configs, ovsdb, openflowTcp, cluster) -> {
            if (!config.enabled()) {
                return Optional.empty();
            }
            RestAppControl appControl = new RestAppControl(apps, available, configs);
            Supplier<List<OvsdbClient>> ovsdbClients = () -> ovsdb == null ? List.of() : ovsdb.clients();
            SwitchboardMetrics metrics = metricsStarter.start(apps, ovsdbClients);
            RestSources sources = new RestSources(controller.switches(), () -> apps.service(TopologyService.class),
                    () -> apps.service(HostService.class), appControl, Optional.of(metrics), cluster);
            RestControls controls = new RestControls(appControl, ovsdb == null ? null : new RestOvsdbAccess(ovsdb),
                    new RestLabControl(controller, openflowTcp));
            try {
                return Optional.of(RestServer.start(config, sources, controls)); // it closes the metrics when it stops
            } catch (RuntimeException e) {
                metrics.close();
                throw e;
            }
        };
    }
}
