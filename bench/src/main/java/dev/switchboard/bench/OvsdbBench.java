package dev.switchboard.bench;

import dev.switchboard.bench.OvsdbReport.Sample;
import dev.switchboard.bench.OvsdbReport.Way;
import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport;
import dev.switchboard.ovsdb.vswitch.ApplyOptions;
import dev.switchboard.ovsdb.vswitch.BridgeSpec;
import dev.switchboard.ovsdb.vswitch.Change;
import dev.switchboard.ovsdb.vswitch.ChangeResult;
import dev.switchboard.ovsdb.vswitch.InterfaceType;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import dev.switchboard.ovsdb.vswitch.PortSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench ovsdb}: adds N internal ports to one bridge of a private OVS and deletes them
 * again, four ways (see {@link Way}), R runs each, and prints the medians.
 *
 * <p>Every way starts from the empty bridge and waits until {@code ovs-vswitchd} applied its
 * change, as {@code ovs-vsctl} does by default. After each add the bridge must hold exactly the
 * N ports, each with an OpenFlow port number (so {@code ovs-vswitchd} did set it up), and after
 * each delete none; {@code ovs-vsctl} checks, not our client, so a way that skipped work fails
 * the benchmark instead of looking fast. The checks are not timed.
 */
@Command(name = "ovsdb", mixinStandardHelpOptions = true,
        description = "Add and delete N internal ports on a private OVS: our client (one transaction, "
                + "one per port) against ovs-vsctl (a call per port, one call).")
final class OvsdbBench implements Callable<Integer> {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Generous: one transaction of many ports keeps ovs-vswitchd busy for a while. */
    private static final Duration APPLY_TIMEOUT = Duration.ofMinutes(5);
    private static final ApplyOptions APPLY = new ApplyOptions(false, APPLY_TIMEOUT, 1);
    private static final Duration VSCTL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration VSCTL_BATCH_TIMEOUT = APPLY_TIMEOUT;
    /** Port names are tap device names: at most 15 characters, "sb" + 4 hex + "p" + index. */
    private static final int MAX_PORTS = 99_999_999;

    @Option(names = "--ports", paramLabel = "N", description = "Ports to add and delete (default ${DEFAULT-VALUE}).")
    int ports = 1000;

    @Option(names = "--runs", paramLabel = "R", description = "Runs of each way; medians are reported (default ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--budget", paramLabel = "MINUTES",
            description = "Run (c), ovs-vsctl once per port, fewer times than --runs (at least once) if all runs "
                    + "would take longer, judged after the first run (default ${DEFAULT-VALUE}).")
    int budgetMinutes = 15;

    @Option(names = "--markdown", description = "Also print the results as Markdown tables.")
    boolean markdown;

    private final PrintStream progress = System.err;
    private PrivateOvs ovs;
    private OpenVSwitch vswitch;
    private String bridge;
    private List<String> portNames;
    /** Why (c) ran fewer times than the others, or empty. */
    private String slowWayNote = "";

    @Override
    public Integer call() {
        if (ports < 1 || ports > MAX_PORTS || runs < 1 || budgetMinutes < 1) {
            throw new IllegalArgumentException("--ports must be in 1.." + MAX_PORTS + ", --runs and --budget at least 1");
        }
        String run = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        bridge = "sb" + run + "br";
        portNames = IntStream.range(0, ports).mapToObj(i -> "sb" + run + "p" + i).toList();
        long started = System.nanoTime();
        List<Sample> samples;
        try (PrivateOvs privateOvs = PrivateOvs.start();
             JsonRpcTransport transport = new JsonRpcTransport(JsonRpcOptions.defaults());
             OvsdbClient client = OvsdbClient.connect(transport, Endpoint.parse(privateOvs.dbTarget()), OpenVSwitch.newReplica())) {
            ovs = privateOvs;
            client.awaitSynchronised(CONNECT_TIMEOUT);
            vswitch = new OpenVSwitch(client);
            progress.println("Private OVS in " + ovs.runDirectory() + "; bridge " + bridge + ", ports "
                    + portNames.get(0) + ".." + portNames.get(ports - 1));
            try {
                vswitch.applyNow(List.of(new Change.AddBridge(BridgeSpec.named(bridge).withDatapathType("netdev"), false)), APPLY);
                samples = measureAll();
            } finally {
                deleteBridge();
            }
        }
        progress.printf("Benchmark took %.0f s%n", (System.nanoTime() - started) / 1e9);
        OvsdbReport report = OvsdbReport.of(ports, samples);
        System.out.print(report.text());
        System.out.print(slowWayNote);
        if (markdown) {
            System.out.println();
            System.out.print(report.markdown());
        }
        return 0;
    }

    /** Runs every way {@code runs} times, interleaved; (c) fewer times if the budget demands it. */
    private List<Sample> measureAll() {
        List<Sample> samples = new ArrayList<>();
        int slowRuns = runs;
        for (int r = 1; r <= runs; r++) {
            long runStart = System.nanoTime();
            Duration slowWay = Duration.ZERO;
            for (Way way : Way.values()) {
                if (way == Way.VSCTL_PER_PORT && r > slowRuns) {
                    continue;
                }
                long wayStart = System.nanoTime();
                Sample sample = measure(way);
                if (way == Way.VSCTL_PER_PORT) {
                    slowWay = Duration.ofNanos(System.nanoTime() - wayStart);
                }
                progress.printf("run %d/%d %-40s add %s s, delete %s s%n", r, runs, way.label(),
                        Stats.seconds(sample.add()), Stats.seconds(sample.delete()));
                samples.add(sample);
            }
            if (r == 1) {
                Duration firstRun = Duration.ofNanos(System.nanoTime() - runStart);
                slowRuns = slowWayRuns(runs, Duration.ofMinutes(budgetMinutes), firstRun, slowWay);
                if (slowRuns < runs) {
                    slowWayNote = String.format("(c) ran %d of %d times: a run of all four ways took %.0f s, (c) alone "
                            + "%.0f s, and %d full runs would exceed the %d-minute budget (--budget).%n",
                            slowRuns, runs, firstRun.toMillis() / 1e3, slowWay.toMillis() / 1e3, runs, budgetMinutes);
                    progress.print(slowWayNote);
                }
            }
        }
        return samples;
    }

    /**
     * How often to run the slow way, (c), so that all runs fit in {@code budget}: the most in
     * 1..runs for which {@code runs} times the other ways plus that many times (c) fit, judged by
     * the first run (which took {@code firstRun}, {@code slowWay} of it for (c)).
     */
    static int slowWayRuns(int runs, Duration budget, Duration firstRun, Duration slowWay) {
        Duration others = firstRun.minus(slowWay);
        int slowRuns = runs;
        while (slowRuns > 1 && others.multipliedBy(runs).plus(slowWay.multipliedBy(slowRuns)).compareTo(budget) > 0) {
            slowRuns--;
        }
        return slowRuns;
    }

    /** Adds all ports, checks, deletes them, checks; only the add and the delete are timed. */
    private Sample measure(Way way) {
        expectPorts(0);
        long start = System.nanoTime();
        apply(way, true);
        Duration add = Duration.ofNanos(System.nanoTime() - start);
        expectPorts(ports);
        start = System.nanoTime();
        apply(way, false);
        Duration delete = Duration.ofNanos(System.nanoTime() - start);
        expectPorts(0);
        return new Sample(way, add, delete);
    }

    private void apply(Way way, boolean add) {
        switch (way) {
            case CLIENT_ONE_TRANSACTION -> clientOneTransaction(add ? addChanges() : deleteChanges());
            case CLIENT_PER_PORT -> clientTransactionPerPort(add ? addChanges() : deleteChanges());
            case VSCTL_PER_PORT -> vsctlCallPerPort(add ? addClauses() : deleteClauses());
            case VSCTL_ONE_CALL -> vsctlOneCall(add ? addClauses() : deleteClauses());
        }
    }

    // ---- the four ways

    private void clientOneTransaction(List<Change> changes) {
        checkApplied(vswitch.applyNow(changes, APPLY));
    }

    private void clientTransactionPerPort(List<Change> changes) {
        for (Change change : changes) {
            checkApplied(vswitch.applyNow(List.of(change), APPLY));
        }
    }

    private void vsctlCallPerPort(List<List<String>> clauses) {
        for (List<String> clause : clauses) {
            vsctl(VSCTL_TIMEOUT, clause);
        }
    }

    private void vsctlOneCall(List<List<String>> clauses) {
        List<String> args = new ArrayList<>();
        for (List<String> clause : clauses) {
            if (!args.isEmpty()) {
                args.add("--");
            }
            args.addAll(clause);
        }
        vsctl(VSCTL_BATCH_TIMEOUT, args);
    }

    private List<Change> addChanges() {
        return portNames.stream()
                .<Change>map(name -> new Change.AddPort(PortSpec.of(bridge, name, InterfaceType.INTERNAL), false))
                .toList();
    }

    private List<Change> deleteChanges() {
        return portNames.stream().<Change>map(name -> new Change.DeletePort(bridge, name, false)).toList();
    }

    private List<List<String>> addClauses() {
        return portNames.stream()
                .map(name -> List.of("add-port", bridge, name, "--", "set", "interface", name, "type=internal"))
                .toList();
    }

    private List<List<String>> deleteClauses() {
        return portNames.stream().map(name -> List.of("del-port", bridge, name)).toList();
    }

    private static void checkApplied(ChangeResult result) {
        if (!result.interfaceErrors().isEmpty()) {
            throw new IllegalStateException("ovs-vswitchd could not set up " + result.interfaceErrors().size()
                    + " interfaces, e.g. " + result.interfaceErrors().entrySet().iterator().next());
        }
    }

    // ---- checks and helpers

    /**
     * Fails unless {@code ovs-vsctl} shows exactly {@code expected} ports on the bridge besides
     * its own, and every interface has an OpenFlow port number; then waits until our replica
     * shows the same, so that the next way plans against the current state.
     */
    private void expectPorts(int expected) {
        long listed = vsctl(VSCTL_TIMEOUT, List.of("list-ports", bridge)).lines().filter(l -> !l.isBlank()).count();
        List<String> interfaces = vsctl(VSCTL_TIMEOUT, List.of("--format=csv", "--no-headings",
                "--columns=name,ofport", "list", "interface")).lines().filter(l -> !l.isBlank()).toList();
        List<String> unapplied = interfaces.stream().filter(l -> !l.matches(".*,[1-9][0-9]*")).toList();
        if (listed != expected || interfaces.size() != expected + 1 || !unapplied.isEmpty()) {
            throw new IllegalStateException("expected " + expected + " ports on " + bridge + " besides its own, all set up; "
                    + "ovs-vsctl lists " + listed + " ports and " + interfaces.size() + " interfaces"
                    + (unapplied.isEmpty() ? "" : ", without an ofport: " + unapplied.subList(0, Math.min(5, unapplied.size()))));
        }
        try {
            vswitch.client().replica().await(snapshot -> snapshot.findBy("Bridge", "name", bridge)
                    .map(row -> row.getSet("ports", Object.class).size() == expected + 1).orElse(false), VSCTL_TIMEOUT)
                    .get(VSCTL_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("our replica did not show " + expected + " ports on " + bridge, e);
        }
    }

    /** Runs {@code ovs-vsctl --timeout=T ARGS} on the private OVS and returns its output. */
    private String vsctl(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=" + ovs.dbTarget(), "--timeout=" + timeout.toSeconds()));
        command.addAll(args);
        ExecResult result = Commands.run(command, ovs.environment(), timeout.plusSeconds(10));
        if (!result.succeeded()) {
            throw new IllegalStateException("ovs-vsctl " + String.join(" ", args.subList(0, Math.min(8, args.size())))
                    + (args.size() > 8 ? " …" : "") + " failed (exit " + result.exitCode() + "): " + result.stderr().strip());
        }
        return result.stdout();
    }

    /** Best effort, with ovs-vsctl (our client may be what failed). */
    private void deleteBridge() {
        try {
            vsctl(VSCTL_BATCH_TIMEOUT, List.of("--if-exists", "del-br", bridge));
        } catch (RuntimeException e) {
            progress.println("Could not delete bridge " + bridge + " (the private OVS is removed anyway): " + e.getMessage());
        }
    }
}
