package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.flows.BulkFlowInstaller;
import dev.switchboard.controller.flows.BulkFlowResult;
import dev.switchboard.controller.flows.FlowFailure;
import dev.switchboard.controller.flows.FlowFiles;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Bulk flow programming against a real private OVS: 5,000 flows from an ovs-ofctl style file, as
 * barrier-fenced batches (1.0, 1.3) or one bundle (1.4, 1.5), then a set with one flow OVS
 * refuses (an output to port 0xff00, above OFPP_MAX): batches keep the others, a bundle none.
 */
class BulkFlowsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int FLOWS = 5000;
    private static final int BAD_INDEX = 321;
    private static final String COOKIE = "0xb0";

    private static PrivateOvs ovs;
    private static Controller controller;
    private static InetSocketAddress address;
    private static ExecutorService executor;

    @BeforeAll
    static void start() {
        // the switches live in the private OVS's namespace and reach the controller over its uplink
        ovs = PrivateOvs.start();
        controller = new Controller(ControllerConfig.builder().listen(new InetSocketAddress(ovs.controllerAddress(), 0)).build());
        address = controller.start().get(0);
        executor = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stop() {
        if (ovs != null) {
            ovs.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13", "OF_14", "OF_15"})
    void installsThousandsOfFlowsAndReportsTheOneOvsRefuses(OFVersion version) throws Exception {
        String ovsVersion = "OpenFlow1" + (version.getWireVersion() - 1);
        String bridge = RunNames.name("bf" + (version.getWireVersion() + 9));
        DatapathId dpid = DatapathId.of(0xbf00 + version.getWireVersion());
        boolean bundle = version.compareTo(OFVersion.OF_14) >= 0;
        try {
            ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev",
                    "protocols=" + ovsVersion, "fail_mode=secure",
                    "other-config:datapath-id=" + dpid.toString().replace(":", ""),
                    "--", "set-controller", bridge, ovs.controllerTarget(address.getPort()),
                    "--", "set", "controller", bridge, "max_backoff=1000");
            OFSwitch sw = await().atMost(PATIENCE).until(() -> controller.switches().getSwitch(dpid),
                    s -> s.isPresent()).orElseThrow();
            BulkFlowInstaller installer = new BulkFlowInstaller(controller.switches(), executor, BulkFlowInstaller.Options.DEFAULTS);

            List<OFFlowAdd> flows = FlowFiles.parse(file(FLOWS), sw.factory());
            BulkFlowResult result = installer.install(sw, flows).get(120, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(result.method()).isEqualTo(bundle ? BulkFlowResult.Method.BUNDLE : BulkFlowResult.Method.BARRIER_BATCHES);
            assertThat(result.succeeded()).as("%s", result).isTrue();
            assertThat(result.installed()).isEqualTo(FLOWS);
            assertThat(ourFlows(ovsVersion, bridge)).as("flows in OVS; its log: %s", ovsLog()).isEqualTo(FLOWS);

            ovs.ofctl("-O", ovsVersion, "del-flows", bridge, "cookie=" + COOKIE + "/-1");
            List<OFFlowMod> withBadOne = new ArrayList<>(FlowFiles.parse(file(1000), sw.factory()));
            withBadOne.set(BAD_INDEX, outputTo(withBadOne.get(BAD_INDEX), OFPort.of(0xff00)));
            BulkFlowResult mixed = installer.install(sw, withBadOne).get(120, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(mixed.failures()).extracting(FlowFailure::index).containsExactly(BAD_INDEX);
            assertThat(mixed.failures().get(0).type()).isEqualTo("BAD_ACTION");
            if (bundle) {
                assertThat(mixed.rolledBack()).isTrue();
                assertThat(mixed.bundleError()).isPresent();
                assertThat(ourFlows(ovsVersion, bridge)).isZero();
            } else {
                assertThat(mixed.installed()).isEqualTo(999);
                assertThat(ourFlows(ovsVersion, bridge)).isEqualTo(999);
            }
        } finally {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    private static String file(int count) {
        return "# generated by BulkFlowsIT\n" + IntStream.range(0, count)
                .mapToObj(i -> "cookie=" + COOKIE + ",priority=10,ip,nw_dst=10." + (i >> 8) + "." + (i & 0xff) + ".1,"
                        + "actions=mod_dl_dst:00:00:00:00:00:01,output:" + (1 + i % 4))
                .collect(Collectors.joining("\n"));
    }

    /** The same flow with one output to {@code port} instead of its actions. */
    private static OFFlowMod outputTo(OFFlowMod flow, OFPort port) {
        OFFactory f = OFFactories.getFactory(flow.getVersion());
        List<OFAction> actions = List.of(f.actions().output(port, 0));
        OFFlowMod.Builder copy = flow.createBuilder();
        if (flow.getVersion() == OFVersion.OF_10) {
            copy.setActions(actions);
        } else {
            copy.setInstructions(List.of(f.instructions().applyActions(actions)));
        }
        return copy.build();
    }

    private static String ovsLog() {
        try {
            return java.nio.file.Files.readAllLines(ovs.runDirectory().resolve("ovs-vswitchd.log")).stream()
                    .filter(line -> line.contains("WARN") || line.contains("ERR") || line.toLowerCase().contains("bundle"))
                    .limit(30).collect(Collectors.joining("\n"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static long ourFlows(String ovsVersion, String bridge) {
        return ovs.ofctl("-O", ovsVersion, "dump-flows", bridge, "cookie=" + COOKIE + "/-1").lines()
                .filter(line -> line.contains("cookie=" + COOKIE + ","))
                .count();
    }
}
