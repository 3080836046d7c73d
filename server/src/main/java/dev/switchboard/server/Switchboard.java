package dev.switchboard.server;

import dev.switchboard.cluster.ClusterConfig;
import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.app.AppConfig;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.switchboard.controller.app.AppFactory;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.rest.RestServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The running server: the OpenFlow controller, its apps and, when configured, the OVSDB
 * servers it manages.
 */
public final class Switchboard implements AutoCloseable {
    private final Controller controller;
    private final AppRuntime apps;
    private final List<InetSocketAddress> openflow;
    private final OvsdbManager ovsdb;
    private final RestServer rest;
    private final ClusterNode cluster;

    private Switchboard(Controller controller, AppRuntime apps, List<InetSocketAddress> openflow, OvsdbManager ovsdb,
            RestServer rest, ClusterNode cluster) {
        this.controller = controller;
        this.cluster = cluster;
        this.apps = apps;
        this.openflow = openflow;
        this.ovsdb = ovsdb;
        this.rest = rest;
    }

    public static Switchboard start(ControllerConfig openflowConfig, SwitchboardConfig.Ovsdb ovsdbConfig) {
        return start(openflowConfig, ovsdbConfig, List.of(), Map.of());
    }

    /**
     * Starts everything, or nothing: on failure what started is stopped again.
     *
     * @param appNames   the apps to run; the apps they require start with them
     * @param appConfigs each app's config section by name (missing: empty)
     * @throws IllegalArgumentException for an unknown app or a bad app config, before anything listens
     */
    public static Switchboard start(ControllerConfig openflowConfig, SwitchboardConfig.Ovsdb ovsdbConfig,
            List<String> appNames, Map<String, Map<String, Object>> appConfigs) {
        return start(openflowConfig, ovsdbConfig, appNames, name -> AppConfig.of("apps." + name, appConfigs.get(name)));
    }

    /**
     * Starts everything, or nothing, as {@link #start(ControllerConfig, SwitchboardConfig.Ovsdb, List, Map)}.
     *
     * @param appConfigs each app's config section by name, e.g. {@link SwitchboardConfig#appConfig}
     *                   (whose errors name the file and line)
     */
    public static Switchboard start(ControllerConfig openflowConfig, SwitchboardConfig.Ovsdb ovsdbConfig,
            List<String> appNames, Function<String, AppConfig> appConfigs) {
        return start(openflowConfig, ovsdbConfig, appNames, appConfigs, RestConfig.disabled());
    }

    /**
     * Starts everything, or nothing, as {@link #start(ControllerConfig, SwitchboardConfig.Ovsdb, List, Function)},
     * and the REST API as {@code restConfig} says, last.
     *
     * @throws IllegalArgumentException also for a REST config that would listen beyond loopback without a token
     * @throws IllegalStateException    also when the REST address cannot be bound
     */
    public static Switchboard start(ControllerConfig openflowConfig, SwitchboardConfig.Ovsdb ovsdbConfig,
            List<String> appNames, Function<String, AppConfig> appConfigs, RestConfig restConfig) {
        return start(openflowConfig, ovsdbConfig, appNames, appConfigs, restConfig, Optional.empty());
    }

    /**
     * Starts everything, or nothing, as {@link #start(ControllerConfig, SwitchboardConfig.Ovsdb, List, Function, RestConfig)},
     * as a member of the controller cluster {@code clusterConfig} describes, if any: it joins
     * before the controller listens, and each switch's role follows the cluster's mastership.
     */
    public static Switchboard start(ControllerConfig openflowConfig, SwitchboardConfig.Ovsdb ovsdbConfig,
            List<String> appNames, Function<String, AppConfig> appConfigs, RestConfig restConfig,
            Optional<ClusterConfig> clusterConfig) {
        restConfig.checkAccess(); // refused before anything listens
        ClassLoader loader = Switchboard.class.getClassLoader();
        // The composition root: Guice makes the parts; starting and stopping them in order stays here.
        Injector injector = Guice.createInjector(new ControllerModule(openflowConfig), new OvsdbModule(ovsdbConfig),
                new AppsModule(new AppsModule.Selection(appNames, appConfigs), loader), new RestModule(restConfig),
                new MetricsModule(), new ClusterModule(clusterConfig));
        Controller controller = injector.getInstance(Controller.class);
        AppRuntime apps = null;
        OvsdbManager ovsdb = null;
        ClusterNode cluster = null;
        try {
            cluster = injector.getInstance(ClusterModule.ClusterJoiner.class).join(controller).orElse(null);
            // resolved outside Guice, so a bad app name or config reaches the user as it was thrown
            List<SwitchboardApp> wanted = AppRuntime.resolve(appNames,
                    injector.getInstance(Key.get(new TypeLiteral<Map<String, SwitchboardApp>>() { })));
            apps = AppRuntime.start(controller.switches(), controller.packetIns(), wanted, appConfigs,
                    injector.getInstance(AppFactory.class));
            List<InetSocketAddress> bound = controller.start();
            ovsdb = injector.getInstance(OvsdbModule.OvsdbStarter.class).start(bound).orElse(null);
            RestServer rest = injector.getInstance(RestModule.RestStarter.class).start(apps, wanted, appConfigs, ovsdb,
                    bound.subList(0, openflowConfig.listen().size()), Optional.ofNullable(cluster).map(ClusterModule::info))
                    .orElse(null);
            return new Switchboard(controller, apps, bound, ovsdb, rest, cluster);
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            if (apps != null) {
                apps.close();
            }
            if (ovsdb != null) {
                ovsdb.close();
            }
            controller.close();
            throw e;
        }
    }

    public Controller controller() {
        return controller;
    }

    /** The running apps' names, required ones first. */
    public List<String> apps() {
        return apps.names();
    }

    /** A service one of the running apps published (topology, hosts, …). */
    public <T> Optional<T> service(Class<T> type) {
        return apps.service(type);
    }

    /**
     * Whether the apps serve {@code sw} yet: its flows were reconciled and the apps were told of
     * it. A switch that has only connected passes its first packets by the apps.
     */
    public boolean serves(dev.switchboard.controller.OFSwitch sw) {
        return apps.serves(sw);
    }

    public List<InetSocketAddress> openflowAddresses() {
        return openflow;
    }

    public Optional<OvsdbManager> ovsdb() {
        return Optional.ofNullable(ovsdb);
    }

    /** This instance's cluster membership, when {@code cluster:} is configured. */
    public Optional<ClusterNode> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** The REST API, unless disabled. */
    public Optional<RestServer> rest() {
        return Optional.ofNullable(rest);
    }

    /**
     * Leaves the cluster (so the others take this instance's switches over at once, not after a
     * session timeout), then stops the apps, the OVSDB sessions and the controller. The apps' flows
     * stay on the switches, which keep forwarding; the next start reconciles them (no outage).
     */
    @Override
    public void close() {
        if (rest != null) {
            rest.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        apps.close();
        if (ovsdb != null) {
            ovsdb.close();
        }
        controller.close();
    }
}
