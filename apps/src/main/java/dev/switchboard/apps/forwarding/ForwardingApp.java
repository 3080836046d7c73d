package dev.switchboard.apps.forwarding;

import static dev.switchboard.controller.packet.EthernetFrames.UNTAGGED;

import dev.switchboard.apps.common.Deliverable;
import dev.switchboard.apps.common.FloodPlanner;
import dev.switchboard.apps.common.FloodPlanner.FloodPlan;
import dev.switchboard.apps.common.FlowTimeouts;
import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.OFSwitch;
import jakarta.inject.Inject;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.FlowEntries;
import dev.switchboard.controller.app.FlowPlan;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.controller.openflow.OpenFlowMessages;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.hosts.Host;
import dev.switchboard.hosts.HostListener;
import dev.switchboard.hosts.HostService;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
import dev.switchboard.topology.TopologyEvent;
import dev.switchboard.topology.TopologyService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.VlanVid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shortest-path forwarding: a frame to a host the host tracker knows gets flows on every
 * switch of the shortest path, installed destination first; once every switch confirmed them
 * with a barrier, the frame itself is sent on from the ingress switch. Routes follow the
 * topology (rerouted when a link or switch on them goes) and the hosts (dropped when an end
 * moves or goes). Broadcasts and unknown destinations are flooded along the spanning tree.
 */
public final class ForwardingApp implements SwitchboardApp {
    private static final Logger log = LoggerFactory.getLogger(ForwardingApp.class);

    /**
     * Each connected switch's flood planner, with the connection it was made for: a planner
     * holds that connection's factory (its OpenFlow version), so it must never serve a newer
     * connection of the same datapath id.
     */
    private final Map<DatapathId, Attached> flooding = new ConcurrentHashMap<>();
    private final LongAdder unreachable = new LongAdder();
    /** The flow-cookie number of the app's flows; fixed so running switches' flows stay its own. */
    public static final int COOKIE_NUMBER = 0x05;

    private AppContext context;
    private final TopologyService topology;
    private final HostService hosts;
    private RouteInstaller routes;

    /** Picks the epoch of this run's route tags ({@link RouteInstaller}); random but in tests. */
    private final java.util.function.LongSupplier epochs;

    /** Describes the app, for {@link java.util.ServiceLoader}; the running one is injected. */
    public ForwardingApp() {
        this(null, null);
    }

    @Inject
    public ForwardingApp(TopologyService topology, HostService hosts) {
        this(topology, hosts, () -> java.util.concurrent.ThreadLocalRandom.current().nextLong(1, RouteInstaller.EPOCHS));
    }

    ForwardingApp(TopologyService topology, HostService hosts, java.util.function.LongSupplier epochs) {
        this.topology = topology;
        this.hosts = hosts;
        this.epochs = epochs;
    }

    @Override
    public String name() {
        return "forwarding";
    }

    @Override
    public String description() {
        return "shortest-path forwarding to known hosts; floods along the spanning tree";
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
        return PipelineOrder.FORWARDING;
    }

    @Override
    public void start(AppContext context) {
        this.context = context;
        ForwardingConfig config = context.config().bind(ForwardingConfig.class);
        this.routes = new RouteInstaller(context.switches(), context.flows(), config.priority(),
                FlowTimeouts.seconds("idleTimeout", config.idleTimeout()),
                FlowTimeouts.seconds("hardTimeout", config.hardTimeout()), epochs);
        context.switches().addSwitchListener(new SwitchListener() {
            @Override
            public void switchRemoved(OFSwitch sw) {
                // Only this connection's planner: a newer connection's may already be there.
                flooding.computeIfPresent(sw.id(), (id, attached) -> attached.sw() == sw ? null : attached);
            }
        });
        context.switches().addMessageListener(OFType.FLOW_REMOVED, this::flowRemoved);
        context.addPacketInProcessor(this::process);
        // the context removes these when the app stops
        topology.addListener(this::topologyChanged);
        hosts.addListener(new HostListener() {
            @Override
            public void hostMoved(Host before, Host after) {
                routes.removeIf(route -> route.key().involves(before));
                deleteFlowsOf(before);
            }

            @Override
            public void hostRemoved(Host host) {
                routes.removeIf(route -> route.key().involves(host));
                if (topology.current().isInterSwitchPort(host.location())) {
                    // Learnt at a port whose link was not discovered yet (after a start or a late
                    // reconnect): the host never was there, and the flows naming it (kept from an
                    // earlier run) still carry its traffic. Deleting them was a seconds-long outage.
                    return;
                }
                deleteFlowsOf(host);
            }
        });
        log.info("forwarding: idle {} s, hard {} s, priority {}", config.idleTimeout().toSeconds(),
                config.hardTimeout().toSeconds(), config.priority());
    }

    /**
     * Keeps the route flows of an earlier run (or connection) whose ports are all still on
     * the switch and up, at this run's priority, so the traffic on them never stops; the app
     * does not know them as routes, so their ingress flows' idle timeouts end them, and a link
     * that goes deletes every flow of the app out of its ports ({@link #topologyChanged}).
     * The rest are deleted. New routes' tags are in this run's epoch, never the kept flows'.
     */
    @Override
    public FlowPlan reconcile(OFSwitch sw, List<OFFlowStatsEntry> flows) {
        Map<OFPort, OFPortDesc> ports = sw.ports();
        int priority = routes.priority();
        FlowPlan plan = FlowPlan.sort(flows, flow -> flow.getPriority() == priority && FlowEntries.portsLive(ports, flow));
        plan.keep().forEach(flow -> routes.tagSeen(flow.getCookie().getValue() & AppCookies.TAG_MASK));
        return plan;
    }

    @Override
    public void stop() {
        flooding.clear();
    }

    RouteInstaller routes() {
        return routes;
    }

    long unreachable() {
        return unreachable.sum();
    }

    private Disposition process(OFSwitch sw, OFPacketIn packetIn) {
        byte[] frame = packetIn.getData();
        Disposition refused = Deliverable.refusal(frame);
        if (refused != null) {
            return refused;
        }
        long src = EthernetFrames.source(frame);
        long dst = EthernetFrames.destination(frame);
        OFPort inPort = OpenFlowMessages.inPort(packetIn);
        if (inPort == null) {
            return Disposition.STOP; // a 1.2+ packet-in without IN_PORT: nowhere to route or flood it from
        }
        Topology now = topology.current();
        if (!EthernetFrames.isGroupAddress(dst)) {
            int vlan = EthernetFrames.vlan(frame);
            VlanVid vid = vlan == UNTAGGED ? VlanVid.ZERO : VlanVid.ofVlan(vlan);
            MacAddress dstMac = MacAddress.of(dst);
            Optional<Host> host = hosts.host(dstMac, vid);
            if (host.isPresent()) {
                route(sw, packetIn, inPort, now, new RouteKey(MacAddress.of(src), dstMac, vid), host.get().location());
                return Disposition.STOP;
            }
        }
        flood(sw, packetIn, inPort, now);
        return Disposition.STOP;
    }

    private void route(OFSwitch sw, OFPacketIn packetIn, OFPort inPort, Topology now, RouteKey key, SwitchPort destination) {
        SwitchPort ingress = new SwitchPort(sw.id(), inPort);
        if (ingress.equals(destination)) {
            return; // the host is behind the port the frame came from: it already has it
        }
        Optional<List<Link>> path = now.path(sw.id(), destination.dpid());
        if (path.isEmpty()) {
            unreachable.increment();
            return;
        }
        Route route = Route.along(key, routes.nextTag(), ingress, path.get(), destination);
        OFPort firstHop = route.hops().get(0).outPort();
        CompletableFuture<Void> installed = routes.install(route);
        if (!stillValid(route)) {
            // The topology or the host changed after the path was computed, and its listener may
            // have run before install() recorded the route: nothing would ever remove it then.
            routes.remove(route);
            return;
        }
        installed.thenRun(() -> {
            // On a barrier reply's event loop, never the caller's: the packet goes only once every flow is in.
            // A second frame of the key may have started an install meanwhile, replacing this route with
            // one along the same hops (same flows, newer tag): the frame goes all the same. Replaced by
            // another path, this route's flows were deleted, and the frame is dropped.
            if (sw.isConnected() && routes.route(key).filter(route::runsAlong).isPresent()) {
                sw.write(OpenFlowMessages.packetOut(sw.factory(), packetIn, inPort,
                        OpenFlowMessages.outputs(sw.factory(), List.of(firstHop))));
            }
        });
    }

    /**
     * Whether a route just recorded still fits the newest topology and host table: every link
     * still there, every switch still there, the destination host still where it was. Checked
     * after recording, so any change is seen either here or by a listener that finds the route.
     */
    private boolean stillValid(Route route) {
        Topology latest = topology.current();
        if (!latest.links().containsAll(route.links())) {
            return false;
        }
        for (Hop hop : route.hops()) {
            if (!latest.switches().contains(hop.dpid())) {
                return false;
            }
        }
        RouteKey key = route.key();
        return hosts.host(key.dst(), key.vlan()).map(Host::location).filter(route.destination()::equals).isPresent();
    }

    private void flood(OFSwitch sw, OFPacketIn packetIn, OFPort inPort, Topology now) {
        FloodPlan plan = floodPlannerOf(sw).plan(now, inPort);
        if (plan.accepted() && !plan.actions().isEmpty()) {
            sw.write(OpenFlowMessages.packetOut(sw.factory(), packetIn, inPort, plan.actions()));
        }
    }

    /** The planner made for this very connection; one lookup and no allocation once made. */
    FloodPlanner floodPlannerOf(OFSwitch sw) {
        Attached attached = flooding.get(sw.id());
        if (attached != null && attached.sw() == sw) {
            return attached.planner();
        }
        return flooding.compute(sw.id(), (id, old) -> old != null && old.sw() == sw
                ? old : new Attached(sw, new FloodPlanner(id, sw.factory()))).planner();
    }

    private record Attached(OFSwitch sw, FloodPlanner planner) {
    }

    /** Reroutes every route over a link or switch that went; a route with no path left stays removed. */
    private void topologyChanged(TopologyEvent event) {
        if (event.linksRemoved().isEmpty() && event.switchesRemoved().isEmpty()) {
            return;
        }
        List<Route> broken = routes.removeIf(route -> route.crosses(event.linksRemoved(), event.switchesRemoved()));
        deleteFlowsOver(dev.switchboard.apps.common.LinkLosses.of(event));
        Topology after = event.after();
        int rerouted = 0;
        for (Route old : broken) {
            SwitchPort ingress = old.ingress();
            if (event.switchesRemoved().contains(ingress.dpid()) || event.switchesRemoved().contains(old.destination().dpid())) {
                continue;
            }
            Optional<List<Link>> path = after.path(ingress.dpid(), old.destination().dpid());
            if (path.isPresent() && routes.route(old.key()).isEmpty()) {
                Route replacement = Route.along(old.key(), routes.nextTag(), ingress, path.get(), old.destination());
                routes.install(replacement);
                if (stillValid(replacement)) {
                    rerouted++;
                } else {
                    routes.remove(replacement); // a newer change (or host move) overtook this event
                }
            }
        }
        if (!broken.isEmpty()) {
            log.info("forwarding: topology changed, {} routes rerouted, {} removed", rerouted, broken.size() - rerouted);
        }
    }

    /**
     * Flows out of a link that went, whoever's route they belong to: those adopted from an
     * earlier run are known to no route, and would send traffic into the gap until they idle out.
     * On 1.0, which has no cookie mask, every flow out of the port goes (the link is gone).
     */
    private void deleteFlowsOver(java.util.Set<Link> gone) {
        for (Link link : gone) {
            context.switches().getSwitch(link.src().dpid()).filter(OFSwitch::isConnected).ifPresent(sw -> {
                org.projectfloodlight.openflow.protocol.OFFactory f = sw.factory();
                org.projectfloodlight.openflow.protocol.OFFlowDelete.Builder delete = f.buildFlowDelete()
                        .setMatch(f.matchWildcardAll()).setOutPort(link.src().port());
                if (f.getVersion() != org.projectfloodlight.openflow.protocol.OFVersion.OF_10) {
                    delete.setCookie(context.flows().cookie()).setCookieMask(context.flows().cookieMask())
                            .setTableId(org.projectfloodlight.openflow.types.TableId.ALL)
                            .setOutGroup(org.projectfloodlight.openflow.types.OFGroup.ANY);
                }
                sw.write(delete.build());
            });
        }
    }

    /**
     * Flows to or from a host that moved or went, whoever's route they belong to: those kept
     * from an earlier run are known to no route, and (with no hard timeout) would send its
     * traffic to where it was for as long as the traffic lasts. Two deletes per served switch,
     * by eth_dst and by eth_src and the host's VLAN, with the app's cookie and mask. On 1.0,
     * which has no cookie mask, every flow naming the MAC so goes, as for a link that went.
     */
    private void deleteFlowsOf(Host host) {
        for (OFSwitch sw : context.switches().switches()) {
            if (!sw.isConnected()) {
                continue;
            }
            org.projectfloodlight.openflow.protocol.OFFactory f = sw.factory();
            org.projectfloodlight.openflow.protocol.match.MatchField<MacAddress> dst =
                    org.projectfloodlight.openflow.protocol.match.MatchField.ETH_DST;
            org.projectfloodlight.openflow.protocol.match.MatchField<MacAddress> src =
                    org.projectfloodlight.openflow.protocol.match.MatchField.ETH_SRC;
            for (var field : List.of(dst, src)) {
                org.projectfloodlight.openflow.protocol.match.Match match = f.buildMatch()
                        .setExact(field, host.mac())
                        .setExact(org.projectfloodlight.openflow.protocol.match.MatchField.VLAN_VID,
                                host.vlan().equals(VlanVid.ZERO) ? org.projectfloodlight.openflow.types.OFVlanVidMatch.UNTAGGED
                                        : org.projectfloodlight.openflow.types.OFVlanVidMatch.ofVlanVid(host.vlan()))
                        .build();
                org.projectfloodlight.openflow.protocol.OFFlowDelete.Builder delete = f.buildFlowDelete()
                        .setMatch(match).setOutPort(OFPort.ANY);
                if (f.getVersion() != org.projectfloodlight.openflow.protocol.OFVersion.OF_10) {
                    delete.setCookie(context.flows().cookie()).setCookieMask(context.flows().cookieMask())
                            .setTableId(org.projectfloodlight.openflow.types.TableId.ALL)
                            .setOutGroup(org.projectfloodlight.openflow.types.OFGroup.ANY);
                }
                sw.write(delete.build());
            }
        }
    }

    private void flowRemoved(OFSwitch sw, OFMessage message) {
        OFFlowRemoved removed = (OFFlowRemoved) message;
        if (!AppCookies.isOf(removed.getCookie(), COOKIE_NUMBER)) {
            return;
        }
        OFFlowRemovedReason reason = removed.getReason();
        if (reason == OFFlowRemovedReason.IDLE_TIMEOUT || reason == OFFlowRemovedReason.HARD_TIMEOUT) {
            routes.expired(removed.getCookie().getValue() & AppCookies.TAG_MASK, sw.id());
        }
    }
}
