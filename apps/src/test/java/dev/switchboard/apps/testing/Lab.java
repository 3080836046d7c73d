package dev.switchboard.apps.testing;

import static org.awaitility.Awaitility.await;

import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import dev.switchboard.emulator.FlowTable;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The real controller on a free loopback port with apps started through {@link AppRuntime},
 * emulated switches connected to it, and a count of packet-ins each switch's pipeline began, so
 * a test can wait until a packet that causes no reply has been handled.
 */
public final class Lab implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(5);

    private final Controller controller;
    private final InetSocketAddress address;
    private final EventLoopGroup switchLoops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<EmulatedSwitch> emulators = new ArrayList<>();
    private final Map<DatapathId, AtomicInteger> packetIns = new ConcurrentHashMap<>();
    private final AppRuntime apps;

    public Lab(List<SwitchboardApp> apps, Map<String, Map<String, Object>> configs) {
        controller = new Controller(ControllerConfig.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopThreads(2)
                .build());
        address = controller.start().get(0);
        controller.packetIns().addProcessor("test-counter", Integer.MIN_VALUE, (sw, pi) -> {
            packetIns.computeIfAbsent(sw.id(), id -> new AtomicInteger()).incrementAndGet();
            return Disposition.CONTINUE;
        });
        this.apps = AppRuntime.start(controller.switches(), controller.packetIns(), apps,
                name -> AppConfig.of("apps." + name, configs.getOrDefault(name, Map.of())));
    }

    /**
     * Connects a switch speaking only {@code version}, with ports 1..portCount, and waits until
     * the apps serve it (its flows reconciled).
     */
    public EmulatedSwitch connect(long dpid, OFVersion version, int portCount) {
        return connect(dpid, version, portCount, new FlowTable());
    }

    /** As {@link #connect(long, OFVersion, int)}, the switch holding {@code flows} (e.g. a disconnected switch's). */
    public EmulatedSwitch connect(long dpid, OFVersion version, int portCount, FlowTable flows) {
        EmulatedSwitch emulator = connectUnserved(prepare(dpid, version, portCount, flows));
        await().atMost(WAIT).until(() -> controller.switches().getSwitch(emulator.datapathId())
                .filter(sw -> sw.remoteAddress().getPort() == emulator.localAddress().getPort())
                .filter(apps::serves).isPresent());
        return emulator;
    }

    /** A switch speaking only {@code version}, with ports 1..portCount, holding {@code flows}; not connected yet. */
    public static EmulatedSwitch prepare(long dpid, OFVersion version, int portCount, FlowTable flows) {
        return EmulatedSwitch.prepare(EmulatedSwitchOptions.builder()
                .datapathId(DatapathId.of(dpid))
                .helloVersion(version)
                .supportedVersions(version)
                .portCount(portCount)
                .build()).withFlowTable(flows);
    }

    /** Connects a prepared switch (answering as the test likes) without waiting for the apps to serve it. */
    public EmulatedSwitch connectUnserved(EmulatedSwitch emulator) {
        emulators.add(emulator);
        emulator.connectTo(switchLoops, address);
        return emulator;
    }

    /** Whether the apps serve the switch with this id (its flows reconciled). */
    public boolean serves(long dpid) {
        return controller.switches().getSwitch(DatapathId.of(dpid)).filter(apps::serves).isPresent();
    }

    /** The switches connected so far, in order. */
    public List<EmulatedSwitch> emulators() {
        return List.copyOf(emulators);
    }

    public OFSwitch sw(long dpid) {
        return controller.switches().getSwitch(DatapathId.of(dpid)).orElseThrow();
    }

    /** Waits until the controller's pipeline began {@code count} packet-ins from this switch (all earlier ones are done). */
    public void awaitPacketIns(long dpid, int count) {
        await().atMost(WAIT).until(() -> packetIns.getOrDefault(DatapathId.of(dpid), new AtomicInteger()).get() >= count);
    }

    @Override
    public void close() {
        apps.close();
        emulators.forEach(EmulatedSwitch::close);
        controller.close();
        switchLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
