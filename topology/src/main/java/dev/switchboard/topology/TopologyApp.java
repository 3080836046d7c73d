package dev.switchboard.topology;

import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.app.SwitchboardApp;

/**
 * The {@code topology} app: finds the links between switches with LLDP and BDDP probes and
 * publishes the network as {@link TopologyService} snapshots. Configured by
 * {@link TopologyConfig} ({@code apps.topology}).
 */
public final class TopologyApp implements SwitchboardApp {
    public static final String NAME = "topology";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "LLDP/BDDP link discovery, shortest paths and the broadcast tree";
    }

    @Override
    public int pipelineOrder() {
        return PipelineOrder.TOPOLOGY;
    }

    @Override
    public void start(AppContext context) {
        TopologyConfig config = context.config().bind(TopologyConfig.class);
        // A new secret key per run: probes forged by hosts, or of an earlier run (or another
        // controller) still in flight, do not verify and never make links.
        LinkDiscovery started = new LinkDiscovery(context.switches(), config, ProbeAuthenticator.withRandomKey(),
                context.scheduler());
        context.publish(TopologyService.class, started);
        context.addPacketInProcessor(started);
        context.switches().addSwitchListener(started);
        started.start();
    }
}
