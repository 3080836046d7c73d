package dev.switchboard.hosts;

import dev.switchboard.controller.Registration;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.topology.TopologyApp;
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

    /** The topology listener: the app context tracks only controller registrations. */
    private volatile Registration topologyListener;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "host tracking: MAC, VLAN, IPv4/IPv6 addresses and attachment port";
    }

    @Override
    public List<String> requires() {
        return List.of(TopologyApp.NAME);
    }

    @Override
    public int pipelineOrder() {
        return PipelineOrder.HOSTS;
    }

    @Override
    public void start(AppContext context) {
        HostsConfig config = context.config().bind(HostsConfig.class);
        TopologyService topology = context.service(TopologyService.class);
        HostTracker tracker = new HostTracker(topology, config);
        context.publish(HostService.class, tracker);
        context.addPacketInProcessor(tracker);
        context.switches().addSwitchListener(tracker);
        topologyListener = topology.addListener(tracker);
        long periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(config.expiry().toNanos() / 5, TimeUnit.SECONDS.toNanos(10)));
        context.scheduler().scheduleAtFixedRate(tracker::expireSafely, periodNanos, periodNanos,
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void stop() {
        Registration listener = topologyListener;
        if (listener != null) {
            listener.close();
        }
    }
}
