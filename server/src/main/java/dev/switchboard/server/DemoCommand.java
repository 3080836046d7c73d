package dev.switchboard.server;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.ovsdb.PrivateOvs;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard demo}: a private OVS, the controller, and a bridge pointed at it;
 * shows that OVS connected and how to look, then tears everything down on Ctrl-C (or at
 * once with {@code --once}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a private OVS and the controller, connect a bridge, show it works.")
final class DemoCommand implements Callable<Integer> {
    static final String BRIDGE = "sbdemo0";
    private static final List<String> PORTS = List.of("sbdemo-p1", "sbdemo-p2");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    @Option(names = "--port", paramLabel = "PORT", description = "OpenFlow port for the controller (default 6653).")
    int port = ControllerConfig.DEFAULT_PORT;

    @Option(names = "--once", description = "Check that it works, tear down and exit (0 when it worked).")
    boolean once;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Directory for the private OVS (default: a new one under /tmp); removed at the end.")
    Path runDirectory;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ControllerConfig config = ControllerConfig.builder()
                .listen(new InetSocketAddress("127.0.0.1", port))
                .build();
        Teardown teardown = new Teardown();
        Thread hook = new Thread(teardown::run, "demo-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Controller controller = new Controller(config);
            teardown.controller = controller;
            InetSocketAddress bound;
            try {
                bound = controller.start().get(0);
            } catch (RuntimeException e) {
                throw new UserFacingException(e.getMessage() + " (another controller on port " + port
                        + "? try ./switchboard demo --port 6654)", e);
            }
            out.println("Controller listening on tcp:" + bound.getHostString() + ":" + bound.getPort());

            PrivateOvs ovs = runDirectory == null ? PrivateOvs.start() : PrivateOvs.start(runDirectory);
            teardown.ovs = ovs;
            out.println("Private OVS started in " + ovs.runDirectory() + " (pids " + ovs.pids() + ")");

            ovs.vsctl(bridgeCommand(bound));
            out.println("Bridge " + BRIDGE + " created (userspace datapath), controller tcp:127.0.0.1:" + bound.getPort());

            DatapathId dpid = DatapathId.of(Long.parseUnsignedLong(ovs.vsctl("get", "bridge", BRIDGE, "datapath_id").replace("\"", ""), 16));
            OFSwitch sw = awaitConnected(controller, ovs, dpid);
            report(out, ovs, sw);
            if (once) {
                out.println("Demo check passed; tearing down.");
                return 0;
            }
            out.println();
            out.println("Press Ctrl-C to stop; everything above is removed then.");
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

    private static String[] bridgeCommand(InetSocketAddress controller) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "add-br", BRIDGE, "--", "set", "bridge", BRIDGE, "datapath_type=netdev",
                "protocols=OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15", "fail_mode=secure"));
        for (String port : PORTS) {
            args.addAll(List.of("--", "add-port", BRIDGE, port, "--", "set", "interface", port, "type=internal"));
        }
        args.addAll(List.of("--", "set-controller", BRIDGE, "tcp:127.0.0.1:" + controller.getPort()));
        return args.toArray(String[]::new);
    }

    private static OFSwitch awaitConnected(Controller controller, PrivateOvs ovs, DatapathId dpid)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(CONNECT_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Optional<OFSwitch> sw = controller.switches().getSwitch(dpid);
            boolean ovsSaysConnected = ovs.vsctl("--columns=is_connected", "list", "controller").contains("true");
            if (sw.isPresent() && ovsSaysConnected && sw.get().ports().size() == PORTS.size() + 1) {
                return sw.get();
            }
            Thread.sleep(100);
        }
        throw new UserFacingException("OVS did not connect to the controller within " + CONNECT_TIMEOUT.toSeconds()
                + " s; see " + ovs.runDirectory().resolve("ovs-vswitchd.log"));
    }

    private static void report(PrintStream out, PrivateOvs ovs, OFSwitch sw) {
        String mgmt = "unix:" + ovs.runDirectory().resolve(BRIDGE + ".mgmt");
        String ofVersion = "OpenFlow1" + (sw.version().getWireVersion() - 1);
        out.println();
        out.println("OVS is connected to Switchboard:");
        out.println("  ovs-vsctl list controller  ->  is_connected: true");
        out.println("  switch " + sw.id() + " from " + sw.remoteAddress() + ", " + ofVersion + ", " + sw.description());
        out.println("  ports: " + sw.ports().values().stream().map(DemoCommand::describe).sorted()
                .collect(Collectors.joining(" ")));
        out.println();
        out.println("Flows the controller installed (ovs-ofctl -O " + ofVersion + " dump-flows):");
        ovs.ofctl("-O", ofVersion, "dump-flows", mgmt).lines().forEach(line -> out.println("  " + line));
        out.println();
        out.println("Look for yourself (while the demo runs):");
        out.println("  ovs-vsctl --db=" + ovs.dbTarget() + " show");
        out.println("  ovs-ofctl -O " + ofVersion + " dump-flows " + mgmt);
        out.println("  ovs-ofctl -O " + ofVersion + " show " + mgmt);
        out.println("  less " + ovs.runDirectory().resolve("ovs-vswitchd.log"));
    }

    private static String describe(OFPortDesc port) {
        String number = port.getPortNo().equals(OFPort.LOCAL) ? "LOCAL" : String.valueOf(port.getPortNo().getPortNumber());
        return number + "(" + port.getName() + ")";
    }

    /** Stops what was started, in reverse order, once, from the finally block or the Ctrl-C hook. */
    private static final class Teardown {
        volatile Controller controller;
        volatile PrivateOvs ovs;
        private boolean done;

        synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            if (ovs != null) {
                ovs.close();
                System.out.println("Private OVS stopped, bridge and " + ovs.runDirectory() + " removed.");
            }
            if (controller != null) {
                controller.close();
            }
        }
    }
}
