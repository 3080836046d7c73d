package dev.switchboard.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcException;
import dev.switchboard.ovsdb.jsonrpc.TlsFiles;
import dev.switchboard.ovsdb.ops.Operation;
import dev.switchboard.ovsdb.ops.OvsdbTransactionException;
import dev.switchboard.ovsdb.ops.TransactionCodec;
import dev.switchboard.ovsdb.schema.DatabaseSchema;
import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import dev.switchboard.ovsdb.vswitch.ApplyOptions;
import dev.switchboard.ovsdb.vswitch.BridgeSpec;
import dev.switchboard.ovsdb.vswitch.Change;
import dev.switchboard.ovsdb.vswitch.ChangeResult;
import dev.switchboard.ovsdb.vswitch.InterfaceType;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import dev.switchboard.ovsdb.vswitch.PortSpec;
import dev.switchboard.ovsdb.vswitch.VSwitchException;
import dev.switchboard.ovsdb.vswitch.Views.BridgeView;
import dev.switchboard.ovsdb.vswitch.Views.InterfaceView;
import dev.switchboard.ovsdb.vswitch.Views.PortView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard ovs}: changes and shows an Open vSwitch database over OVSDB by hand, with
 * the typed layer the controller uses ({@link OpenVSwitch}), much as {@code ovs-vsctl} does.
 * Each subcommand connects once ({@link OvsConnection}), does one thing and exits: 0 when it
 * worked, 1 with one line {@code switchboard: <why>} when it did not (see
 * {@link #userFacing}), 2 for a command line picocli cannot parse.
 *
 * <p>The global options may come before or after the subcommand. Changes are one transaction
 * each and, unless {@code --no-wait}, wait until ovs-vswitchd applied them.
 */
@Command(name = "ovs", mixinStandardHelpOptions = true,
        description = {"Change and show an Open vSwitch database over OVSDB, as ovs-vsctl does.",
                "Errors print one line 'switchboard: ...' and exit with status 1."},
        subcommands = {OvsCommand.Show.class, OvsCommand.ListBridges.class, OvsCommand.ListPorts.class,
                OvsCommand.AddBridge.class, OvsCommand.DeleteBridge.class, OvsCommand.AddPort.class,
                OvsCommand.DeletePort.class, OvsCommand.AddPorts.class, OvsCommand.DeletePorts.class,
                OvsCommand.SetController.class, OvsCommand.SetManager.class,
                OvsCommand.Transact.class})
final class OvsCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--db", paramLabel = "TARGET", scope = ScopeType.INHERIT,
            description = "OVSDB server: unix:PATH, tcp:HOST[:PORT] or ssl:HOST[:PORT] (default "
                    + OvsConnection.DEFAULT_TARGET + ").")
    String db = OvsConnection.DEFAULT_TARGET;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print JSON instead of text (show, list-br, list-ports, add-br, add-port).")
    boolean json;

    @Option(names = "--no-wait", scope = ScopeType.INHERIT,
            description = "Do not wait for ovs-vswitchd to apply a change (add-port then knows no ofport).")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT,
            description = "Give up connecting, or waiting for an answer or for ovs-vswitchd, after this long "
                    + "(default 30).")
    int timeoutSeconds = 30;

    @Option(names = "--private-key", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "For ssl: targets, our PEM private key.")
    Path privateKey;

    @Option(names = "--certificate", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "For ssl: targets, our PEM certificate.")
    Path certificate;

    @Option(names = "--ca-cert", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "For ssl: targets, the PEM CA certificate the server's must chain to.")
    Path caCertificate;

    /** What a subcommand does once connected. */
    @FunctionalInterface
    interface Task {
        void run(OvsConnection connection);
    }

    /**
     * Connects, runs {@code task}, disconnects; returns the exit status 0. Failures the user can
     * act on become {@link UserFacingException}s (exit status 1).
     */
    int connected(Task task) {
        Duration timeout = timeout();
        TlsFiles tls = tls();
        CliLogging.errorsOnly();
        try (OvsConnection connection = OvsConnection.open(db, tls, timeout)) {
            task.run(connection);
        } catch (RuntimeException e) {
            throw userFacing(e);
        }
        out().flush();
        return 0;
    }

    ApplyOptions applyOptions() {
        return new ApplyOptions(noWait, timeout(), ApplyOptions.DEFAULT.attempts());
    }

    /** Applies {@code changes} as one transaction. */
    ChangeResult apply(OvsConnection connection, List<Change> changes) {
        return connection.vswitch().applyNow(changes, applyOptions());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Names one a line, or a JSON array with --json. */
    void printNames(List<String> names) {
        if (json) {
            printJson(OvsOutput.strings(names));
        } else {
            names.forEach(out()::println);
        }
    }

    void printJson(JsonNode value) {
        out().print(OvsOutput.print(value));
    }

    private Duration timeout() {
        if (timeoutSeconds < 1) {
            throw new UserFacingException("--timeout must be at least 1 second, not " + timeoutSeconds);
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    private TlsFiles tls() {
        if (privateKey == null && certificate == null && caCertificate == null) {
            return null;
        }
        if (privateKey == null || certificate == null || caCertificate == null) {
            throw new UserFacingException("TLS needs all three of --private-key, --certificate and --ca-cert");
        }
        return new TlsFiles(privateKey, certificate, caCertificate);
    }

    /**
     * The user's error for a failure of OVSDB or of the change asked for; anything else is a
     * bug and stays as it is (picocli prints its stack trace).
     */
    static RuntimeException userFacing(RuntimeException e) {
        if (e instanceof UserFacingException) {
            return e;
        }
        if (e instanceof VSwitchException && e.getCause() instanceof TimeoutException timeout) {
            return new UserFacingException(timeout.getMessage(), e);
        }
        if (e instanceof VSwitchException || e instanceof JsonRpcException) {
            return new UserFacingException(e.getMessage(), e);
        }
        if (e instanceof OvsdbTransactionException) {
            return new UserFacingException("OVSDB refused the transaction, nothing was changed: " + e.getMessage(), e);
        }
        if (e instanceof OvsdbSchemaException) {
            return new UserFacingException("does not fit the " + OpenVSwitch.DATABASE + " schema: " + e.getMessage(), e);
        }
        return e;
    }

    /** {@code KEY=VALUE} option values; none when the option was not given. */
    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    /**
     * {@code target} if OVS would take it as a controller or manager target, else the user's
     * error: active {@code tcp:}, {@code ssl:}, {@code unix:} or passive {@code ptcp:},
     * {@code pssl:}, {@code punix:}.
     */
    static String checkTarget(String target) {
        boolean valid;
        if (target.startsWith("punix:")) {
            valid = target.length() > "punix:".length();
        } else {
            try {
                Endpoint.parse(target);
                valid = true;
            } catch (IllegalArgumentException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw new UserFacingException("'" + target + "' is not a target like tcp:HOST[:PORT], ssl:HOST[:PORT], "
                    + "unix:PATH, ptcp:[PORT][:HOST], pssl:[PORT][:HOST] or punix:PATH");
        }
        return target;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show the bridges with their controllers, fail mode, datapath type, ports (VLAN tag) "
                    + "and interfaces (type, options, ofport), the managers and the OVS version.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        OvsCommand ovs;

        @Override
        public Integer call() {
            return ovs.connected(connection -> {
                OpenVSwitch vswitch = connection.vswitch();
                if (ovs.json) {
                    ovs.printJson(OvsOutput.showJson(vswitch.bridges(), vswitch.managers(), vswitch.ovsVersion()));
                } else {
                    ovs.out().print(OvsOutput.showText(vswitch.bridges(), vswitch.managers(), vswitch.ovsVersion()));
                }
            });
        }
    }

    @Command(name = "list-br", mixinStandardHelpOptions = true, description = "List the bridges' names, one a line.")
    static final class ListBridges implements Callable<Integer> {
        @ParentCommand
        OvsCommand ovs;

        @Override
        public Integer call() {
            return ovs.connected(connection -> {
                ovs.printNames(connection.vswitch().bridges().stream().map(BridgeView::name).toList());
            });
        }
    }

    @Command(name = "list-ports", mixinStandardHelpOptions = true,
            description = "List the ports of BRIDGE, one a line, without the bridge's own port.")
    static final class ListPorts implements Callable<Integer> {
        @ParentCommand
        OvsCommand ovs;

        @Parameters(paramLabel = "BRIDGE")
        String bridge;

        @Override
        public Integer call() {
            return ovs.connected(connection -> {
                BridgeView view = connection.vswitch().bridge(bridge)
                        .orElseThrow(() -> new UserFacingException("no bridge named " + bridge));
                ovs.printNames(OvsOutput.portNames(view));
            });
        }
    }

    @Command(name = "add-br", mixinStandardHelpOptions = true,
            description = "Create BRIDGE (with its internal port of the same name).")
    static final class AddBridge implements Callable<Integer> {
        @ParentCommand
        OvsCommand ovs;

        @Parameters(paramLabel = "BRIDGE")
        String bridge;

        @Option(names = "--may-exist", description = "A bridge of that name already there is fine (unchanged).")
        boolean mayExist;

        @Option(names = "--datapath-type", paramLabel = "TYPE",
                description = "netdev (userspace, no kernel module needed) or system (kernel, OVS's default).")
        String datapathType;

        @Option(names = "--fail-mode", paramLabel = "MODE",
                description = "secure (no flows without a controller) or standalone (OVS's default: a learning switch).")
        String failMode;

        @Option(names = "--protocols", paramLabel = "P", split = ",",
                description = "OpenFlow versions, e.g. OpenFlow10,OpenFlow13.")
        List<String> protocols;

        @Option(names = "--other-config", paramLabel = "KEY=VALUE", description = "Bridge other_config (repeatable).")
        Map<String, String> otherConfig;

        @Option(names = "--external-id", paramLabel = "KEY=VALUE", description = "Bridge external_ids (repeatable).")
        Map<String, String> externalIds;

        @Override
        public Integer call() {
            if (failMode != null && !failMode.equals("secure") && !failMode.equals("standalone")) {
                throw new UserFacingException("--fail-mode is secure or standalone, not '" + failMode + "'");
            }
            BridgeSpec spec = BridgeSpec.named(bridge).withDatapathType(datapathType).withFailMode(failMode)
                    .withProtocols(protocols == null ? Set.of() : new LinkedHashSet<>(protocols))
                    .withOtherConfig(orEmpty(otherConfig)).withExternalIds(orEmpty(externalIds));
            return ovs.connected(connection -> {
                ChangeResult result = ovs.apply(connection, List.of(new Change.AddBridge(spec, mayExist)));
                if (ovs.json) {
                    UUID uuid = Optional.ofNullable(result.bridges().get(bridge))
                            .or(() -> connection.vswitch().bridge(bridge).map(BridgeView::uuid)).orElse(null);
                    ObjectNode json = JsonNodeFactory.instance.objectNode()
                            .put("bridge", bridge)
                            .put("uuid", uuid == null ? null : uuid.toString())
                            .put("created", result.bridges().containsKey(bridge));
                    ovs.printJson(json);
                }
            });
        }
    }

    @Command(name = "del-br", mixinStandardHelpOptions = true,
            description = "Delete BRIDGE with its ports and interfaces.")
    static final class DeleteBridge implements Callable<Integer> {
        @ParentCommand
        OvsCommand ovs;

        @Parameters(paramLabel = "BRIDGE")
        String bridge;

        @Option(names = "--if-exists", description = "No such bridge is fine.")
        boolean ifExists;

        @Override
        public Integer call() {
            return ovs.connected(connection -> ovs.apply(connection, List.of(new Change.DeleteBridge(bridge, ifExists))));
        }
    }

    @Command(name = "add-port", mixinStandardHelpOptions = true,
            description = {"Add PORT, with one interface of the same name, to BRIDGE; print its OpenFlow port "
                    + "number (ofport) once ovs-vswitchd set it up.",
                    "vxlan, geneve and gre need --option remote_ip=IP; patch needs --option peer=PORT."})
    static final class AddPort implements Callable<Integer> {
        @ParentCommand
        OvsCommand ovs;

        @Parameters(index = "0", paramLabel = "BRIDGE")
        String bridge;

        @Parameters(index = "1", paramLabel = "PORT")
        String port;

        @Option(names = "--may-exist", description = "A port of that name already on BRIDGE is fine (unchanged).")
        boolean mayExist;

        @Option(names = "--type", paramLabel = "TYPE",
                description = "system (an existing device, the default), internal, patch, vxlan, geneve, gre or tap.")
        String type = "system";

        @Option(names = "--option", paramLabel = "KEY=VALUE",
                description = "Interface option, e.g. remote_ip=10.0.0.2, key=42, peer=p1 (repeatable).")
        Map<String, String> options;

        @Option(names = "--tag", paramLabel = "VLAN", description = "Access VLAN, 0..4095.")
        Long tag;

        @Option(names = "--trunks", paramLabel = "VLAN", split = ",", description = "Trunk VLANs, e.g. 1,2.")
        List<Long> trunks;

        @Override
        public Integer call() {
            PortSpec spec;
            try {
                spec = new PortSpec(bridge, port, InterfaceType.of(type), orEmpty(options), tag,
                        trunks == null ? Set.of() : new LinkedHashSet<>(trunks));
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(e.getMessage(), e);
            }
            return ovs.connected(connection -> {
                ChangeResult result = ovs.apply(connection, List.of(new Change.AddPort(spec, mayExist)));
                Optional<InterfaceView> iface = connection.vswitch().bridge(bridge).flatMap(b -> b.port(port))
                        .flatMap(p -> p.interfaces().stream().filter(i -> i.name().equals(port)).findFirst());
                Long ofport = result.ofports().get(port);
                if (ofport == null && !result.interfaces().containsKey(port) && !ovs.noWait) {
                    ofport = iface.flatMap(InterfaceView::ofport).filter(p -> p > 0).orElse(null); // it existed
                }
                String error = result.interfaceErrors().get(port);
                if (error != null) {
                    ovs.err().println("switchboard: warning: port " + port + " was added, but ovs-vswitchd could not "
                            + "set up its interface: " + error);
                    ovs.err().flush();
                }
                if (ovs.json) {
                    UUID uuid = Optional.ofNullable(result.ports().get(port))
                            .or(() -> connection.vswitch().bridge(bridge).flatMap(b -> b.port(port)).map(PortView::uuid))
                            .orElse(null);
                    ObjectNode json = JsonNodeFactory.instance.objectNode()
                            .put("bridge", bridge)
                            .put("port", port)
                            .put("uuid", uuid == null ? null : uuid.toString())
                            .put("created", result.ports().containsKey(port))
                            .put("ofport", ofport)
                            .put("error", error);
                    ovs.printJson(json);
                } else if (ofport != null) {
                    ovs.out().println(ofport);
                }
            });
        }
    }

    @Command(name = "del-port", mixinStandardHelpOptions = true,
            description = "Delete PORT (from BRIDGE, if given: then it must be there).")
    static final class DeletePort implements Callable<Integer> {
        @ParentCommand
        OvsCommand ovs;

        @Parameters(index = "0..1", arity = "1..2", paramLabel = "[BRIDGE] PORT", hideParamSyntax = true)
        List<String> names;

        @Option(names = "--if-exists", description = "No such port is fine.")
        boolean ifExists;

        @Override
        public Integer call() {
            String bridge = names.size() == 2 ? names.get(0) : null;
            String port = names.get(names.size() - 1);
            return ovs.connected(connection -> ovs.apply(connection, List.of(new Change.DeletePort(bridge, port, ifExists))));
        }
    }

    /** The first and count of a bulk port command, checked; the names are {@code PREFIX<first>..}. */
    static List<String> numberedNames(String prefix, int first, int count) {
        if (count < 1 || count > MAX_BULK_PORTS) {
            throw new UserFacingException("COUNT is 1.." + MAX_BULK_PORTS + ", not " + count);
        }
        if (first < 0 || (long) first + count - 1 > Integer.MAX_VALUE) {
            throw new UserFacingException("--first must be 0 or more, not " + first);
        }
        if (prefix.isEmpty()) {
            throw new UserFacingException("PREFIX must not be empty");
        }
        List<String> names = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(prefix + (first + i));
        }
        return names;
    }

    /** The most ports a bulk command changes: as many as one OVS bridge can number. */
    static final int MAX_BULK_PORTS = 65279;
    /** The longest name a Linux network device may have (IFNAMSIZ less its terminating zero). */
    static final int MAX_DEVICE_NAME = 15;

    /**
     * Applies {@code changes} in transactions of {@code perTransaction}, telling {@code progress}
     * after each. If one fails, the error says how many went in before it (those stay).
     */
    List<ChangeResult> applyInTransactions(OvsConnection connection, List<Change> changes, int perTransaction,
            Progress progress, String label, String what) {
        if (perTransaction < 1) {
            throw new UserFacingException("--per-transaction must be at least 1, not " + perTransaction);
        }
        List<ChangeResult> results = new java.util.ArrayList<>();
        progress.start(label, changes.size());
        int done = 0;
        for (int from = 0; from < changes.size(); from += perTransaction) {
            List<Change> chunk = changes.subList(from, Math.min(changes.size(), from + perTransaction));
            try {
                results.add(apply(connection, chunk));
            } catch (RuntimeException e) {
                RuntimeException facing = userFacing(e);
                if (done == 0) {
                    throw facing;
                }
                throw new UserFacingException(facing.getMessage() + " (the first " + done + " of " + changes.size()
                        + " ports were " + what + " in earlier transactions and stay so)", e);
            }
            done += chunk.size();
            progress.advance(chunk.size());
        }
        return results;
    }

    @Command(name = "add-ports", mixinStandardHelpOptions = true,
            description = {"Add COUNT ports named PREFIX1, PREFIX2, ... (see --first), each with one interface of the "
                    + "same name, to BRIDGE, in transactions of --per-transaction ports, showing progress; print a "
                    + "summary.",
                    "Checked before anything is sent: BRIDGE exists, and (unless --may-exist) no port has one of the "
                            + "names."})
    static final class AddPorts implements Callable<Integer> {
        @ParentCommand
        OvsCommand ovs;

        @Parameters(index = "0", paramLabel = "BRIDGE")
        String bridge;

        @Parameters(index = "1", paramLabel = "PREFIX")
        String prefix;

        @Parameters(index = "2", paramLabel = "COUNT")
        int count;

        @Option(names = "--first", paramLabel = "N", description = "The first port's number (default 1).")
        int first = 1;

        @Option(names = "--type", paramLabel = "TYPE",
                description = "system (existing devices, the default), internal or tap.")
        String type = "system";

        @Option(names = "--may-exist", description = "Ports of those names already on BRIDGE are fine (unchanged).")
        boolean mayExist;

        @Option(names = "--per-transaction", paramLabel = "N", description = "Ports per transaction (default 100).")
        int perTransaction = 100;

        @Override
        public Integer call() {
            List<String> names = numberedNames(prefix, first, count);
            InterfaceType interfaceType;
            try {
                interfaceType = InterfaceType.of(type);
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(e.getMessage(), e);
            }
            if (interfaceType != InterfaceType.SYSTEM && interfaceType != InterfaceType.INTERNAL
                    && interfaceType != InterfaceType.TAP) {
                throw new UserFacingException("add-ports adds system, internal or tap ports, not " + type
                        + " (they would all need options of their own: use add-port)");
            }
            String longest = names.get(names.size() - 1);
            if (longest.length() > MAX_DEVICE_NAME) {
                throw new UserFacingException("port name " + longest + " is longer than a network device's "
                        + MAX_DEVICE_NAME + " characters");
            }
            return ovs.connected(connection -> {
                connection.vswitch().bridge(bridge).orElseThrow(() -> new UserFacingException("no bridge named " + bridge));
                if (!mayExist) {
                    Set<String> wanted = Set.copyOf(names);
                    Set<String> taken = new java.util.TreeSet<>();
                    for (BridgeView any : connection.vswitch().bridges()) {
                        any.ports().stream().map(PortView::name).filter(wanted::contains).forEach(taken::add);
                    }
                    if (!taken.isEmpty()) {
                        throw new UserFacingException(taken.size() + " of the ports exist already (" + abbreviate(taken)
                                + "); nothing was changed. --may-exist keeps them as they are");
                    }
                }
                List<Change> changes = names.stream()
                        .map(name -> (Change) new Change.AddPort(PortSpec.of(bridge, name, interfaceType), true))
                        .toList();
                Progress progress = Progress.on(ovs.out());
                List<ChangeResult> results = ovs.applyInTransactions(connection, changes, perTransaction, progress,
                        "add-ports " + bridge, "added");
                int created = results.stream().mapToInt(r -> r.ports().size()).sum();
                Map<String, String> errors = new java.util.TreeMap<>();
                results.forEach(r -> errors.putAll(r.interfaceErrors()));
                if (!errors.isEmpty()) {
                    ovs.err().println("switchboard: warning: ovs-vswitchd could not set up " + errors.size()
                            + " of the interfaces, e.g. " + errors.entrySet().iterator().next());
                    ovs.err().flush();
                }
                progress.finish("add-ports: " + created + " ports added to " + bridge
                        + (created < count ? " (" + (count - created) + " were there already)" : ""));
            });
        }
    }

    @Command(name = "del-ports", mixinStandardHelpOptions = true,
            description = {"Delete the COUNT ports PREFIX1, PREFIX2, ... (see --first) from BRIDGE, in transactions of "
                    + "--per-transaction ports, showing progress; print a summary.",
                    "Checked before anything is sent: BRIDGE exists, and (unless --if-exists) has every one of them."})
    static final class DeletePorts implements Callable<Integer> {
        @ParentCommand
        OvsCommand ovs;

        @Parameters(index = "0", paramLabel = "BRIDGE")
        String bridge;

        @Parameters(index = "1", paramLabel = "PREFIX")
        String prefix;

        @Parameters(index = "2", paramLabel = "COUNT")
        int count;

        @Option(names = "--first", paramLabel = "N", description = "The first port's number (default 1).")
        int first = 1;

        @Option(names = "--if-exists", description = "Ports of those names missing from BRIDGE are fine.")
        boolean ifExists;

        @Option(names = "--per-transaction", paramLabel = "N", description = "Ports per transaction (default 100).")
        int perTransaction = 100;

        @Override
        public Integer call() {
            List<String> names = numberedNames(prefix, first, count);
            return ovs.connected(connection -> {
                BridgeView view = connection.vswitch().bridge(bridge)
                        .orElseThrow(() -> new UserFacingException("no bridge named " + bridge));
                Set<String> present = new java.util.HashSet<>();
                view.ports().forEach(port -> present.add(port.name()));
                List<String> missing = names.stream().filter(name -> !present.contains(name)).toList();
                if (!missing.isEmpty() && !ifExists) {
                    throw new UserFacingException(missing.size() + " of the ports are not on " + bridge + " ("
                            + abbreviate(missing) + "); nothing was changed. --if-exists skips them");
                }
                List<Change> changes = names.stream().filter(present::contains)
                        .map(name -> (Change) new Change.DeletePort(bridge, name, true)).toList();
                Progress progress = Progress.on(ovs.out());
                if (!changes.isEmpty()) {
                    ovs.applyInTransactions(connection, changes, perTransaction, progress, "del-ports " + bridge,
                            "deleted");
                }
                progress.finish("del-ports: " + changes.size() + " ports deleted from " + bridge
                        + (missing.isEmpty() ? "" : " (" + missing.size() + " were not there)"));
            });
        }
    }

    /** The first few of {@code names}, and how many more. */
    static String abbreviate(java.util.Collection<String> names) {
        List<String> some = names.stream().limit(5).toList();
        return String.join(", ", some) + (names.size() > some.size() ? " and " + (names.size() - some.size()) + " more" : "");
    }

    @Command(name = "set-controller", mixinStandardHelpOptions = true,
            description = "Make TARGETs (e.g. tcp:127.0.0.1:6653) BRIDGE's OpenFlow controllers; none clears them.")
    static final class SetController implements Callable<Integer> {
        @ParentCommand
        OvsCommand ovs;

        @Parameters(index = "0", paramLabel = "BRIDGE")
        String bridge;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "TARGET")
        List<String> targets = List.of();

        @Override
        public Integer call() {
            targets.forEach(OvsCommand::checkTarget);
            return ovs.connected(connection -> ovs.apply(connection, List.of(new Change.SetControllers(bridge, targets))));
        }
    }

    @Command(name = "set-manager", mixinStandardHelpOptions = true,
            description = "Make TARGETs (e.g. ptcp:6640) the OVSDB managers; none clears them.")
    static final class SetManager implements Callable<Integer> {
        @ParentCommand
        OvsCommand ovs;

        @Parameters(arity = "0..*", paramLabel = "TARGET")
        List<String> targets = List.of();

        @Override
        public Integer call() {
            targets.forEach(OvsCommand::checkTarget);
            return ovs.connected(connection -> ovs.apply(connection, List.of(new Change.SetManagers(targets))));
        }
    }

    @Command(name = "transact", mixinStandardHelpOptions = true,
            description = {"Run the RFC 7047 operations in FILE (- for standard input) as one transaction on the "
                    + "Open_vSwitch database and print the result array.",
                    "FILE holds a JSON array of operations as on the wire, e.g. "
                            + "[{\"op\":\"insert\",\"table\":\"Bridge\",\"row\":{\"name\":\"br1\"}}]; they are checked "
                            + "against the schema first. Does not wait for ovs-vswitchd."})
    static final class Transact implements Callable<Integer> {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        @ParentCommand
        OvsCommand ovs;

        @Parameters(paramLabel = "FILE")
        String file;

        @Override
        public Integer call() {
            JsonNode operationsJson = read();
            return ovs.connected(connection -> {
                DatabaseSchema schema = connection.client().schema();
                List<Operation> operations;
                ArrayNode params;
                try {
                    operations = OvsOperationsJson.parse(schema, operationsJson);
                    params = TransactionCodec.encode(schema, operations);
                } catch (UserFacingException | OvsdbSchemaException e) {
                    throw new UserFacingException(source() + ": " + e.getMessage(), e);
                }
                JsonNode result = connection.transact(params);
                TransactionCodec.decode(schema, operations, result); // throws on the first error
                ovs.printJson(result);
            });
        }

        private JsonNode read() {
            try {
                return file.equals("-") ? MAPPER.readTree(System.in) : MAPPER.readTree(Files.readString(Path.of(file)));
            } catch (NoSuchFileException e) {
                throw new UserFacingException("cannot read " + file + ": no such file", e);
            } catch (JsonProcessingException e) {
                throw new UserFacingException(source() + " is not JSON: " + e.getOriginalMessage()
                        + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr() + ")"), e);
            } catch (IOException e) {
                throw new UserFacingException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        private String source() {
            return file.equals("-") ? "standard input" : file;
        }
    }
}
