package dev.switchboard.apps.l2;

import dev.switchboard.apps.common.FlowTimeouts;
import dev.switchboard.apps.common.LinkLosses;
import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.OFSwitch;
import jakarta.inject.Inject;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.FlowEntries;
import dev.switchboard.controller.app.FlowPlan;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.topology.TopologyEvent;
import dev.switchboard.topology.TopologyService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's "virtual switch": every switch learns on its own which port each MAC is behind,
 * installs a flow for a destination it knows, and floods along the spanning tree otherwise.
 * Each switch's table lives on that switch's event loop; no lock is taken per packet.
 */
public final class L2LearningApp implements SwitchboardApp {
    private static final Logger log = LoggerFactory.getLogger(L2LearningApp.class);

    private final Map<DatapathId, Attached> switches = new ConcurrentHashMap<>();
    /**
     * Tables {@link #reconcile} made, published in {@code switchAdded}: a connection that closes
     * before it is served is never announced (nor removed), so its table must not be in {@link
     * #switches}. One per datapath; an entry whose connection closed is dropped at the next
     * reconcile of any switch, or replaced when that datapath reconnects.
     */
    private final Map<DatapathId, Attached> reconciled = new ConcurrentHashMap<>();
    /** The flow-cookie number of the app's flows; fixed so running switches' flows stay its own. */
    public static final int COOKIE_NUMBER = 0x04;

    private AppContext context;
    private final TopologyService topology;
    /** Grows with every topology change that removed a link; tables older than it are flushed. */
    private final AtomicLong linkLosses = new AtomicLong();
    private L2LearningConfig config;

    /** Describes the app, for {@link java.util.ServiceLoader}; the running one is injected. */
    public L2LearningApp() {
        this(null);
    }

    @Inject
    public L2LearningApp(TopologyService topology) {
        this.topology = topology;
    }

    @Override
    public String name() {
        return "l2-learning";
    }

    @Override
    public String description() {
        return "per-switch MAC learning; floods along the spanning tree";
    }

    @Override
    public int cookieNumber() {
        return COOKIE_NUMBER;
    }

    @Override
    public List<Class<?>> consumes() {
        return List.of(TopologyService.class);
    }

    @Override
    public int pipelineOrder() {
        return PipelineOrder.L2_LEARNING;
    }

    @Override
    public void start(AppContext context) {
        this.context = context;
        this.config = context.config().bind(L2LearningConfig.class);
        context.switches().addSwitchListener(new TableKeeper());
        topology.addListener(this::topologyChanged); // the context removes it when the app stops
        context.switches().switches().forEach(this::attachedOf);
        context.addPacketInProcessor(this::process);
        log.info("l2-learning: idle {} s, hard {} s, priority {}, at most {} MACs per switch",
                config.idleTimeout().toSeconds(), config.hardTimeout().toSeconds(), config.priority(),
                config.maxMacsPerSwitch());
    }

    /**
     * Keeps the flows this app would still install and re-learns its MAC table from them, so
     * a restarted controller goes on where the last one stopped: traffic on those flows never
     * reaches the controller. Flows out of or into a port that went or is down, of another
     * priority, or naming a MAC that moved are deleted. Runs on the switch's event loop,
     * before the switch is served, so the table is still confined to it.
     */
    @Override
    public FlowPlan reconcile(OFSwitch sw, List<OFFlowStatsEntry> flows) {
        Attached attached = attach(sw);
        reconciled.values().removeIf(made -> !made.sw().isConnected());
        reconciled.put(sw.id(), attached);
        Map<OFPort, OFPortDesc> ports = sw.ports();
        List<OFFlowStatsEntry> stale = attached.table().adopt(flows, port -> FlowEntries.isLive(ports, port));
        java.util.Set<OFFlowStatsEntry> gone = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        gone.addAll(stale);
        List<OFFlowStatsEntry> kept = flows.stream().filter(f -> !gone.contains(f)).toList();
        if (!kept.isEmpty()) {
            log.info("l2-learning: switch {} re-learnt {} MACs from {} flows it kept", sw.id(),
                    attached.table().macs().size(), kept.size());
        }
        return new FlowPlan(kept, stale, List.of());
    }

    @Override
    public void stop() {
        switches.clear();
        reconciled.clear();
    }

    private Disposition process(OFSwitch sw, OFPacketIn packetIn) {
        Attached attached = attachedOf(sw);
        attached.table().forgetAllUnless(linkLosses.get());
        return attached.table().handle(packetIn, topology.current(), attached.out());
    }

    /**
     * A link that goes changes the spanning tree, and MACs learned along the old tree may now
     * point the wrong way, on switches that saw no port event at all (the far side of a cut,
     * a link that expired): like STP's topology change, every switch forgets what it learned
     * and the app's flows are deleted. The tables are cleared by their own event loops, at
     * their next packet-in, so they stay confined to them.
     */
    private void topologyChanged(TopologyEvent event) {
        if (LinkLosses.of(event).isEmpty()) {
            return;
        }
        linkLosses.incrementAndGet();
        context.switches().switches().forEach(sw -> context.flows().removeAll(sw));
    }

    /** The switch's table; made here too for a switch that was ready before the app started. */
    private Attached attachedOf(OFSwitch sw) {
        Attached attached = switches.get(sw.id());
        if (attached != null && attached.sw() == sw) {
            return attached;
        }
        return switches.compute(sw.id(), (id, old) -> old != null && old.sw() == sw ? old : attach(sw));
    }

    private Attached attach(OFSwitch sw) {
        L2Switch table = new L2Switch(sw.id(), sw.factory(), context.flows().cookie(), config.priority(),
                FlowTimeouts.seconds("idleTimeout", config.idleTimeout()),
                FlowTimeouts.seconds("hardTimeout", config.hardTimeout()),
                config.maxMacsPerSwitch());
        // born current: link losses before it must not clear what reconcile() is about to teach it
        table.forgetAllUnless(linkLosses.get());
        return new Attached(sw, table, sw::write);
    }

    /** Tables reconciled and not yet published, for tests. */
    int reconciledTables() {
        return reconciled.size();
    }

    /** The table of the switch with this id, for tests. */
    L2Switch table(DatapathId dpid) {
        Attached attached = switches.get(dpid);
        return attached == null ? null : attached.table();
    }

    /** A switch's table and the sink its messages go to, made once so the packet path allocates no lambda. */
    private record Attached(OFSwitch sw, L2Switch table, Consumer<OFMessage> out) {
    }

    /** Tables follow switches; MACs behind a port that went away or down are forgotten. */
    private final class TableKeeper implements SwitchListener {
        @Override
        public void switchAdded(OFSwitch sw) {
            Attached made = reconciled.get(sw.id());
            if (made != null && made.sw() == sw && reconciled.remove(sw.id(), made)) {
                switches.put(sw.id(), made); // the table reconcile() made, with what it learnt
            } else {
                attachedOf(sw);
            }
        }

        @Override
        public void switchRemoved(OFSwitch sw) {
            // Only this connection's table: a newer connection's may already be there.
            switches.computeIfPresent(sw.id(), (id, attached) -> attached.sw() == sw ? null : attached);
        }

        @Override
        public void portRemoved(OFSwitch sw, OFPortDesc port) {
            forget(sw, port);
        }

        @Override
        public void portChanged(OFSwitch sw, OFPortDesc before, OFPortDesc after) {
            if (isDown(after) && !isDown(before)) {
                forget(sw, after);
            }
        }

        private void forget(OFSwitch sw, OFPortDesc port) {
            Attached attached = switches.get(sw.id());
            if (attached != null) {
                attached.table().forgetPort(port.getPortNo());
            }
            // Flows learned through the port would black-hole traffic until they time out.
            OFFactory f = sw.factory();
            OFPort number = port.getPortNo();
            sw.write(deleteOwn(f, f.buildMatch().setExact(MatchField.IN_PORT, number).build(), OFPort.ANY));
            sw.write(deleteOwn(f, f.matchWildcardAll(), number));
        }

        /** 1.0 has no cookie mask: there a dead port's flows go whoever installed them. */
        private OFFlowDelete deleteOwn(OFFactory f, Match match, OFPort outPort) {
            OFFlowDelete.Builder delete = f.buildFlowDelete().setMatch(match).setOutPort(outPort);
            if (f.getVersion() != OFVersion.OF_10) {
                delete.setCookie(context.flows().cookie()).setCookieMask(context.flows().cookieMask())
                        .setTableId(TableId.ALL).setOutGroup(OFGroup.ANY);
            }
            return delete.build();
        }

        private boolean isDown(OFPortDesc port) {
            return port.getConfig().contains(OFPortConfig.PORT_DOWN) || port.getState().contains(OFPortState.LINK_DOWN);
        }
    }
}
