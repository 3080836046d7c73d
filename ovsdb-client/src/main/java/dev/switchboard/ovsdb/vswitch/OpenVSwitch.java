package dev.switchboard.ovsdb.vswitch;

import dev.switchboard.ovsdb.client.MonitorRequest;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.ovsdb.client.Replica;
import dev.switchboard.ovsdb.client.Replica.Snapshot;
import dev.switchboard.ovsdb.data.Row;
import dev.switchboard.ovsdb.ops.OperationResult;
import dev.switchboard.ovsdb.ops.OvsdbTransactionException;
import dev.switchboard.ovsdb.ops.Wait;
import dev.switchboard.ovsdb.vswitch.Views.BridgeView;
import dev.switchboard.ovsdb.vswitch.Views.ControllerView;
import dev.switchboard.ovsdb.vswitch.Views.InterfaceView;
import dev.switchboard.ovsdb.vswitch.Views.PortView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open_vSwitch database as {@code ovs-vsctl} users know it: bridges, ports, interfaces,
 * controllers and managers, read from the client's replica and changed in batches that
 * commit as one transaction.
 *
 * <p>Like {@code ovs-vsctl}, a batch by default waits until {@code ovs-vswitchd} has applied it
 * ({@code cur_cfg} reaches the {@code next_cfg} the batch set) and then reports the new
 * interfaces' OpenFlow port numbers. When a concurrent writer changed a column the batch was
 * based on, the transaction fails at its {@code wait}, and the batch is planned again on the
 * newer replica and retried.
 */
public final class OpenVSwitch {
    private static final Logger log = LoggerFactory.getLogger(OpenVSwitch.class);
    public static final String DATABASE = "Open_vSwitch";

    private final OvsdbClient client;

    public OpenVSwitch(OvsdbClient client) {
        this.client = client;
    }

    /** The tables and columns this layer needs replicated. */
    public static Replica newReplica() {
        Map<String, MonitorRequest> tables = new LinkedHashMap<>();
        tables.put("Open_vSwitch", MonitorRequest.columns("bridges", "manager_options", "next_cfg", "cur_cfg", "ovs_version",
                "external_ids"));
        tables.put("Bridge", MonitorRequest.columns("name", "datapath_type", "datapath_id", "fail_mode", "protocols",
                "other_config", "external_ids", "ports", "controller"));
        tables.put("Port", MonitorRequest.columns("name", "interfaces", "tag", "trunks"));
        tables.put("Interface", MonitorRequest.columns("name", "type", "options", "ofport", "ofport_request", "error"));
        tables.put("Controller", MonitorRequest.columns("target", "is_connected"));
        tables.put("Manager", MonitorRequest.columns("target", "is_connected"));
        return new Replica(DATABASE, tables);
    }

    public OvsdbClient client() {
        return client;
    }

    // ---- reading

    public List<BridgeView> bridges() {
        Snapshot snapshot = client.replica().snapshot();
        return snapshot.rows("Bridge").values().stream()
                .map(row -> bridgeView(snapshot, row))
                .sorted(Comparator.comparing(BridgeView::name))
                .toList();
    }

    public Optional<BridgeView> bridge(String name) {
        Snapshot snapshot = client.replica().snapshot();
        return snapshot.findBy("Bridge", "name", name).map(row -> bridgeView(snapshot, row));
    }

    public List<String> managers() {
        Snapshot snapshot = client.replica().snapshot();
        return snapshot.rows("Manager").values().stream().map(r -> r.getString("target")).sorted().toList();
    }

    public Optional<String> ovsVersion() {
        return client.replica().snapshot().rows("Open_vSwitch").values().stream().findFirst()
                .flatMap(row -> row.getOptional("ovs_version", String.class));
    }

    /**
     * The Open_vSwitch row's {@code external_ids}: {@code system-id} names the host (set by its
     * provisioning, e.g. {@code vagrant/provision/hypervisor.sh}). Empty before the first sync.
     */
    public Map<String, String> externalIds() {
        return client.replica().snapshot().rows("Open_vSwitch").values().stream().findFirst()
                .map(row -> row.getMap("external_ids", String.class, String.class)).orElse(Map.of());
    }

    /** {@code external_ids:system-id}, the host's name, if its provisioning set one. */
    public Optional<String> systemId() {
        return Optional.ofNullable(externalIds().get("system-id")).filter(id -> !id.isBlank());
    }

    private static BridgeView bridgeView(Snapshot snapshot, Row bridge) {
        List<PortView> ports = new ArrayList<>();
        for (Object port : bridge.getSet("ports", Object.class)) {
            snapshot.row("Port", (UUID) port).ifPresent(row -> ports.add(portView(snapshot, row)));
        }
        ports.sort(Comparator.comparing(PortView::name));
        List<ControllerView> controllers = new ArrayList<>();
        for (Object controller : bridge.getSet("controller", Object.class)) {
            snapshot.row("Controller", (UUID) controller).ifPresent(row -> controllers.add(
                    new ControllerView(row.uuid(), row.getString("target"), row.getBoolean("is_connected"))));
        }
        return new BridgeView(bridge.uuid(), bridge.getString("name"), bridge.getString("datapath_type"),
                bridge.getOptional("datapath_id", String.class), bridge.getOptional("fail_mode", String.class),
                bridge.getSet("protocols", String.class), bridge.getMap("other_config", String.class, String.class),
                bridge.getMap("external_ids", String.class, String.class), controllers, ports);
    }

    private static PortView portView(Snapshot snapshot, Row port) {
        List<InterfaceView> interfaces = new ArrayList<>();
        for (Object iface : port.getSet("interfaces", Object.class)) {
            snapshot.row("Interface", (UUID) iface).ifPresent(row -> interfaces.add(interfaceView(row)));
        }
        return new PortView(port.uuid(), port.getString("name"), port.getOptional("tag", Long.class),
                port.getSet("trunks", Long.class), interfaces);
    }

    private static InterfaceView interfaceView(Row row) {
        return new InterfaceView(row.uuid(), row.getString("name"), row.getString("type"),
                row.getMap("options", String.class, String.class), row.getOptional("ofport", Long.class),
                row.getOptional("error", String.class));
    }

    // ---- declared state

    /**
     * Makes the database hold what is declared, changing only what differs: each bridge
     * exists with its declared settings and exactly {@code controllers} as its controllers.
     * Safe to call again and again (on every reconnection): when everything is as declared it
     * sends nothing.
     *
     * @return the changes it applied (empty when none were needed)
     */
    public CompletableFuture<List<Change>> ensure(List<BridgeSpec> declared, List<String> controllers) {
        return ensure(declared, controllers, List.of());
    }

    /**
     * {@link #ensure(List, List)}, and also the declared ports (tunnels, say), each on its bridge
     * with its type and exactly its options; a port of that name that differs is replaced in the
     * same transaction. Ports not declared are left alone.
     */
    public CompletableFuture<List<Change>> ensure(List<BridgeSpec> declared, List<String> controllers, List<PortSpec> ports) {
        List<Change> needed = neededFor(declared, controllers, ports);
        if (needed.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        // on a retry the replica is newer: what is needed is worked out again from it
        return attempt(() -> neededFor(declared, controllers, ports), ApplyOptions.DEFAULT, 1).thenApply(result -> needed);
    }

    private List<Change> neededFor(List<BridgeSpec> declared, List<String> controllers, List<PortSpec> declaredPorts) {
        List<Change> needed = bridgesNeeded(declared, controllers);
        Map<String, PortView> existing = new HashMap<>();
        Map<String, String> bridgeOf = new HashMap<>();
        for (BridgeView bridge : bridges()) {
            for (PortView port : bridge.ports()) {
                existing.put(port.name(), port);
                bridgeOf.put(port.name(), bridge.name());
            }
        }
        for (PortSpec port : declaredPorts) {
            PortView found = existing.get(port.name());
            if (found == null) {
                needed.add(new Change.AddPort(port, false));
            } else if (!port.bridge().equals(bridgeOf.get(port.name())) || !isAsDeclared(found, port)) {
                needed.add(new Change.DeletePort(null, port.name(), true));
                needed.add(new Change.AddPort(port, false));
            }
        }
        return needed;
    }

    private static boolean isAsDeclared(PortView port, PortSpec spec) {
        if (port.interfaces().size() != 1) {
            return false;
        }
        InterfaceView iface = port.interfaces().get(0);
        try {
            return iface.name().equals(spec.name()) && InterfaceType.of(iface.type()) == spec.type()
                    && iface.options().equals(spec.options());
        } catch (IllegalArgumentException typeWeDoNotMake) {
            return false;
        }
    }

    private List<Change> bridgesNeeded(List<BridgeSpec> declared, List<String> controllers) {
        List<Change> needed = new ArrayList<>();
        for (BridgeSpec spec : declared) {
            Optional<BridgeView> existing = bridge(spec.name());
            if (existing.isEmpty()) {
                needed.add(new Change.AddBridge(spec, true));
                needed.add(new Change.SetControllers(spec.name(), controllers));
                continue;
            }
            BridgeView bridge = existing.get();
            if (differs(bridge, spec)) {
                needed.add(new Change.ConfigureBridge(spec));
            }
            Set<String> targets = Set.copyOf(bridge.controllers().stream().map(ControllerView::target).toList());
            if (!targets.equals(Set.copyOf(controllers))) {
                needed.add(new Change.SetControllers(spec.name(), controllers));
            }
        }
        return needed;
    }

    private static boolean differs(BridgeView bridge, BridgeSpec spec) {
        return (spec.datapathType() != null && !spec.datapathType().equals(bridge.datapathType()))
                || (spec.failMode() != null && !Optional.of(spec.failMode()).equals(bridge.failMode()))
                || (!spec.protocols().isEmpty() && !spec.protocols().equals(bridge.protocols()))
                || !bridge.otherConfig().entrySet().containsAll(spec.otherConfig().entrySet())
                || !bridge.externalIds().entrySet().containsAll(spec.externalIds().entrySet());
    }

    // ---- changing

    /** Applies {@code changes} as one transaction with the default options. */
    public CompletableFuture<ChangeResult> apply(List<Change> changes) {
        return apply(changes, ApplyOptions.DEFAULT);
    }

    public CompletableFuture<ChangeResult> apply(List<Change> changes, ApplyOptions options) {
        List<Change> fixed = List.copyOf(changes);
        return attempt(() -> fixed, options, 1);
    }

    /** Applies and waits; for tools. Unwraps the cause of a failure. */
    public ChangeResult applyNow(List<Change> changes, ApplyOptions options) {
        try {
            return apply(changes, options).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new VSwitchException(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VSwitchException("interrupted", e);
        }
    }

    private CompletableFuture<ChangeResult> attempt(java.util.function.Supplier<List<Change>> changes, ApplyOptions options,
            int attempt) {
        Snapshot base = client.replica().snapshot();
        ChangePlanner.Plan plan;
        try {
            plan = ChangePlanner.plan(base, changes.get(), !options.noWait());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (plan.isEmpty()) {
            return CompletableFuture.completedFuture(ChangeResult.NOTHING);
        }
        return client.transact(plan.operations())
                .thenCompose(results -> committed(plan, results, options))
                .exceptionallyCompose(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (isConflict(cause) && attempt < options.attempts()) {
                        log.debug("{}: a concurrent change conflicted; planning again (attempt {})", client.name(), attempt + 1);
                        return client.replica().await(s -> s.version() > base.version(), Duration.ofSeconds(5))
                                .exceptionally(e -> null)
                                .thenComposeAsync(s -> attempt(changes, options, attempt + 1));
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    /**
     * Another writer got there first: a verified column changed (our {@code wait} "timed
     * out"), or it took a name we add (the commit's "constraint violation" on a name index).
     * Planned again on the newer replica, the batch then succeeds or says what is in the way.
     */
    private static boolean isConflict(Throwable failure) {
        return failure instanceof OvsdbTransactionException refused
                && ((refused.operation() instanceof Wait && "timed out".equals(refused.error()))
                || (refused.operation() == null && "constraint violation".equals(refused.error())));
    }

    /** After the commit: wait until the replica shows it (and, unless noWait, until ovs-vswitchd applied it). */
    private CompletableFuture<ChangeResult> committed(ChangePlanner.Plan plan, List<OperationResult> results, ApplyOptions options) {
        Map<String, UUID> byUuidName = new HashMap<>();
        for (OperationResult result : results) {
            if (result.operation() instanceof dev.switchboard.ovsdb.ops.Insert insert && insert.uuidName() != null) {
                byUuidName.put(insert.uuidName(), result.uuid());
            }
        }
        Map<String, UUID> bridges = resolve(plan.insertedBridges(), byUuidName);
        Map<String, UUID> ports = resolve(plan.insertedPorts(), byUuidName);
        Map<String, UUID> interfaces = resolve(plan.insertedInterfaces(), byUuidName);
        long nextCfg = plan.nextCfgSelect() < 0 ? -1 : results.get(plan.nextCfgSelect()).rows().get(0).getLong("next_cfg");
        // only rows the batch keeps: bridges, ports and interfaces it made (controller and
        // manager rows are replaced and garbage-collected as OVSDB pleases)
        Set<UUID> inserted = new java.util.HashSet<>();
        inserted.addAll(bridges.values());
        inserted.addAll(ports.values());
        inserted.addAll(interfaces.values());
        CompletableFuture<Snapshot> shown = client.replica().await(snapshot -> shows(snapshot, inserted, plan.deleted())
                && (nextCfg < 0 || curCfg(snapshot) >= nextCfg), options.timeout());
        return shown.handle((snapshot, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                if (cause instanceof TimeoutException) {
                    if (nextCfg < 0 || !shows(client.replica().snapshot(), inserted, plan.deleted())) {
                        throw new VSwitchException("committed, but the change did not show in the replica of "
                                + client.name() + " within " + options.timeout().toMillis() + " ms");
                    }
                    throw new VSwitchException("committed, but ovs-vswitchd did not apply the change within "
                            + options.timeout().toMillis() + " ms (is ovs-vswitchd running? cur_cfg stays below "
                            + nextCfg + ")");
                }
                throw new CompletionException(cause);
            }
            Map<String, Long> ofports = new LinkedHashMap<>();
            Map<String, String> errors = new LinkedHashMap<>();
            if (nextCfg >= 0) {
                interfaces.forEach((name, uuid) -> snapshot.row("Interface", uuid).ifPresent(row -> {
                    Optional<Long> ofport = row.getOptional("ofport", Long.class);
                    Optional<String> error = row.getOptional("error", String.class);
                    if (error.isPresent() || ofport.filter(p -> p < 0).isPresent()) {
                        errors.put(name, error.orElse("ovs-vswitchd could not set it up"));
                    } else {
                        ofport.ifPresent(p -> ofports.put(name, p));
                    }
                }));
            }
            return new ChangeResult(bridges, ports, interfaces, ofports, errors);
        });
    }

    private static boolean shows(Snapshot snapshot, Set<UUID> inserted, Set<UUID> deleted) {
        for (UUID uuid : inserted) {
            if (!contains(snapshot, uuid)) {
                return false;
            }
        }
        for (UUID uuid : deleted) {
            if (contains(snapshot, uuid)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(Snapshot snapshot, UUID uuid) {
        return snapshot.tables().values().stream().anyMatch(rows -> rows.containsKey(uuid));
    }

    private static long curCfg(Snapshot snapshot) {
        return snapshot.rows("Open_vSwitch").values().stream().findFirst().map(r -> r.getLong("cur_cfg")).orElse(-1L);
    }

    private static Map<String, UUID> resolve(Map<String, String> uuidNames, Map<String, UUID> byUuidName) {
        Map<String, UUID> resolved = new LinkedHashMap<>();
        uuidNames.forEach((name, uuidName) -> {
            UUID uuid = byUuidName.get(uuidName);
            if (uuid != null) {
                resolved.put(name, uuid);
            }
        });
        return resolved;
    }
}
