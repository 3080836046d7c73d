package dev.switchboard.apps.routing;

import jakarta.inject.Inject;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.FlowEntries;
import dev.switchboard.controller.app.FlowPlan;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.hosts.HostService;
import dev.switchboard.topology.TopologyService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code routing}: an IPv4 router spread over the OpenFlow network, a virtual gateway at
 * every edge port; configured under {@code apps.routing} (see {@link RoutingConfig}).
 */
public final class RoutingApp implements SwitchboardApp {
    private static final Logger log = LoggerFactory.getLogger(RoutingApp.class);
    private static final long ARP_CACHE_SWEEP_SECONDS = 60;

    /** The flow-cookie number of the app's flows; fixed so running switches' flows stay its own. */
    public static final int COOKIE_NUMBER = 0x06;

    private final TopologyService topology;
    private final HostService hosts;
    private volatile Router router;
    private volatile MacAddress routerMac;

    /** Describes the app, for {@link java.util.ServiceLoader}; the running one is injected. */
    public RoutingApp() {
        this(null, null);
    }

    @Inject
    public RoutingApp(TopologyService topology, HostService hosts) {
        this.topology = topology;
        this.hosts = hosts;
    }

    @Override
    public String name() {
        return "routing";
    }

    @Override
    public String description() {
        return "IPv4 router: a gateway address per subnet at every edge port, static routes, flows per destination";
    }

    @Override
    public int cookieNumber() {
        return COOKIE_NUMBER;
    }

    @Override
    public List<Class<?>> consumes() {
        return List.of(TopologyService.class, HostService.class);
    }

    @Override
    public int pipelineOrder() {
        return PipelineOrder.ROUTING;
    }

    @Override
    public void start(AppContext context) {
        RoutingConfig config = RoutingConfig.load(context.config());
        RoutingTable table = config.table();
        ArpCache arpCache = new ArpCache(System::nanoTime);
        RouteFlows flows = new RouteFlows(context.switches(), context.flows(), config.routerMacAddress(),
                config.idleTimeout());
        Router started = new Router(table, config.routerMacAddress(), context.switches(), topology, hosts,
                arpCache, context.scheduler(), config.arpTimeout(), flows);
        // the context removes these when the app stops
        hosts.addListener(started);
        topology.addListener(started);
        context.scheduler().scheduleWithFixedDelay(arpCache::expire,
                ARP_CACHE_SWEEP_SECONDS, ARP_CACHE_SWEEP_SECONDS, TimeUnit.SECONDS);
        context.addPacketInProcessor(started);
        InvalidTtlReports ttlReports = new InvalidTtlReports();
        context.switches().addSwitchListener(ttlReports);
        context.switches().switches().forEach(ttlReports::switchAdded);
        routerMac = config.routerMacAddress();
        router = started;
        log.info("routing: router MAC {}, subnets {}, static routes {}", config.routerMacAddress(),
                table.subnets(), table.routes());
    }

    /**
     * Keeps the routing flows of an earlier run whose ports are all still on the switch and
     * up, at the routing bands' priorities, an ingress flow only if it still matches this run's
     * router MAC: packets keep being routed by the switches across a restart. The app does not
     * know them as next hops; they end by their idle timeout, and a next hop's removal (host
     * moved or gone, path broken) deletes them by its cookie. The rest are deleted.
     */
    @Override
    public FlowPlan reconcile(OFSwitch sw, List<OFFlowStatsEntry> flows) {
        Map<OFPort, OFPortDesc> ports = sw.ports();
        MacAddress mac = routerMac;
        return FlowPlan.sort(flows, flow -> FlowEntries.portsLive(ports, flow) && switch (flow.getPriority()) {
            case RouteFlows.INGRESS_PRIORITY -> flow.getMatch().isExact(MatchField.ETH_DST)
                    && flow.getMatch().get(MatchField.ETH_DST).equals(mac);
            case RouteFlows.TRANSIT_PRIORITY -> true;
            default -> false;
        });
    }

    @Override
    public void stop() {
        Router running = router;
        if (running != null) {
            running.stop();
        }
    }
}
