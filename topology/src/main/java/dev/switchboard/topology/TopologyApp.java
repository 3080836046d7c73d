package dev.switchboard.topology;

import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.controller.Registration;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code topology} app: finds the links between switches with LLDP and BDDP probes and
 * publishes the network as {@link TopologyService} snapshots. Configured by
 * {@link TopologyConfig} ({@code apps.topology}).
 */
public final class TopologyApp implements SwitchboardApp {
    public static final String NAME = "topology";
    /** The flow-cookie number of the app's flows; fixed so running switches' flows stay its own. */
    public static final int COOKIE_NUMBER = 0x02;
    private static final Logger log = LoggerFactory.getLogger(TopologyApp.class);

    /** Present in a cluster: where the members share their parts of the topology. */
    private final Optional<ClusterExchange> exchange;
    private Registration watching;

    /** Alone (and as {@link java.util.ServiceLoader} finds it). */
    public TopologyApp() {
        this(Optional.empty());
    }

    @Inject
    public TopologyApp(Optional<ClusterExchange> exchange) {
        this.exchange = exchange;
    }

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
        LinkDiscovery started = new LinkDiscovery(context.switches(), config, authenticator(),
                context.scheduler(), exchange.orElse(null));
        // each consumer's listeners go with it when it stops
        context.publishViews(TopologyService.class, TopologyServiceViews.of(started));
        context.addPacketInProcessor(started);
        context.switches().addSwitchListener(started);
        if (exchange.isPresent()) {
            watching = started.watchCluster();
        }
        started.start();
    }

    @Override
    public void stop() {
        if (watching != null) {
            watching.close();
        }
    }

    /**
     * Alone, a new secret key per run: probes forged by hosts, or of an earlier run (or another
     * controller) still in flight, do not verify and never make links. In a cluster the key is
     * the cluster's: the probe out of a switch one member masters arrives at a switch another
     * member masters, which must verify it. It still never leaves the controllers and ZooKeeper.
     */
    private ProbeAuthenticator authenticator() {
        if (exchange.isEmpty()) {
            return ProbeAuthenticator.withRandomKey();
        }
        try {
            return new ProbeAuthenticator(exchange.get().sharedSecret("probe-key"));
        } catch (IllegalStateException e) {
            log.error("topology: the cluster's probe key could not be read ({}); links between switches of two"
                    + " members will not be found until a restart", e.getMessage());
            return ProbeAuthenticator.withRandomKey();
        }
    }
}
