package dev.switchboard.controller.app;

import dev.switchboard.controller.ControllerRole;
import dev.switchboard.controller.Listeners;
import dev.switchboard.controller.NotMasterException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * flow by flow) and additions are written in chunks of {@value #CHUNK} flow-mods, each followed
 * by a barrier, the next chunk once its reply is in: what waits for the switch stays far below
 * its outbound budget, which would otherwise refuse the rest of a large plan silently. Once the
 * last barrier is answered the apps hear {@code switchAdded}; until then their packet-in
 * processors pass the switch's packets on ({@code CONTINUE}), so an app never installs a flow
 * that a plan made from an older read would delete. A barrier that fails (timeout, the switch
 * busy) closes the connection, and one that closes is left unserved: the next connection is
 * reconciled afresh.
 *
 * <p>Threads: the flow stats reply and the barrier replies, and so {@code reconcile} and the
 * apps' {@code switchAdded}, arrive on the switch's event loop; nothing waits. A connection's
 * progress is one atomic {@link State}, moved by compare-and-set, and listeners are called
 * outside any lock: an app hears {@code switchRemoved} only after it heard {@code
 * switchAdded} for that connection (a removal that comes while the switch is being announced
 * is passed on by the announcing thread once it is done), and never {@code switchAdded} after
 * {@code switchRemoved}. The packet path takes no lock (one volatile read while no switch is
 * being reconciled).
 */
final class SwitchReconciler implements SwitchListener, SwitchService {
    private static final Logger log = LoggerFactory.getLogger(SwitchReconciler.class);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final U64 SWITCHBOARD = U64.of(AppCookies.SWITCHBOARD);
    private static final long PREFIX_MASK = 0xFFFF_0000_0000_0000L;
    /** Flow-mods written before a barrier: ~50 KiB of strict deletes, a small part of a peer's budget. */
    static final int CHUNK = 512;

    private final SwitchService controller;
    /**
     * The running apps by cookie number, in start order: an immutable map, replaced when an app
     * starts or stops at run time, so a reconcile on an event loop reads one consistent set.
     */
    private volatile Map<Integer, SwitchboardApp> apps = Map.of();
    /** Apps' switch listeners: they hear a switch once it is reconciled. */
    private final Listeners<SwitchListener> listeners = new Listeners<>();
    /** Connections seen (identity: a reconnected datapath is a new key), until removed. */
    private final Map<OFSwitch, Connection> connections = new ConcurrentHashMap<>();
    /** Connections not yet served; while zero the packet path only reads it. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Registration registration;

    SwitchReconciler(SwitchService controller) {
        this.controller = controller;
    }

    void add(SwitchboardApp app) {
        Map<Integer, SwitchboardApp> next = new java.util.LinkedHashMap<>(apps);
        next.put(app.cookieNumber(), app);
        apps = java.util.Collections.unmodifiableMap(next);
    }

    /** The app stopped: a switch that connects from now on has its flows deleted as orphans. */
    void remove(SwitchboardApp app) {
        Map<Integer, SwitchboardApp> next = new java.util.LinkedHashMap<>(apps);
        next.remove(app.cookieNumber(), app);
        apps = java.util.Collections.unmodifiableMap(next);
    }

    /**
     * Reconciles the switches served now for {@code app}, started at run time after them (see
     * {@link #add}; switches connecting later are reconciled with it like with every app): its
     * flows on each are read back by its cookie, its {@code reconcile} plan is written (chunks
     * and barriers, as for a connection), then {@code announce} tells the app of the switch.
     * Runs on the switches' event loops; nothing waits. A switch whose read or barrier fails is
     * announced without its plan (logged), as a connecting one is.
     *
     * @return completes when every such switch was announced to the app (or went away)
     */
    java.util.concurrent.CompletableFuture<Void> adopt(SwitchboardApp app, java.util.function.Consumer<OFSwitch> announce) {
        U64 cookie = AppCookies.cookie(app);
        List<java.util.concurrent.CompletableFuture<Void>> done = new ArrayList<>();
        for (Connection connection : connections.values()) {
            if (!connection.state.get().served) {
                continue; // pending: reconciled with the app once its read completes, if the app was added before
            }
            OFSwitch sw = connection.sw;
            OFFactory f = sw.factory();
            OFFlowStatsRequest.Builder request = f.buildFlowStatsRequest()
                    .setMatch(f.matchWildcardAll()).setTableId(TableId.ALL).setOutPort(OFPort.ANY);
            if (f.getVersion() != OFVersion.OF_10) {
                request.setCookie(cookie).setCookieMask(U64.of(AppCookies.APP_MASK)).setOutGroup(OFGroup.ANY);
            }
            done.add(sw.requestStats(request.build(), READ_TIMEOUT).handle((replies, failure) -> {
                List<OFMessage> out = new ArrayList<>();
                if (failure != null) {
                    log.warn("switch {}: could not read app {}'s flows back ({}); the app serves it without reconciling",
                            sw.id(), app.name(), failure.toString());
                } else {
                    List<OFFlowStatsEntry> flows = replies.stream().flatMap(r -> r.getEntries().stream())
                            .filter(flow -> (flow.getCookie().getValue() & AppCookies.APP_MASK) == cookie.getValue())
                            .toList();
                    try {
                        FlowPlan plan = app.reconcile(sw, flows);
                        if (plan != null) {
                            plan.delete().forEach(flow -> out.add(deleteStrict(f, flow)));
                            out.addAll(plan.add());
                        }
                    } catch (RuntimeException ex) {
                        log.warn("app {} failed to reconcile switch {}; its flows there are kept", app.name(), sw.id(), ex);
                    }
                }
                return out;
            }).thenCompose(out -> writeChunks(sw, out, 0)).handle((ok, failure) -> {
                if (isServed(sw)) {
                    announce.accept(sw);
                }
                return null;
            }));
        }
        return java.util.concurrent.CompletableFuture.allOf(done.toArray(java.util.concurrent.CompletableFuture[]::new));
    }

    /** Writes {@code out} from {@code from} on, a chunk and a barrier at a time. */
    private static java.util.concurrent.CompletableFuture<Void> writeChunks(OFSwitch sw, List<OFMessage> out, int from) {
        if (from >= out.size() || !sw.isConnected()) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        int to = Math.min(out.size(), from + CHUNK);
        sw.writeAll(out.subList(from, to));
        return sw.barrier().thenCompose(reply -> writeChunks(sw, out, to));
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
        return isServed(sw);
    }

    /** {@code processor}, passing on the packets of a switch not yet served. */
    PacketInProcessor gate(PacketInProcessor processor) {
        return (sw, packetIn) -> serves(sw) ? processor.process(sw, packetIn) : Disposition.CONTINUE;
    }

    // --- the controller's events ---

    @Override
    public void switchAdded(OFSwitch sw) {
        boolean mastered = sw.controllerRole().writes();
        Connection connection = new Connection(sw, mastered ? State.PENDING : State.WAITING);
        if (connections.putIfAbsent(sw, connection) != null) {
            return; // seen by arm() and by the listener both
        }
        pending.incrementAndGet();
        if (mastered) {
            readBack(connection);
        }
    }

    /**
     * In a cluster. MASTER: a switch waiting for its mastership is reconciled now, exactly as a
     * connecting one is (its flows read back, each app's plan written, then {@code switchAdded}),
     * and the apps hear the role change after. SLAVE: the apps hear the role change and then
     * {@code switchRemoved}: to them a switch this instance does not master is not served (they
     * must not write to it, and could not); it waits, and is reconciled again if the mastership
     * comes back. Both arrive on the switch's event loop, as the reconciliation's own steps do, so
     * they never interleave with an announcement.
     */
    @Override
    public void switchRoleChanged(OFSwitch sw, ControllerRole role) {
        Connection connection = connections.get(sw);
        if (connection == null) {
            return;
        }
        if (role.writes()) {
            if (connection.state.compareAndSet(State.WAITING, State.PENDING)) {
                log.info("switch {}: this instance masters it now; reconciling its flows", sw.id());
                readBack(connection);
            }
            return;
        }
        while (true) {
            State state = connection.state.get();
            if (state == State.PENDING) {
                if (connection.state.compareAndSet(State.PENDING, State.WAITING)) {
                    return; // its plan stops at the next chunk; reconciled afresh when mastered again
                }
            } else if (state == State.SERVED) {
                if (connection.state.compareAndSet(State.SERVED, State.WAITING)) {
                    pending.incrementAndGet();
                    listeners.fire("switchRoleChanged", l -> l.switchRoleChanged(sw, role));
                    listeners.fire("switchRemoved", l -> l.switchRemoved(sw));
                    return;
                }
            } else {
                return; // waiting already, or gone
            }
        }
    }

    /** Reads the switch's Switchboard flows back, then reconciles them with the apps. */
    private void readBack(Connection connection) {
        OFSwitch sw = connection.sw;
        int attempt = connection.attempts.incrementAndGet(); // a read of an earlier mastership is dropped
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
                    remove(connection);
                    return;
                }
                log.warn("switch {}: could not read its flows back ({}); apps serve it without reconciling",
                        sw.id(), cause.toString());
                replies = List.of();
            }
            reconcile(connection, attempt, replies);
        });
    }

    @Override
    public void switchRemoved(OFSwitch sw) {
        Connection connection = connections.get(sw);
        if (connection != null) {
            remove(connection);
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
        if (connection != null && connection.state.get() == State.SERVED) {
            listeners.fire("switch event", event);
        }
    }

    /**
     * The connection went: never served, it is dropped; served, the apps hear {@code
     * switchRemoved}; being announced, the announcing thread tells them once it is done.
     */
    private void remove(Connection connection) {
        connections.remove(connection.sw, connection);
        while (true) {
            State state = connection.state.get();
            State next = switch (state) {
                case WAITING, PENDING, SERVED -> State.GONE;
                case ANNOUNCING -> State.GONE_WHILE_ANNOUNCING;
                case GONE, GONE_WHILE_ANNOUNCING -> null;
            };
            if (next == null) {
                return;
            }
            if (connection.state.compareAndSet(state, next)) {
                if (state == State.PENDING || state == State.WAITING) {
                    pending.decrementAndGet();
                } else if (state == State.SERVED) {
                    OFSwitch sw = connection.sw;
                    listeners.fire("switchRemoved", l -> l.switchRemoved(sw));
                }
                return;
            }
        }
    }

    // --- reconciling ---

    private void reconcile(Connection connection, int attempt, List<OFFlowStatsReply> replies) {
        OFSwitch sw = connection.sw;
        Map<Integer, SwitchboardApp> running = apps; // one set for the whole plan
        Map<Integer, List<OFFlowStatsEntry>> byApp = new HashMap<>();
        List<OFFlowStatsEntry> orphans = new ArrayList<>();
        for (OFFlowStatsReply reply : replies) {
            for (OFFlowStatsEntry flow : reply.getEntries()) {
                long cookie = flow.getCookie().getValue();
                int number = (int) (cookie >>> 40) & 0xFF;
                if ((cookie & PREFIX_MASK) != AppCookies.SWITCHBOARD || number == 0) {
                    continue; // not ours (1.0 reads every flow), or the controller's table-miss flow
                }
                if (running.containsKey(number)) {
                    byApp.computeIfAbsent(number, n -> new ArrayList<>()).add(flow);
                } else {
                    orphans.add(flow);
                }
            }
        }
        List<OFMessage> out = new ArrayList<>();
        for (Map.Entry<Integer, SwitchboardApp> e : running.entrySet()) {
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
        apply(connection, attempt, out, 0);
    }

    /**
     * Writes the plan's flow-mods from {@code from} on, one chunk and a barrier at a time, and
     * announces the switch once the last barrier is answered. Stops when the connection went.
     */
    private void apply(Connection connection, int attempt, List<OFMessage> out, int from) {
        OFSwitch sw = connection.sw;
        if (connection.state.get() != State.PENDING || connection.attempts.get() != attempt || !sw.isConnected()) {
            return; // its removal drops it, now or soon; or a demotion (and maybe a newer mastership) overtook it
        }
        if (from >= out.size()) {
            announce(connection);
            return;
        }
        int to = Math.min(out.size(), from + CHUNK);
        try {
            sw.writeAll(out.subList(from, to));
        } catch (NotMasterException demoted) {
            log.info("switch {}: mastership lost while reconciling ({} of {} flow-mods written); the next master"
                    + " reconciles it", sw.id(), from, out.size());
            return; // the demotion's event moves it back to waiting
        }
        sw.barrier().whenComplete((reply, failure) -> {
            if (failure == null) {
                apply(connection, attempt, out, to);
                return;
            }
            if (sw.isConnected() && connection.state.get() == State.PENDING && connection.attempts.get() == attempt) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                log.warn("switch {}: no barrier reply after {} of {} reconciling flow-mods ({}); closing it,"
                        + " its next connection is reconciled again", sw.id(), to, out.size(), cause.toString());
                sw.disconnect();
            }
        });
    }

    /** Tells the apps of the switch, then passes on a removal that came meanwhile. */
    private void announce(Connection connection) {
        if (!connection.state.compareAndSet(State.PENDING, State.ANNOUNCING)) {
            return;
        }
        pending.decrementAndGet();
        OFSwitch sw = connection.sw;
        listeners.fire("switchAdded", l -> l.switchAdded(sw));
        if (!connection.state.compareAndSet(State.ANNOUNCING, State.SERVED)) {
            connection.state.set(State.GONE); // GONE_WHILE_ANNOUNCING: its remover left the news to us
            listeners.fire("switchRemoved", l -> l.switchRemoved(sw));
            return;
        }
        ControllerRole role = sw.controllerRole();
        if (role == ControllerRole.MASTER) {
            listeners.fire("switchRoleChanged", l -> l.switchRoleChanged(sw, role));
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
        return c != null && c.state.get().served;
    }

    @Override
    public Registration addSwitchListener(SwitchListener listener) {
        return listeners.add(listener);
    }

    @Override
    public Registration addErrorListener(SwitchErrorListener listener) {
        return controller.addErrorListener(listener);
    }

    @Override
    public Registration addMessageListener(OFType type, MessageListener listener) {
        return controller.addMessageListener(type, listener);
    }

    /**
     * Where a connection is, moved by compare-and-set; forward only, except that in a cluster a
     * demotion takes it back to WAITING.
     */
    enum State {
        /** In a cluster, not mastered by this instance: not read back, not served; mastered, it goes to PENDING. */
        WAITING(false),
        /** Being read back and reconciled; its packets pass the apps by. */
        PENDING(false),
        /** Reconciled; the apps are hearing {@code switchAdded} (it counts as served meanwhile). */
        ANNOUNCING(true),
        SERVED(true),
        /** Removed while being announced: the announcing thread tells the apps when done. */
        GONE_WHILE_ANNOUNCING(false),
        GONE(false);

        final boolean served;

        State(boolean served) {
            this.served = served;
        }
    }

    /** One connection's progress. */
    private static final class Connection {
        final OFSwitch sw;
        final AtomicReference<State> state;
        /** Read-backs started: in a cluster a switch mastered again starts a new one, and the older one's plan is dropped. */
        final AtomicInteger attempts = new AtomicInteger();

        Connection(OFSwitch sw, State initial) {
            this.sw = sw;
            this.state = new AtomicReference<>(initial);
        }
    }
}
