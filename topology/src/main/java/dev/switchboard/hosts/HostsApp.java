package dev.switchboard.hosts;

import jakarta.inject.Inject;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.controller.Registration;
import dev.switchboard.topology.ClusterExchange;
import dev.switchboard.topology.TopologyService;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code hosts} app: learns where hosts are attached, and their addresses, from the
 * packet-ins it sees, and publishes them as {@link HostService}. Configured by
 * {@link HostsConfig} ({@code apps.hosts}).
 */
public final class HostsApp implements SwitchboardApp {
    public static final String NAME = "hosts";

    /** The flow-cookie number of the app's flows; fixed so running switches' flows stay its own. */
    public static final int COOKIE_NUMBER = 0x03;

    /** How often this member's part of the host table is handed to the cluster, if changed. */
    static final long SHARE_PERIOD_MILLIS = 200;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HostsApp.class);

    private final TopologyService topology;
    /** Present in a cluster: where the members share the hosts they learned. */
    private final Optional<ClusterExchange> exchange;
    private Registration watching;

    /** Describes the app, for {@link java.util.ServiceLoader}; the running one is injected. */
    public HostsApp() {
        this(null, Optional.empty());
    }

    public HostsApp(TopologyService topology) {
        this(topology, Optional.empty());
    }

    @Inject
    public HostsApp(TopologyService topology, Optional<ClusterExchange> exchange) {
        this.topology = topology;
        this.exchange = exchange;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "host tracking: MAC, VLAN, IPv4/IPv6 addresses and attachment port";
    }

    @Override
    public int cookieNumber() {
        return COOKIE_NUMBER;
    }

    @Override
    public List<Class<?>> provides() {
        return List.of(HostService.class);
    }

    @Override
    public List<Class<?>> consumes() {
        return List.of(TopologyService.class);
    }

    @Override
    public int pipelineOrder() {
        return PipelineOrder.HOSTS;
    }

    @Override
    public void start(AppContext context) {
        HostsConfig config = context.config().bind(HostsConfig.class);
        HostTracker tracker = new HostTracker(topology, config);
        // each consumer's listeners go with it when it stops
        context.publishViews(HostService.class, HostServiceViews.of(tracker));
        context.addPacketInProcessor(tracker);
        context.switches().addSwitchListener(tracker);
        topology.addListener(tracker); // the context removes it when the app stops
        long periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(config.expiry().toNanos() / 5, TimeUnit.SECONDS.toNanos(10)));
        context.scheduler().scheduleAtFixedRate(tracker::expireSafely, periodNanos, periodNanos,
                TimeUnit.NANOSECONDS);
        exchange.ifPresent(cluster -> share(context, tracker, cluster));
    }

    /**
     * In a cluster: hands this member's hosts to the exchange when they changed (checked every
     * {@link #SHARE_PERIOD_MILLIS} on the timer, so learning on the packet path never encodes),
     * and takes the others' in on the timer too (the exchange's thread only hands them over).
     */
    private void share(AppContext context, HostTracker tracker, ClusterExchange cluster) {
        context.scheduler().scheduleAtFixedRate(() -> {
            try {
                byte[] part = tracker.partIfChanged();
                if (part != null) {
                    cluster.publish(HostsPart.KIND, part);
                }
            } catch (RuntimeException e) {
                log.warn("hosts: sharing failed", e);
            }
        }, 0, SHARE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        watching = cluster.watch(HostsPart.KIND, parts -> {
            RemoteHosts next = RemoteHosts.of(parts);
            try {
                context.scheduler().execute(() -> tracker.remoteChanged(next));
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // the app is stopping
            }
        });
    }

    @Override
    public void stop() {
        if (watching != null) {
            watching.close();
        }
    }
}
