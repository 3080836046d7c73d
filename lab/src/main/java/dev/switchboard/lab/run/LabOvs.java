package dev.switchboard.lab.run;

import dev.switchboard.hostnet.Netns;
import dev.switchboard.lab.spec.ControllerTarget;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.ovsdb.client.MonitorRequest;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.ovsdb.client.Replica;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport;
import dev.switchboard.ovsdb.ops.Condition;
import dev.switchboard.ovsdb.ops.Mutate;
import dev.switchboard.ovsdb.ops.Mutation;
import dev.switchboard.ovsdb.ops.Operation;
import dev.switchboard.ovsdb.ops.OperationResult;
import dev.switchboard.ovsdb.ops.Select;
import dev.switchboard.ovsdb.ops.Update;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import dev.switchboard.ovsdb.vswitch.VSwitchException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Open vSwitch labs put their OVS switches in: the host's when it runs, otherwise one
 * private OVS shared by all labs, which outlives the command that started it and is stopped
 * when the last lab that used it goes down. The host's ovs-vswitchd runs in the root network
 * namespace: the labs' switch ports are made there and its bridges reach a controller on
 * 127.0.0.1. The private one runs in a namespace of its own ({@link PrivateOvs#namespace()}), so it
 * runs beside a host OVS with userspace bridges and beside the private OVS of tests: the labs' OVS switch
 * ports are made in that namespace ({@link #portNamespace()}), and a controller on the root namespace's
 * loopback is reached on the namespace's uplink instead ({@link #controllerTarget}).
 *
 * <p>Besides the typed {@link OpenVSwitch} layer it sets two columns that layer has no field
 * for yet: {@code Interface.ofport_request} (so switch ports get Mininet's numbers as OpenFlow
 * port numbers) and {@code Bridge.rstp_enable} (a switch's {@code stp: true}). Both are set
 * after the ports and bridges exist, in a transaction of their own that waits for
 * ovs-vswitchd; OVS renumbers a port by removing and adding it again.
 */
final class LabOvs implements AutoCloseable {
    static final Path HOST_DB = Path.of("/var/run/openvswitch/db.sock");
    private static final Duration SYNC = Duration.ofSeconds(30);
    private static final Duration APPLY = Duration.ofSeconds(30);

    /**
     * Where a lab's OVS switches live, decided before anything is started so that the lab's
     * state records it first.
     *
     * @param db        the OVSDB target, {@code unix:PATH}
     * @param isPrivate whether it is the private OVS under the labs directory
     */
    record Location(String db, boolean isPrivate) {
        Location {
            Objects.requireNonNull(db, "db");
        }
    }

    private final String db;
    private final boolean isPrivate;
    /** The private OVS, attached (never closed here: that would stop it); null for the host's. */
    private final PrivateOvs privateOvs;
    private final JsonRpcTransport transport;
    private final OvsdbClient client;

    private LabOvs(String db, PrivateOvs privateOvs) {
        this.db = db;
        this.isPrivate = privateOvs != null;
        this.privateOvs = privateOvs;
        this.transport = new JsonRpcTransport(JsonRpcOptions.defaults());
        try {
            this.client = OvsdbClient.connect(transport, Endpoint.parse(db), replica());
            client.awaitSynchronised(SYNC);
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /** What {@link OpenVSwitch} replicates, plus the columns this class sets itself. */
    private static Replica replica() {
        Map<String, MonitorRequest> tables = new LinkedHashMap<>(OpenVSwitch.newReplica().tables());
        tables.computeIfPresent("Interface", (table, request) -> withColumn(request, "ofport_request"));
        tables.computeIfPresent("Bridge", (table, request) -> withColumn(request, "rstp_enable"));
        return new Replica(OpenVSwitch.DATABASE, tables);
    }

    private static MonitorRequest withColumn(MonitorRequest request, String column) {
        if (request.columns().isEmpty() || request.columns().contains(column)) {
            return request; // every column already
        }
        List<String> columns = new ArrayList<>(request.columns());
        columns.add(column);
        return new MonitorRequest(columns, request.where());
    }

    static Path privateDirectory() {
        return LabState.directory().resolve("ovs");
    }

    /** The host's OVS if it runs, else the private one (which may still have to be started). */
    static Location choose() {
        return hostOvsRuns() ? new Location("unix:" + HOST_DB, false)
                : new Location("unix:" + privateDirectory().toAbsolutePath().normalize().resolve("db.sock"), true);
    }

    /** Connects to {@code where}, starting the private OVS if that is where and it does not run. */
    static LabOvs open(Location where) {
        if (!where.isPrivate()) {
            return new LabOvs(where.db(), null);
        }
        return new LabOvs(where.db(), startPrivateUnlessRunning());
    }

    /** The private OVS, started (detached: it outlives this process) if it does not run. */
    static PrivateOvs startPrivateUnlessRunning() {
        Optional<PrivateOvs> existing = PrivateOvs.attach(privateDirectory()).filter(PrivateOvs::isRunning);
        return existing.orElseGet(() -> PrivateOvs.startDetached(privateDirectory()));
    }

    /**
     * The namespace of the private OVS under the labs directory, if it exists (while it runs, and after it
     * died without being stopped): where the labs' OVS switch ports are.
     */
    static Optional<String> privateNamespace() {
        return PrivateOvs.attach(privateDirectory()).filter(PrivateOvs::namespaceExists).map(PrivateOvs::namespace);
    }

    /** Connects to the OVSDB a lab recorded, if it still answers. */
    static Optional<LabOvs> reopen(String db, boolean isPrivate) {
        Optional<PrivateOvs> running = isPrivate
                ? PrivateOvs.attach(privateDirectory()).filter(PrivateOvs::isRunning) : Optional.empty();
        if (isPrivate && running.isEmpty()) {
            return Optional.empty();
        }
        if (!isPrivate && !hostOvsRuns()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LabOvs(db, running.orElse(null)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the private OVS under the labs directory runs. */
    static boolean privateRuns() {
        return PrivateOvs.attach(privateDirectory()).filter(PrivateOvs::isRunning).isPresent();
    }

    /** Stops the private OVS (and removes its directory) unless some lab's state still names it. */
    static void stopPrivateIfUnused() {
        boolean used = LabState.labs().stream().map(LabState::read).flatMap(Optional::stream)
                .anyMatch(state -> state.contents().privateOvs());
        if (!used) {
            PrivateOvs.attach(privateDirectory()).ifPresent(PrivateOvs::close);
        }
    }

    static boolean hostOvsRuns() {
        if (!Files.exists(HOST_DB)) {
            return false;
        }
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
                .map(line -> line.contains("ovs-vswitchd") && !line.contains(privateDirectory().toString())
                        && (line.contains(HOST_DB.toString()) || !line.contains("unix:")))
                .orElse(false));
    }

    String db() {
        return db;
    }

    boolean isPrivate() {
        return isPrivate;
    }

    /** Where the devices of this OVS's switch ports must be: the root namespace, or the private OVS's own. */
    Netns portNamespace() {
        return privateOvs == null ? Netns.ROOT : Netns.named(privateOvs.namespace());
    }

    /**
     * What a bridge of this OVS is given to reach {@code target}: the target itself, except that the private
     * OVS reaches a controller on the root namespace's loopback on its uplink ({@link PrivateOvs#controllerTarget}),
     * where such a controller must listen too (the demo does; {@code switchboard controller} listens on every
     * address by default).
     */
    String controllerTarget(ControllerTarget target) {
        return privateOvs == null ? target.toString() : targetFromNamespace(target, privateOvs::controllerAddress);
    }

    /** {@code target} as an OVS in a namespace of its own reaches it: a loopback one on the namespace's {@code uplink}. */
    static String targetFromNamespace(ControllerTarget target, java.util.function.Supplier<InetAddress> uplink) {
        if (target.address().isLoopbackAddress()) {
            return "tcp:" + uplink.get().getHostAddress() + ":" + target.port();
        }
        return target.toString();
    }

    /** {@link #controllerTarget(ControllerTarget)} for the private OVS: its uplink address; loopback for the host's. */
    InetAddress controllerAddress() {
        return privateOvs == null ? InetAddress.getLoopbackAddress() : privateOvs.controllerAddress();
    }

    OpenVSwitch vswitch() {
        return new OpenVSwitch(client);
    }

    /** Whether bridge {@code name} runs RSTP. */
    boolean rstpEnabled(String name) {
        return client.replica().snapshot().findBy("Bridge", "name", name)
                .map(row -> row.getBoolean("rstp_enable")).orElse(false);
    }

    /**
     * Gives each named interface its OpenFlow port number ({@code ofport_request}), changing only
     * those whose request differs, and waits until ovs-vswitchd has renumbered them.
     *
     * @param wanted interface name to port number; interfaces that do not exist are skipped
     * @return how many interfaces were changed
     */
    int requestPortNumbers(Map<String, Integer> wanted) {
        var snapshot = client.replica().snapshot();
        List<Operation> updates = new ArrayList<>();
        Map<String, Integer> changed = new LinkedHashMap<>();
        wanted.forEach((name, number) -> snapshot.findBy("Interface", "name", name).ifPresent(row -> {
            if (!row.getOptional("ofport_request", Long.class).equals(Optional.of((long) number))) {
                updates.add(new Update("Interface", List.of(Condition.uuidIs(row.uuid())),
                        Map.of("ofport_request", (long) number)));
                changed.put(name, number);
            }
        }));
        if (updates.isEmpty()) {
            return 0;
        }
        transact(updates, "set the OpenFlow port numbers of " + changed.keySet());
        await(s -> changed.entrySet().stream().allMatch(e -> s.findBy("Interface", "name", e.getKey())
                .flatMap(row -> row.getOptional("ofport", Long.class)).filter(p -> p == (long) e.getValue()).isPresent()),
                "ovs-vswitchd to give ports their numbers " + changed);
        return changed.size();
    }

    /** Turns RSTP on or off on the named bridges where it differs; returns how many changed. */
    int setRstp(Map<String, Boolean> wanted) {
        var snapshot = client.replica().snapshot();
        List<Operation> updates = new ArrayList<>();
        wanted.forEach((name, on) -> snapshot.findBy("Bridge", "name", name).ifPresent(row -> {
            if (row.getBoolean("rstp_enable") != on) {
                updates.add(new Update("Bridge", List.of(Condition.uuidIs(row.uuid())), Map.of("rstp_enable", on)));
            }
        }));
        if (!updates.isEmpty()) {
            transact(updates, "set rstp_enable on " + wanted.keySet());
        }
        return updates.size();
    }

    /**
     * Commits {@code operations} with {@code next_cfg} incremented, as {@code ovs-vsctl} does, and
     * waits until ovs-vswitchd has applied them ({@code cur_cfg} caught up): without the increment
     * ovs-vswitchd takes some changes (such as {@code rstp_enable}) in only at its next
     * reconfiguration.
     */
    private void transact(List<Operation> operations, String what) {
        List<Operation> all = new ArrayList<>(operations);
        all.add(new Mutate("Open_vSwitch", List.of(), List.of(Mutation.add("next_cfg", 1))));
        all.add(new Select("Open_vSwitch", List.of(), List.of("next_cfg")));
        long nextCfg;
        try {
            List<OperationResult> results = client.transact(all).get(APPLY.toMillis(), TimeUnit.MILLISECONDS);
            nextCfg = results.get(results.size() - 1).rows().get(0).getLong("next_cfg");
        } catch (ExecutionException e) {
            throw new VSwitchException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new VSwitchException("cannot " + what + ": OVSDB did not answer within " + APPLY.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VSwitchException("interrupted while trying to " + what, e);
        }
        await(s -> s.rows("Open_vSwitch").values().stream().anyMatch(row -> row.getLong("cur_cfg") >= nextCfg),
                "ovs-vswitchd to " + what + " (cur_cfg to reach " + nextCfg + ")");
    }

    private void await(java.util.function.Predicate<Replica.Snapshot> condition, String what) {
        try {
            client.replica().await(condition, APPLY).get();
        } catch (ExecutionException e) {
            throw new VSwitchException("waited " + APPLY.toSeconds() + " s in vain for " + what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VSwitchException("interrupted while waiting for " + what, e);
        }
    }

    @Override
    public void close() {
        client.close();
        transport.close();
    }
}
