package dev.switchboard.hosts;

import jakarta.inject.Inject;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.topology.TopologyService;
import java.util.List;
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

    private final TopologyService topology;

    /** Describes the app, for {@link java.util.ServiceLoader}; the running one is injected. */
    public HostsApp() {
        this(null);
    }

    @Inject
    public HostsApp(TopologyService topology) {
        this.topology = topology;
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
    }
}
