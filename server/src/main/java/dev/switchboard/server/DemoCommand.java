package dev.switchboard.server;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.lab.run.LabRunner;
import dev.switchboard.lab.run.LabState;
import dev.switchboard.lab.run.PingReport;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.LabSpecs;
import dev.switchboard.lab.spec.OvsSwitch;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.topology.TopologyService;
import dev.switchboard.hostnet.ExecResult;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard demo}: the seed lecture's hands-on labs, for real. Starts the controller,
 * brings up two namespaces joined by a veth pair, then through a Linux bridge, then through an
 * OVS bridge controlled by Switchboard, pings across each, shows where to look, and removes it
 * all on Ctrl-C (or at once with {@code --once}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the seed's labs (veth, Linux bridge, OVS controlled by Switchboard) and show the pings.",
                "With EXAMPLE, a directory holding lab.yaml and controller.yaml (e.g. examples/routing), "
                        + "run that lab under a controller with that config instead; one holding tenants.yaml and "
                        + "controller.yaml (examples/two-hosts) is a VXLAN overlay of two hypervisors; one whose "
                        + "controller.yaml has a cluster: section (examples/cluster) runs a ZooKeeper ensemble and three "
                        + "instances on free loopback ports, and kills a master."})
final class DemoCommand implements Callable<Integer> {
    static final List<String> EXAMPLES = List.of("seed-veth.yaml", "seed-linux-bridge.yaml", "seed-ovs.yaml");
    /** The seed's OVS lab is the seed's "virtual switch": a learning switch in the controller. */
    static final List<String> SEED_APPS = List.of("l2-learning");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--port", paramLabel = "PORT", description = "OpenFlow port for the controller (default 6653).")
    int port = ControllerConfig.DEFAULT_PORT;

    @Option(names = "--once", description = "Check that it works, tear down and exit (0 when every ping passed).")
    boolean once;

    @Option(names = "--examples", paramLabel = "DIR",
            description = "Where the seed labs are (default: the examples directory of the Switchboard checkout).")
    Path examples = Path.of(System.getProperty("switchboard.home", "."), "examples"); // the launcher sets the checkout

    @Parameters(arity = "0..1", paramLabel = "EXAMPLE",
            description = "A directory with lab.yaml and controller.yaml to run instead of the seed's labs.")
    Path example;

    private final PrintStream out = System.out;

    /** A lab as loaded, with the text it came from (the lab's intent log keeps it). */
    private record Lab(LabSpec spec, String source, String description) {
    }

    @Override
    public Integer call() throws Exception {
        CliLogging.quietOvsdb();
        if (ClusterDemo.isClusterExample(example)) { // examples/cluster: ZooKeeper, three instances, a kill
            return new ClusterDemo(out, example).run(once);
        }
        if (OverlayDemo.isOverlayExample(example)) { // examples/two-hosts: hypervisors and tenants, not a lab
            return new OverlayDemo(out, example, port == 0 ? freePort() : port).run(once);
        }
        List<Lab> labs = loadLabs();
        LabRunner runner = new LabRunner(new HostNetwork(), out);
        Teardown teardown = new Teardown(runner);
        Thread hook = new Thread(teardown::run, "demo-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Switchboard switchboard = startController(runner, labs);
            teardown.switchboard = switchboard;
            boolean allPassed = true;
            for (Lab lab : labs) {
                allPassed &= runLab(runner, switchboard, lab, teardown);
            }
            howToLook(labs);
            if (once) {
                out.println(allPassed ? "Demo check passed; tearing down." : "Demo check FAILED; tearing down.");
                return allPassed ? 0 : 1;
            }
            out.println();
            out.println("Press Ctrl-C to stop; every lab above is removed then.");
            new CountDownLatch(1).await();
            return 0;
        } finally {
            teardown.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: teardown is idempotent
            }
        }
    }

    private List<Lab> loadLabs() throws IOException {
        List<Lab> labs = new ArrayList<>();
        if (example != null) {
            Path file = readable(example.resolve("lab.yaml"));
            String source = LabSpecs.read(file);
            labs.add(new Lab(LabRunner.specOf(source, file.toString(), null, null), source, file.toString()));
            return labs;
        }
        for (String name : EXAMPLES) {
            Path file = readable(examples.resolve(name));
            String source = LabSpecs.read(file);
            LabSpec spec = LabRunner.specOf(source, file.toString(), null, null);
            labs.add(new Lab(spec, source, describe(spec)));
        }
        return labs;
    }

    private static Path readable(Path file) {
        if (!Files.isReadable(file)) {
            throw new UserFacingException("cannot read " + file + " (run the demo from Switchboard's directory, or give --examples DIR)");
        }
        return file;
    }

    /**
     * The controller on 127.0.0.1, and also where the labs' OVS switches reach it when they go to Switchboard's
     * private OVS, which runs in a network namespace of its own: on that namespace's uplink, the same port.
     */
    private Switchboard startController(LabRunner runner, List<Lab> labs) {
        boolean usesOvs = labs.stream().anyMatch(lab -> lab.spec().switches().stream().anyMatch(OvsSwitch.class::isInstance));
        int openflowPort = port == 0 ? freePort() : port; // both listeners on one port
        List<InetSocketAddress> listen = new ArrayList<>(List.of(new InetSocketAddress("127.0.0.1", openflowPort)));
        if (usesOvs) {
            runner.extraControllerAddress().ifPresent(address -> {
                listen.add(new InetSocketAddress(address, openflowPort));
                out.println("Labs' OVS switches run in Switchboard's private OVS, in a network namespace of its own:"
                        + " they reach the controller on " + address.getHostAddress() + ":" + openflowPort);
            });
        }
        ControllerConfig config = ControllerConfig.builder().listen(listen).build();
        SwitchboardConfig file = example == null ? null : SwitchboardConfig.load(readable(example.resolve("controller.yaml")));
        List<String> apps = file == null ? SEED_APPS : List.copyOf(file.apps().keySet());
        try {
            Switchboard switchboard = Switchboard.start(config, SwitchboardConfig.defaults().ovsdb(), apps,
                    (file == null ? SwitchboardConfig.defaults() : file)::appConfig);
            out.println("Controller listening on tcp:127.0.0.1:" + switchboard.openflowAddresses().get(0).getPort()
                    + " (apps: " + String.join(", ", switchboard.apps()) + ")");
            return switchboard;
        } catch (java.io.UncheckedIOException e) {
            throw new UserFacingException(e.getMessage() + " (another controller on port " + port
                    + "? try ./switchboard demo --port 6654)", e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot find a free port", e);
        }
    }

    private boolean runLab(LabRunner runner, Switchboard switchboard, Lab lab, Teardown teardown) throws Exception {
        boolean usesOvs = lab.spec().switches().stream().anyMatch(OvsSwitch.class::isInstance);
        String controller = usesOvs ? "tcp:127.0.0.1:" + switchboard.openflowAddresses().get(0).getPort() : null;
        LabSpec spec = controller == null ? lab.spec() : lab.spec().withController(controller);
        out.println();
        out.println("=== " + spec.name() + ": " + lab.description());
        teardown.labs.add(spec.name());
        runner.up(spec, lab.source(), controller);
        if (usesOvs) {
            awaitSwitches(switchboard, spec);
        }
        PingReport report = runner.ping(spec.name());
        if (usesOvs) {
            showFlows(spec);
        }
        return !report.failed();
    }

    private static String describe(LabSpec spec) {
        if (spec.switches().isEmpty()) {
            return "two namespaces joined by a veth pair";
        }
        return spec.switches().get(0) instanceof OvsSwitch
                ? "the same through an OVS bridge controlled by Switchboard"
                : "the same through a Linux bridge";
    }

    private void awaitSwitches(Switchboard switchboard, LabSpec spec) throws InterruptedException {
        long wanted = spec.switches().stream().filter(OvsSwitch.class::isInstance).count();
        Instant deadline = Instant.now().plus(CONNECT_TIMEOUT);
        // served, not only connected: until the apps were told of a switch its packets pass them by
        while (switchboard.controller().switches().switches().stream().filter(switchboard::serves).count() < wanted) {
            if (Instant.now().isAfter(deadline)) {
                throw new UserFacingException("OVS did not connect to the controller (or its apps did not take it up) within " + CONNECT_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
        switchboard.controller().switches().switches().forEach(sw -> out.println("  OVS bridge connected to Switchboard: datapath "
                + sw.id() + ", " + sw.version() + ", ports " + sw.ports().size()));
        awaitDiscovery(switchboard, spec);
        String db = LabState.read(spec.name()).map(s -> s.contents().ovsDb()).orElse(null);
        if (db != null) {
            String bridge = spec.names().bridge(spec.switches().get(0).name());
            awaitIsConnected(db, bridge);
            // secure (the lab's default under a controller): without the controller OVS forwards nothing by itself
            String failMode = Commands.run(List.of("ovs-vsctl", "--db=" + db, "get", "bridge", bridge, "fail_mode"),
                    Map.of(), Duration.ofSeconds(10)).stdout().strip();
            out.println("  ovs-vsctl: controller of " + bridge + " is_connected: true, fail_mode: " + failMode);
        }
    }

    /**
     * Served is not yet forwarding: the topology app keeps a new switch's ports out of floods
     * until it had time to probe them for loops (its quarantine), and a host's first ARP in that
     * time is dropped. A user pinging right after the switch connected would lose it too, so the
     * labs' pings start when the topology has taken the switches up ({@link DiscoveryReadiness}).
     */
    private void awaitDiscovery(Switchboard switchboard, LabSpec spec) throws InterruptedException {
        Optional<TopologyService> topology = switchboard.service(TopologyService.class);
        if (topology.isEmpty()) {
            return; // no discovery: nothing is quarantined
        }
        long cables = switchCables(spec);
        Instant deadline = Instant.now().plus(CONNECT_TIMEOUT);
        Optional<String> waiting;
        while ((waiting = DiscoveryReadiness.waitingFor(topology.get().current(),
                switchboard.controller().switches().switches(), cables)).isPresent()) {
            if (Instant.now().isAfter(deadline)) {
                throw new UserFacingException("the topology did not take up the lab's switches within "
                        + CONNECT_TIMEOUT.toSeconds() + " s: still waiting for " + waiting.get());
            }
            Thread.sleep(50);
        }
        out.println("  topology: every port of the lab's switches out of quarantine"
                + (cables == 0 ? "" : ", the " + cables + " links between them found"));
    }

    /** The links of {@code spec} that join two of its OVS switches. */
    private static long switchCables(LabSpec spec) {
        Set<String> ovs = new HashSet<>();
        spec.switches().stream().filter(OvsSwitch.class::isInstance).forEach(sw -> ovs.add(sw.name()));
        return spec.links().stream().filter(link -> ovs.contains(link.a().node()) && ovs.contains(link.b().node())).count();
    }

    /** The flows the apps installed while the lab pinged, switch by switch. */
    private void showFlows(LabSpec spec) {
        String db = LabState.read(spec.name()).map(s -> s.contents().ovsDb()).orElse(null);
        if (db == null) {
            return;
        }
        for (var sw : spec.switches()) {
            if (sw instanceof OvsSwitch) {
                String bridge = spec.names().bridge(sw.name());
                ExecResult flows = Commands.run(List.of("ovs-ofctl", "-O", "OpenFlow13", "dump-flows", mgmt(db, bridge)),
                        Map.of(), Duration.ofSeconds(10));
                out.println("  flows of " + bridge + " after the pings (ovs-ofctl dump-flows):");
                flows.stdout().lines().skip(1).forEach(line -> out.println("    " + line));
            }
        }
    }

    private static void awaitIsConnected(String db, String bridge) throws InterruptedException {
        Instant deadline = Instant.now().plus(CONNECT_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            ExecResult result = Commands.run(List.of("ovs-vsctl", "--db=" + db, "--columns=is_connected", "list", "controller"),
                    Map.of(), Duration.ofSeconds(10));
            if (result.stdout().contains("true")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new UserFacingException("OVS never reported the controller of " + bridge + " connected");
    }

    /** The bridge's OpenFlow management socket: beside the database for a private OVS. */
    private static String mgmt(String db, String bridge) {
        Path socket = Path.of(db.substring("unix:".length()));
        return "unix:" + socket.resolveSibling(bridge + ".mgmt");
    }

    private void howToLook(List<Lab> loaded) {
        List<LabSpec> labs = loaded.stream().map(Lab::spec).toList();
        LabSpec ovsLab = labs.get(labs.size() - 1);
        String db = LabState.read(ovsLab.name()).map(s -> s.contents().ovsDb()).orElse("unix:/var/run/openvswitch/db.sock");
        String bridge = ovsLab.names().bridge(ovsLab.switches().get(0).name());
        out.println();
        out.println("Look for yourself (while the demo runs):");
        for (LabSpec lab : labs) {
            out.println("  ./switchboard lab status " + lab.name());
        }
        if (example == null) {
            out.println("  ./switchboard lab exec --lab " + ovsLab.name() + " net0 -- ping -c 3 10.0.8.2");
        } else {
            out.println("  ./switchboard lab ping " + ovsLab.name());
        }
        out.println("  ./switchboard ovs --db " + db + " show");
        out.println("  ovs-ofctl -O OpenFlow13 dump-flows " + mgmt(db, bridge));
        out.println("  ip netns list");
    }

    /** Takes the labs down and stops the controller, once, from the finally block or the Ctrl-C hook. */
    private final class Teardown {
        private final LabRunner runner;
        final List<String> labs = new ArrayList<>();
        volatile Switchboard switchboard;
        private boolean done;

        Teardown(LabRunner runner) {
            this.runner = runner;
        }

        synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            for (String lab : labs) {
                try {
                    runner.down(lab);
                } catch (RuntimeException e) {
                    System.err.println("switchboard: taking lab " + lab + " down failed: " + e.getMessage());
                }
            }
            try {
                runner.stopUnusedOvs(); // started for the controller's address even if no lab came up
            } catch (RuntimeException e) {
                System.err.println("switchboard: stopping the labs' private OVS failed: " + e.getMessage());
            }
            if (switchboard != null) {
                switchboard.close();
            }
        }
    }
}
