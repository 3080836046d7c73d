package dev.switchboard.ovsdb.vswitch;

import dev.switchboard.ovsdb.client.Replica.Snapshot;
import dev.switchboard.ovsdb.data.NamedUuid;
import dev.switchboard.ovsdb.data.Row;
import dev.switchboard.ovsdb.ops.Condition;
import dev.switchboard.ovsdb.ops.Insert;
import dev.switchboard.ovsdb.ops.Mutate;
import dev.switchboard.ovsdb.ops.Mutation;
import dev.switchboard.ovsdb.ops.Operation;
import dev.switchboard.ovsdb.ops.Select;
import dev.switchboard.ovsdb.ops.Update;
import dev.switchboard.ovsdb.ops.Wait;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns {@link Change}s into one OVSDB transaction against a replica snapshot, the way
 * {@code ovs-vsctl} does: it checks names against what exists (and what earlier changes of
 * the same batch create), inserts rows under uuid-names, links them with mutations, and adds
 * a {@code wait} for every column it based a decision on, so that a concurrent writer makes
 * the transaction fail ("timed out") instead of silently undoing the other's work.
 *
 * <p>Rows no longer referenced (a deleted bridge's ports and interfaces, replaced
 * controllers) are garbage-collected by OVSDB: the schema's strong references do the work.
 */
final class ChangePlanner {
    static final String ROOT = "Open_vSwitch";

    /** The transaction, and what to check once it committed. */
    record Plan(List<Operation> operations, int nextCfgSelect, Map<String, String> insertedBridges,
            Map<String, String> insertedPorts, Map<String, String> insertedInterfaces, Set<UUID> deleted) {

        boolean isEmpty() {
            return operations.isEmpty();
        }
    }

    /** A bridge as the batch sees it: an existing row or one inserted by the batch. */
    private static final class BridgeState {
        final String name;
        final UUID uuid;
        /** For a bridge the batch inserts: its uuid-name and its row, still growing. */
        final NamedUuid insertName;
        final Map<String, Object> insertRow;
        final Set<Object> ports = new LinkedHashSet<>();
        final Set<Object> originalPorts;

        BridgeState(String name, UUID uuid, NamedUuid insertName, Map<String, Object> insertRow, Set<Object> ports) {
            this.name = name;
            this.uuid = uuid;
            this.insertName = insertName;
            this.insertRow = insertRow;
            this.ports.addAll(ports);
            this.originalPorts = Set.copyOf(ports);
        }
    }

    /** A port as the batch sees it, with the names of its interfaces (one, for the ports we make). */
    private record PortState(Object ref, String bridge, Set<String> interfaceNames) {
    }

    private final Snapshot snapshot;
    private final Row root;
    private final Map<String, BridgeState> bridges = new LinkedHashMap<>();
    private final Map<String, PortState> ports = new HashMap<>();
    private final Set<String> interfaces = new LinkedHashSet<>();
    private final List<Operation> inserts = new ArrayList<>();
    private final List<Operation> changes = new ArrayList<>();
    private final Map<String, Wait> verifications = new LinkedHashMap<>();
    private final Map<String, String> insertedBridges = new LinkedHashMap<>();
    private final Map<String, String> insertedPorts = new LinkedHashMap<>();
    private final Map<String, String> insertedInterfaces = new LinkedHashMap<>();
    private final Set<UUID> deleted = new LinkedHashSet<>();
    private final Map<String, List<Insert>> controllerInserts = new HashMap<>();
    private final Map<String, Update> controllerUpdates = new HashMap<>();
    private final List<Insert> managerInserts = new ArrayList<>();
    private Update managerUpdate;
    private final Set<Object> rootBridges;
    private boolean rootBridgesChanged;
    private int names;

    private ChangePlanner(Snapshot snapshot) {
        this.snapshot = snapshot;
        this.root = snapshot.rows(ROOT).values().stream().findFirst()
                .orElseThrow(() -> new VSwitchException("the Open_vSwitch table is empty: run ovs-vsctl init"));
        this.rootBridges = new LinkedHashSet<>(root.getSet("bridges", Object.class));
        Map<UUID, Row> portRows = snapshot.rows("Port");
        for (Row bridge : snapshot.rows("Bridge").values()) {
            Set<Object> bridgePorts = bridge.getSet("ports", Object.class);
            String name = bridge.getString("name");
            bridges.put(name, new BridgeState(name, bridge.uuid(), null, null, bridgePorts));
            for (Object port : bridgePorts) {
                Row portRow = portRows.get((UUID) port);
                if (portRow != null) {
                    Set<String> names = new LinkedHashSet<>();
                    for (Object iface : portRow.getSet("interfaces", Object.class)) {
                        snapshot.row("Interface", (UUID) iface).ifPresent(row -> names.add(row.getString("name")));
                    }
                    ports.put(portRow.getString("name"), new PortState(port, name, names));
                }
            }
        }
        for (Row row : snapshot.rows("Interface").values()) {
            interfaces.add(row.getString("name"));
        }
    }

    static Plan plan(Snapshot snapshot, List<Change> changes, boolean bumpNextCfg) {
        ChangePlanner planner = new ChangePlanner(snapshot);
        for (Change change : changes) {
            planner.apply(change);
        }
        return planner.finish(bumpNextCfg);
    }

    private void apply(Change change) {
        if (change instanceof Change.AddBridge add) {
            addBridge(add.bridge(), add.mayExist());
        } else if (change instanceof Change.ConfigureBridge configure) {
            configureBridge(configure.bridge());
        } else if (change instanceof Change.DeleteBridge delete) {
            deleteBridge(delete.name(), delete.ifExists());
        } else if (change instanceof Change.AddPort add) {
            addPort(add.port(), add.mayExist());
        } else if (change instanceof Change.DeletePort delete) {
            deletePort(delete.bridge(), delete.name(), delete.ifExists());
        } else if (change instanceof Change.SetControllers set) {
            setControllers(set.bridge(), set.targets());
        } else if (change instanceof Change.SetManagers set) {
            setManagers(set.targets());
        } else if (change instanceof Change.SetVlan set) {
            setVlan(set.port(), set.tag(), set.trunks());
        }
    }

    private void addBridge(BridgeSpec spec, boolean mayExist) {
        checkName("bridge", spec.name());
        if (bridges.containsKey(spec.name())) {
            if (mayExist) {
                return;
            }
            throw new VSwitchException("bridge " + spec.name() + " already exists");
        }
        if (ports.containsKey(spec.name()) || interfaces.contains(spec.name())) {
            throw new VSwitchException("cannot create bridge " + spec.name() + ": a port or interface of that name exists");
        }
        NamedUuid port = insertPortRows(spec.name(), InterfaceType.INTERNAL, Map.of(), null, Set.of(), null);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", spec.name());
        if (spec.datapathType() != null) {
            row.put("datapath_type", spec.datapathType());
        }
        if (spec.failMode() != null) {
            row.put("fail_mode", Set.of(spec.failMode()));
        }
        if (!spec.protocols().isEmpty()) {
            row.put("protocols", spec.protocols());
        }
        if (!spec.otherConfig().isEmpty()) {
            row.put("other_config", spec.otherConfig());
        }
        if (!spec.externalIds().isEmpty()) {
            row.put("external_ids", spec.externalIds());
        }
        NamedUuid bridge = nextName("bridge");
        insertedBridges.put(spec.name(), bridge.name());
        BridgeState state = new BridgeState(spec.name(), null, bridge, row, Set.of(port));
        bridges.put(spec.name(), state);
        ports.put(spec.name(), new PortState(port, spec.name(), Set.of(spec.name())));
        verifyRootBridges();
        rootBridges.add(bridge);
        rootBridgesChanged = true;
    }

    private void configureBridge(BridgeSpec spec) {
        BridgeState bridge = requireBridge(spec.name());
        if (bridge.uuid == null) {
            throw new VSwitchException("configure new bridge " + spec.name() + " in its BridgeSpec");
        }
        Row row = snapshot.row("Bridge", bridge.uuid).orElseThrow();
        verifyRootBridges();
        Map<String, Object> update = new LinkedHashMap<>();
        if (spec.datapathType() != null) {
            update.put("datapath_type", spec.datapathType());
        }
        if (spec.failMode() != null) {
            update.put("fail_mode", Set.of(spec.failMode()));
        }
        if (!spec.protocols().isEmpty()) {
            update.put("protocols", spec.protocols());
        }
        if (!spec.otherConfig().isEmpty() || !spec.externalIds().isEmpty()) {
            // the maps are written whole: make sure nobody changed them since they were read
            verifications.computeIfAbsent("maps." + bridge.name, key -> new Wait("Bridge",
                    List.of(Condition.uuidIs(bridge.uuid)), List.of("other_config", "external_ids"), true,
                    List.of(Map.of("other_config", row.get("other_config"), "external_ids", row.get("external_ids"))), 0L));
        }
        if (!spec.otherConfig().isEmpty()) {
            Map<String, String> merged = new LinkedHashMap<>(row.getMap("other_config", String.class, String.class));
            merged.putAll(spec.otherConfig());
            update.put("other_config", merged);
        }
        if (!spec.externalIds().isEmpty()) {
            Map<String, String> merged = new LinkedHashMap<>(row.getMap("external_ids", String.class, String.class));
            merged.putAll(spec.externalIds());
            update.put("external_ids", merged);
        }
        if (!update.isEmpty()) {
            changes.add(new Update("Bridge", List.of(Condition.uuidIs(bridge.uuid)), update));
        }
    }

    private void deleteBridge(String name, boolean ifExists) {
        BridgeState bridge = bridges.get(name);
        if (bridge == null) {
            if (ifExists) {
                return;
            }
            throw new VSwitchException("no bridge named " + name);
        }
        if (bridge.uuid == null) {
            throw new VSwitchException("bridge " + name + " is created and deleted in the same change");
        }
        verifyRootBridges();
        rootBridges.remove(bridge.uuid);
        rootBridgesChanged = true;
        bridges.remove(name);
        for (PortState port : ports.values()) {
            if (port.bridge().equals(name)) {
                forgetInterfaces(port);
            }
        }
        ports.values().removeIf(p -> p.bridge().equals(name));
        deleted.add(bridge.uuid);
    }

    private void addPort(PortSpec spec, boolean mayExist) {
        checkName("port", spec.name());
        BridgeState bridge = bridges.get(spec.bridge());
        if (bridge == null) {
            throw new VSwitchException("cannot add port " + spec.name() + ": no bridge named " + spec.bridge());
        }
        PortState existing = ports.get(spec.name());
        if (existing != null) {
            if (mayExist && existing.bridge().equals(spec.bridge())) {
                return;
            }
            throw new VSwitchException("port " + spec.name() + " already exists on bridge " + existing.bridge());
        }
        if (interfaces.contains(spec.name())) {
            throw new VSwitchException("an interface named " + spec.name() + " already exists");
        }
        NamedUuid port = insertPortRows(spec.name(), spec.type(), spec.options(), spec.tag(), spec.trunks(),
                spec.ofportRequest());
        verifyPorts(bridge);
        bridge.ports.add(port);
        ports.put(spec.name(), new PortState(port, spec.bridge(), Set.of(spec.name())));
    }

    private void deletePort(String bridgeName, String name, boolean ifExists) {
        PortState port = ports.get(name);
        if (port == null || (bridgeName != null && !port.bridge().equals(bridgeName))) {
            if (ifExists) {
                return;
            }
            throw new VSwitchException("no port named " + name + (bridgeName == null ? "" : " on bridge " + bridgeName));
        }
        if (port.bridge().equals(name)) {
            throw new VSwitchException("port " + name + " is bridge " + name + "'s own port: delete the bridge instead");
        }
        if (!(port.ref() instanceof UUID uuid)) {
            throw new VSwitchException("port " + name + " is created and deleted in the same change");
        }
        BridgeState bridge = bridges.get(port.bridge());
        verifyPorts(bridge);
        bridge.ports.remove(uuid);
        ports.remove(name);
        forgetInterfaces(port);
        deleted.add(uuid);
    }

    private void setControllers(String bridgeName, List<String> targets) {
        BridgeState bridge = requireBridge(bridgeName);
        // a later setting in the same batch replaces an earlier one: rows nobody references
        // would be garbage-collected, and must not be inserted at all
        inserts.removeAll(controllerInserts.getOrDefault(bridgeName, List.of()));
        changes.remove(controllerUpdates.remove(bridgeName));
        List<Insert> made = new ArrayList<>();
        Set<Object> controllers = new LinkedHashSet<>();
        for (String target : targets) {
            NamedUuid controller = nextName("controller");
            Insert insert = new Insert("Controller", Map.of("target", target), controller.name());
            made.add(insert);
            controllers.add(controller);
        }
        inserts.addAll(made);
        controllerInserts.put(bridgeName, made);
        if (bridge.insertRow != null) {
            bridge.insertRow.put("controller", controllers);
        } else {
            verifyRootBridges();
            Update update = new Update("Bridge", List.of(Condition.uuidIs(bridge.uuid)), Map.of("controller", controllers));
            controllerUpdates.put(bridgeName, update);
            changes.add(update);
        }
    }

    private void setManagers(List<String> targets) {
        inserts.removeAll(managerInserts);
        managerInserts.clear();
        changes.remove(managerUpdate);
        Set<Object> managers = new LinkedHashSet<>();
        for (String target : targets) {
            NamedUuid manager = nextName("manager");
            Insert insert = new Insert("Manager", Map.of("target", target), manager.name());
            managerInserts.add(insert);
            managers.add(manager);
        }
        inserts.addAll(managerInserts);
        managerUpdate = new Update(ROOT, List.of(Condition.uuidIs(root.uuid())), Map.of("manager_options", managers));
        changes.add(managerUpdate);
    }

    private void setVlan(String portName, Long tag, Set<Long> trunks) {
        PortState port = ports.get(portName);
        if (port == null) {
            throw new VSwitchException("no port named " + portName);
        }
        if (tag != null && (tag < 0 || tag > 4095)) {
            throw new VSwitchException("port " + portName + ": VLAN tag " + tag + " is not in 0..4095");
        }
        Map<String, Object> row = Map.of("tag", tag == null ? Set.of() : Set.of(tag), "trunks", trunks);
        if (port.ref() instanceof UUID uuid) {
            verifyPorts(bridges.get(port.bridge()));
            changes.add(new Update("Port", List.of(Condition.uuidIs(uuid)), row));
        } else {
            throw new VSwitchException("set the VLAN of new port " + portName + " in its PortSpec");
        }
    }

    /** A deleted port's interfaces: their names are free again, and new ones are no longer made. */
    private void forgetInterfaces(PortState port) {
        for (String iface : port.interfaceNames()) {
            interfaces.remove(iface);
            String uuidName = insertedInterfaces.remove(iface);
            if (uuidName != null) {
                inserts.removeIf(op -> op instanceof Insert insert && uuidName.equals(insert.uuidName()));
            }
        }
        if (port.ref() instanceof NamedUuid named) {
            insertedPorts.values().remove(named.name());
            inserts.removeIf(op -> op instanceof Insert insert && named.name().equals(insert.uuidName()));
        }
    }

    private BridgeState requireBridge(String name) {
        BridgeState bridge = bridges.get(name);
        if (bridge == null) {
            throw new VSwitchException("no bridge named " + name);
        }
        return bridge;
    }

    /** Inserts an Interface and a Port holding it, both named {@code name}; returns the port's uuid-name. */
    private NamedUuid insertPortRows(String name, InterfaceType type, Map<String, String> options, Long tag, Set<Long> trunks,
            Long ofportRequest) {
        NamedUuid iface = nextName("iface");
        Map<String, Object> interfaceRow = new LinkedHashMap<>();
        interfaceRow.put("name", name);
        interfaceRow.put("type", type.ovsName());
        if (!options.isEmpty()) {
            interfaceRow.put("options", options);
        }
        if (ofportRequest != null) {
            interfaceRow.put("ofport_request", Set.of(ofportRequest));
        }
        inserts.add(new Insert("Interface", interfaceRow, iface.name()));
        interfaces.add(name);
        insertedInterfaces.put(name, iface.name());

        NamedUuid port = nextName("port");
        Map<String, Object> portRow = new LinkedHashMap<>();
        portRow.put("name", name);
        portRow.put("interfaces", Set.of(iface));
        if (tag != null) {
            portRow.put("tag", Set.of(tag));
        }
        if (!trunks.isEmpty()) {
            portRow.put("trunks", trunks);
        }
        inserts.add(new Insert("Port", portRow, port.name()));
        insertedPorts.put(name, port.name());
        return port;
    }

    private void verifyRootBridges() {
        verifications.computeIfAbsent("root.bridges", key -> new Wait(ROOT, List.of(Condition.uuidIs(root.uuid())),
                List.of("bridges"), true, List.of(Map.of("bridges", root.getSet("bridges", Object.class))), 0L));
    }

    private void verifyPorts(BridgeState bridge) {
        if (bridge.uuid != null) {
            verifications.computeIfAbsent("ports." + bridge.name, key -> new Wait("Bridge",
                    List.of(Condition.uuidIs(bridge.uuid)), List.of("ports"), true,
                    List.of(Map.of("ports", bridge.originalPorts)), 0L));
        }
    }

    private static void checkName(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new VSwitchException(what + " name must not be empty");
        }
    }

    private NamedUuid nextName(String kind) {
        return new NamedUuid(kind + (++names));
    }

    private Plan finish(boolean bumpNextCfg) {
        List<Operation> operations = new ArrayList<>(verifications.values());
        operations.addAll(inserts);
        for (BridgeState bridge : bridges.values()) {
            if (bridge.insertName != null) {
                Map<String, Object> row = new LinkedHashMap<>(bridge.insertRow);
                row.put("ports", Set.copyOf(bridge.ports));
                operations.add(new Insert("Bridge", row, bridge.insertName.name()));
            }
        }
        for (BridgeState bridge : bridges.values()) {
            if (bridge.uuid != null && !bridge.ports.equals(bridge.originalPorts)) {
                operations.add(new Update("Bridge", List.of(Condition.uuidIs(bridge.uuid)), Map.of("ports", Set.copyOf(bridge.ports))));
            }
        }
        if (rootBridgesChanged) {
            operations.add(new Update(ROOT, List.of(Condition.uuidIs(root.uuid())), Map.of("bridges", Set.copyOf(rootBridges))));
        }
        operations.addAll(changes);
        boolean changesSomething = operations.size() > verifications.size();
        int select = -1;
        if (changesSomething && bumpNextCfg) {
            List<Condition> theRoot = List.of(Condition.uuidIs(root.uuid()));
            operations.add(new Mutate(ROOT, theRoot, List.of(Mutation.add("next_cfg", 1))));
            select = operations.size();
            operations.add(new Select(ROOT, theRoot, List.of("next_cfg")));
        }
        if (!changesSomething) {
            operations.clear();
        }
        return new Plan(List.copyOf(operations), select, insertedBridges, insertedPorts, insertedInterfaces, deleted);
    }
}
