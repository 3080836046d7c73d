package dev.switchboard.topology;

import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.AppFactory;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import dev.switchboard.hosts.HostService;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * A real controller on a free loopback port running the topology and hosts apps (found
 * through ServiceLoader and started by {@link AppRuntime}), and emulated switches. There is
 * no wire between emulated switches: a test "plugs a cable" by taking the probe the
 * controller sent out of one switch's port and handing it to the other switch as a
 * packet-in, which is exactly what a real cable and a table-miss flow would do.
 */
public final class AppsFixture implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(5);

    public final Controller controller;
    private final InetSocketAddress address;
    private final EventLoopGroup switchLoops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<EmulatedSwitch> emulators = new ArrayList<>();
    private final AppRuntime apps;
    private volatile TopologyService topology;
    private volatile HostService hosts;

    /** @param configs each app's config section, as it would be written in YAML */
    public AppsFixture(Map<String, Map<String, ?>> configs) {
        this(configs, null);
    }

    /**
     * As one member of a cluster whose members share the topology and hosts through
     * {@code exchange}; alone when it is null.
     */
    public AppsFixture(Map<String, Map<String, ?>> configs, ClusterExchange exchange) {
        controller = new Controller(ControllerConfig.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopThreads(2)
                .build());
        address = controller.start().get(0);
        List<SwitchboardApp> wanted = new ArrayList<>(AppRuntime.resolve(List.of("hosts"),
                AppRuntime.available(AppsFixture.class.getClassLoader())));
        wanted.add(new ServiceUser());
        apps = AppRuntime.start(controller.switches(), controller.packetIns(), wanted,
                name -> AppConfig.of("apps." + name, configs.get(name)), factory(exchange));
    }

    /** As the server's injector would make the apps: with the cluster's exchange when there is one. */
    private static AppFactory factory(ClusterExchange exchange) {
        if (exchange == null) {
            return AppFactory.reflective();
        }
        return (described, context) -> {
            if (described instanceof TopologyApp) {
                return new TopologyApp(java.util.Optional.of(exchange));
            }
            if (described instanceof dev.switchboard.hosts.HostsApp) {
                return new dev.switchboard.hosts.HostsApp(context.service(TopologyService.class),
                        java.util.Optional.of(exchange));
            }
            return AppFactory.reflective().create(described, context);
        };
    }

    /** Probes every hour, so only the probes sent when a switch or port appears are seen. */
    public static AppsFixture quiet() {
        return quiet(null);
    }

    /** {@link #quiet()} as a member of a cluster sharing through {@code exchange}. */
    public static AppsFixture quiet(ClusterExchange exchange) {
        return new AppsFixture(Map.of("topology", Map.of("probeInterval", "1h", "quarantine", "0ms")), exchange);
    }

    /** An app like any other that uses the services, as apps that require them would. */
    private final class ServiceUser implements SwitchboardApp {
        @Override
        public String name() {
            return "services-under-test";
        }

        @Override
        public int cookieNumber() {
            return 0xF0;
        }

        @Override
        public List<Class<?>> consumes() {
            return List.of(TopologyService.class, HostService.class);
        }

        @Override
        public void start(AppContext context) {
            topology = context.service(TopologyService.class);
            hosts = context.service(HostService.class);
        }
    }

    public List<String> appNames() {
        return apps.names();
    }

    public TopologyService topology() {
        return topology;
    }

    public HostService hosts() {
        return hosts;
    }

    public EmulatedSwitch connect(long dpid, int ports) {
        return connect(EmulatedSwitchOptions.builder().datapathId(DatapathId.of(dpid)).portCount(ports).build());
    }

    public EmulatedSwitch connect(long dpid, int ports, OFVersion version) {
        return connect(EmulatedSwitchOptions.builder().datapathId(DatapathId.of(dpid)).portCount(ports)
                .helloVersion(version).supportedVersions(version).build());
    }

    /** Connects and waits until the topology shows the switch. */
    public EmulatedSwitch connect(EmulatedSwitchOptions options) {
        EmulatedSwitch emulator = EmulatedSwitch.prepare(options);
        emulators.add(emulator);
        emulator.connectTo(switchLoops, address);
        await().atMost(WAIT).until(() -> topology.current().switches().contains(options.datapathId()));
        return emulator;
    }

    public OFSwitch controllerSide(EmulatedSwitch emulator) {
        return controller.switches().getSwitch(emulator.datapathId()).orElseThrow();
    }

    /** The frames of the packet-outs sent to {@code emulator} out of {@code port}, with EtherType {@code type}. */
    public static List<byte[]> probesSent(EmulatedSwitch emulator, int port, int type) {
        List<byte[]> frames = new ArrayList<>();
        for (OFPacketOut out : emulator.received(OFPacketOut.class)) {
            if (outputsTo(out, port) && EthernetFrames.etherType(out.getData()) == type) {
                frames.add(out.getData());
            }
        }
        return frames;
    }

    static boolean outputsTo(OFPacketOut out, int port) {
        List<OFAction> actions = out.getActions();
        return actions.size() == 1 && actions.get(0) instanceof OFActionOutput output
                && output.getPort().equals(OFPort.of(port));
    }

    /** Waits for a probe of {@code type} sent out of {@code port}. */
    public static byte[] probe(EmulatedSwitch emulator, int port, int type) {
        return await().atMost(WAIT).until(() -> probesSent(emulator, port, type), list -> !list.isEmpty()).get(0);
    }

    /** What a cable from a/aPort to b/bPort would do with a's LLDP probe (one direction). */
    public static void deliverLldp(EmulatedSwitch a, int aPort, EmulatedSwitch b, int bPort) {
        b.sendPacketIn(OFPort.of(bPort), probe(a, aPort, EthernetFrames.TYPE_LLDP));
    }

    /** Both directions of a cable, and waits until the topology shows both links. */
    public void cable(EmulatedSwitch a, int aPort, EmulatedSwitch b, int bPort) {
        deliverLldp(a, aPort, b, bPort);
        deliverLldp(b, bPort, a, aPort);
        Link forward = new Link(port(a, aPort), port(b, bPort), Link.Kind.DIRECT);
        await().atMost(WAIT).until(() -> topology.current().links().containsAll(List.of(forward, forward.reversed())));
    }

    public static SwitchPort port(EmulatedSwitch emulator, int port) {
        return new SwitchPort(emulator.datapathId(), OFPort.of(port));
    }

    @Override
    public void close() {
        apps.close();
        emulators.forEach(EmulatedSwitch::close);
        controller.close();
        switchLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
