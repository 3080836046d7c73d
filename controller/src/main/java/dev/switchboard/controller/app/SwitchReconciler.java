package dev.switchboard.controller.app;

import dev.switchboard.controller.MessageListener;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.PacketInProcessor;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchDisconnectedException;
import dev.switchboard.controller.SwitchErrorListener;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.SwitchService;
import dev.switchboard.controller.Disposition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the controller's switches and the apps, so that a controller restart is no
 * outage: a switch that connects is first <em>reconciled</em> and only then served.
 *
 * <p>Reconciling a switch: its Switchboard flows are read back once (one flow-stats request;
 * from 1.1 on by cookie {@code 0x5342…} and mask, 1.0 has no cookie mask so every flow is read
 * and filtered here), split by the app number in their cookie, and each running app's
 * {@link SwitchboardApp#reconcile} says which of its flows to keep, delete and add. Flows of an
 * app that no longer runs are deleted; the controller's own table-miss flow is left to the
 * handshake. Nothing is flushed: what is kept carries traffic throughout. The deletions (strict,
 * flow by flow) and additions are written, and then the apps hear {@code switchAdded}; until
 * then their packet-in processors pass the switch's packets on ({@code CONTINUE}), so an app
 * never installs a flow that a plan made from an older read would delete.
 *
 * <p>Threads: the flow stats reply, and so {@code reconcile} and the apps' {@code switchAdded},
 * arrive on the switch's event loop. Announcing and removing a switch take that switch's
 * monitor, as the registry's own membership events take its lock: they are rare, and the packet
 * path takes none (one volatile read while no switch is being reconciled).
 */
final class SwitchReconciler implements SwitchListener, SwitchService {
    private static final Logger log = LoggerFactory.getLogger(SwitchReconciler.class);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final U64 SWITCHBOARD = U64.of(AppCookies.SWITCHBOARD);
    private static final long PREFIX_MASK = 0xFFFF_0000_0000_0000L;

    private final SwitchService controller;
    /** The running apps by cookie number, in start order; filled before {@link #arm}. */
    private final Map<Integer, SwitchboardApp> apps = new java.util.LinkedHashMap<>();
    /** Apps' switch listeners: they hear a switch once it is reconciled. */
    private final List<SwitchListener> listeners = new CopyOnWriteArrayList<>();
    /** Connections seen (identity: a reconnected datapath is a new key), until removed. */
    private final Map<OFSwitch, Connection> connections = new ConcurrentHashMap<>();
    /** Connections not yet served; while zero the packet path only reads it. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Registration registration;

    SwitchReconciler(SwitchService controller) {
        this.controller = controller;
    }

    void add(SwitchboardApp app) {
        apps.put(AppCookies.number(app.name()), app);
    }

    /**
     * Starts reconciling: once every app has started, so every app's {@code reconcile} can be
     * asked. Switches already connected are reconciled now.
     */
    void arm() {
        registration = controller.addSwitchListener(this);
        controller.switches().forEach(this::switchAdded);
    }

    void disarm() {
        Registration r = registration;
        if (r != null) {
            r.close();
        }
    }

    /** Whether the app may see this switch's packets: it has been reconciled and announced. */
    boolean serves(OFSwitch sw) {
        if (pending.get() == 0) {
            return true;
        }
        Connection c = connections.get(sw);
        return c != null && c.served;
    }

    /** {@code processor}, passing on the packets of a switch not yet served. */
    PacketInProcessor gate(PacketInProcessor processor) {
        return (sw, packetIn) -> serves(sw) ? processor.process(sw, packetIn) : Disposition.CONTINUE;
    }

    // --- the controller's events ---

    @Override
    public void switchAdded(OFSwitch sw) {
        Connection connection = new Connection(sw);
        if (connections.putIfAbsent(sw, connection) != null) {
            return; // seen by arm() and by the listener both
        }
        pending.incrementAndGet();
        OFFactory f = sw.factory();
        OFFlowStatsRequest.Builder request = f.buildFlowStatsRequest()
                .setMatch(f.matchWildcardAll())
                .setTableId(TableId.ALL)
                .setOutPort(OFPort.ANY);
        if (f.getVersion() != OFVersion.OF_10) {
            request.setCookie(SWITCHBOARD).setCookieMask(U64.of(PREFIX_MASK)).setOutGroup(OFGroup.ANY);
        }
        sw.requestStats(request.build(), READ_TIMEOUT).whenComplete((replies, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof SwitchDisconnectedException || !sw.isConnected()) {
                    forget(connection);
                    return;
                }
                log.warn("switch {}: could not read its flows back ({}); apps serve it without reconciling",
                        sw.id(), cause.toString());
                replies = List.of();
            }
            reconcile(connection, replies);
        });
    }

    @Override
    public void switchRemoved(OFSwitch sw) {
        Connection connection = connections.get(sw);
        if (connection == null) {
            return;
        }
        boolean wasServed;
        synchronized (connection) {
            wasServed = connection.served;
            forget(connection);
        }
        if (wasServed) {
            fire(l -> l.switchRemoved(sw));
        }
    }

    @Override
    public void portAdded(OFSwitch sw, OFPortDesc port) {
        ifServed(sw, l -> l.portAdded(sw, port));
    }

    @Override
    public void portChanged(OFSwitch sw, OFPortDesc before, OFPortDesc after) {
        ifServed(sw, l -> l.portChanged(sw, before, after));
    }

    @Override
    public void portRemoved(OFSwitch sw, OFPortDesc port) {
        ifServed(sw, l -> l.portRemoved(sw, port));
    }

    /**
     * A port event of a switch still being reconciled is not passed on: the apps hear of the
     * switch afterwards, with its ports as they are then.
     */
    private void ifServed(OFSwitch sw, java.util.function.Consumer<SwitchListener> event) {
        Connection connection = connections.get(sw);
        if (connection != null && connection.served) {
            fire(event);
        }
    }

    private void forget(Connection connection) {
        synchronized (connection) {
            if (connections.remove(connection.sw, connection) && !connection.served) {
                pending.decrementAndGet();
            }
            connection.served = false;
            connection.gone = true;
        }
    }

    // --- reconciling ---

    private void reconcile(Connection connection, List<OFFlowStatsReply> replies) {
        OFSwitch sw = connection.sw;
        Map<Integer, List<OFFlowStatsEntry>> byApp = new HashMap<>();
        List<OFFlowStatsEntry> orphans = new ArrayList<>();
        for (OFFlowStatsReply reply : replies) {
            for (OFFlowStatsEntry flow : reply.getEntries()) {
                long cookie = flow.getCookie().getValue();
                int number = (int) (cookie >>> 40) & 0xFF;
                if ((cookie & PREFIX_MASK) != AppCookies.SWITCHBOARD || number == 0) {
                    continue; // not ours (1.0 reads every flow), or the controller's table-miss flow
                }
                if (apps.containsKey(number)) {
                    byApp.computeIfAbsent(number, n -> new ArrayList<>()).add(flow);
                } else {
                    orphans.add(flow);
                }
            }
        }
        List<OFMessage> out = new ArrayList<>();
        for (Map.Entry<Integer, SwitchboardApp> e : apps.entrySet()) {
            SwitchboardApp app = e.getValue();
            List<OFFlowStatsEntry> flows = byApp.getOrDefault(e.getKey(), List.of());
            FlowPlan plan;
            try {
                plan = app.reconcile(sw, List.copyOf(flows));
            } catch (RuntimeException ex) {
                log.warn("app {} failed to reconcile switch {}; its {} flows there are kept",
                        app.name(), sw.id(), flows.size(), ex);
                continue;
            }
            if (plan == null) {
                continue;
            }
            plan.delete().forEach(flow -> out.add(deleteStrict(sw.factory(), flow)));
            out.addAll(plan.add());
            if (!plan.isEmpty()) {
                log.info("{} on switch {}: {} flows kept, {} deleted, {} added", app.name(), sw.id(),
                        plan.keep().size(), plan.delete().size(), plan.add().size());
            }
        }
        if (!orphans.isEmpty()) {
            orphans.forEach(flow -> out.add(deleteStrict(sw.factory(), flow)));
            log.info("switch {}: {} flows of apps not running deleted", sw.id(), orphans.size());
        }
        synchronized (connection) {
            if (connection.gone || !sw.isConnected()) {
                return;
            }
            if (!out.isEmpty()) {
                sw.writeAll(out);
            }
            connection.served = true;
            pending.decrementAndGet();
            fire(l -> l.switchAdded(sw));
        }
    }

    /**
     * Exactly this flow: from 1.1 on by table, match, priority and its whole cookie; 1.0 has no
     * cookie in a delete, so there the match and priority name it.
     */
    static OFMessage deleteStrict(OFFactory f, OFFlowStatsEntry flow) {
        var delete = f.buildFlowDeleteStrict()
                .setMatch(flow.getMatch())
                .setPriority(flow.getPriority())
                .setOutPort(OFPort.ANY);
        if (f.getVersion() != OFVersion.OF_10) {
            delete.setTableId(flow.getTableId()).setCookie(flow.getCookie()).setCookieMask(U64.of(-1L))
                    .setOutGroup(OFGroup.ANY);
        }
        return delete.build();
    }

    private void fire(java.util.function.Consumer<SwitchListener> event) {
        for (SwitchListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                log.warn("switch listener {} failed", listener, e);
            }
        }
    }

    // --- the apps' view: only served switches ---

    @Override
    public Collection<OFSwitch> switches() {
        return controller.switches().stream().filter(this::isServed).toList();
    }

    @Override
    public Optional<OFSwitch> getSwitch(DatapathId id) {
        return controller.getSwitch(id).filter(this::isServed);
    }

    boolean isServed(OFSwitch sw) {
        Connection c = connections.get(sw);
        return c != null && c.served;
    }

    @Override
    public Registration addSwitchListener(SwitchListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public Registration addErrorListener(SwitchErrorListener listener) {
        return controller.addErrorListener(listener);
    }

    @Override
    public Registration addMessageListener(OFType type, MessageListener listener) {
        return controller.addMessageListener(type, listener);
    }

    /** One connection's progress; {@code served} and {@code gone} change under its monitor. */
    private static final class Connection {
        final OFSwitch sw;
        volatile boolean served;
        boolean gone;

        Connection(OFSwitch sw) {
            this.sw = sw;
        }
    }
}
