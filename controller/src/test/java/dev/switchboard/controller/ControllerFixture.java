package dev.switchboard.controller;

import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.types.DatapathId;

/** A controller on a free loopback port, emulated switches connected to it, and a log of switch events. */
final class ControllerFixture implements AutoCloseable {
    final Controller controller;
    final InetSocketAddress address;
    final List<String> events = new CopyOnWriteArrayList<>();
    private final EventLoopGroup switchLoops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<EmulatedSwitch> emulators = new ArrayList<>();

    ControllerFixture() {
        this(UnaryOperator.identity());
    }

    ControllerFixture(UnaryOperator<ControllerConfig.Builder> customize) {
        ControllerConfig config = customize.apply(ControllerConfig.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopThreads(2))
                .build();
        controller = new Controller(config);
        address = controller.start().get(0);
        controller.switches().addSwitchListener(new SwitchListener() {
            @Override
            public void switchAdded(OFSwitch sw) {
                events.add("added " + sw.id() + " " + sw.remoteAddress().getPort());
            }

            @Override
            public void switchRemoved(OFSwitch sw) {
                events.add("removed " + sw.id() + " " + sw.remoteAddress().getPort());
            }

            @Override
            public void portAdded(OFSwitch sw, OFPortDesc port) {
                events.add("port added " + port.getName());
            }

            @Override
            public void portChanged(OFSwitch sw, OFPortDesc before, OFPortDesc after) {
                events.add("port changed " + after.getName());
            }

            @Override
            public void portRemoved(OFSwitch sw, OFPortDesc port) {
                events.add("port removed " + port.getName());
            }
        });
    }

    EmulatedSwitch connect(EmulatedSwitchOptions options) {
        return connect(EmulatedSwitch.prepare(options));
    }

    /** Connects a prepared emulator, whose answers were set before the handshake could start. */
    EmulatedSwitch connect(EmulatedSwitch prepared) {
        emulators.add(prepared);
        return prepared.connectTo(switchLoops, address);
    }

    EmulatedSwitch connect(long dpid) {
        return connect(EmulatedSwitchOptions.builder().datapathId(DatapathId.of(dpid)).build());
    }

    /** Connects and waits until the controller announced the switch. */
    OFSwitch connectReady(EmulatedSwitchOptions options) {
        EmulatedSwitch emulator = connect(options);
        return awaitSwitch(emulator);
    }

    OFSwitch awaitSwitch(EmulatedSwitch emulator) {
        return await().atMost(Duration.ofSeconds(5))
                .until(() -> controller.switches().getSwitch(emulator.datapathId())
                        .filter(sw -> sw.remoteAddress().getPort() == emulator.localAddress().getPort()),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    @Override
    public void close() {
        emulators.forEach(EmulatedSwitch::close);
        controller.close();
        switchLoops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
