package dev.switchboard.topology;

import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.app.SwitchboardApp;
import java.util.List;

/**
 * The {@code topology} app: finds the links between switches with LLDP and BDDP probes and
 * publishes the network as {@link TopologyService} snapshots. Configured by
 * {@link TopologyConfig} ({@code apps.topology}).
 */
public final class TopologyApp implements SwitchboardApp {
    public static final String NAME = "topology";
    /** The flow-cookie number of the app's flows; fixed so running switches' flows stay its own. */
    public static final int COOKIE_NUMBER = 0x02;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "LLDP/BDDP link discovery, shortest paths and the broadcast tree";
    }

    @Override
    public int cookieNumber() {
        return COOKIE_NUMBER;
    }

    @Override
    public List<Class<?>> provides() {
        return List.of(TopologyService.class);
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
        // each consumer's listeners go with it when it stops
        context.publishViews(TopologyService.class, TopologyServiceViews.of(started));
        context.addPacketInProcessor(started);
        context.switches().addSwitchListener(started);
        started.start();
    }
}
