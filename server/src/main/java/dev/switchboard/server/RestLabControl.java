package dev.switchboard.server;

import dev.switchboard.controller.Controller;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.lab.run.LabRunner;
import dev.switchboard.lab.run.LabState;
import dev.switchboard.lab.spec.ControllerTarget;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.LabSpecException;
import dev.switchboard.lab.spec.OvsSwitch;
import dev.switchboard.rest.ApiException;
import dev.switchboard.rest.LabControl;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The REST API's labs: {@link LabRunner} on the host's network, its progress lines handed to
 * the API's operation instead of standard output.
 *
 * <p>A lab whose OVS switches are given this controller on loopback reaches it from Switchboard's
 * private OVS, which runs in a network namespace of its own, on that namespace's uplink instead
 * ({@link LabRunner#extraControllerAddress()}). A controller configured to listen on loopback only
 * would never see them, so before such a lab comes up the controller also listens on the uplink,
 * at the same port ({@link Controller#listenAlso}); the demo does the same when it starts.
 */
final class RestLabControl implements LabControl {
    private final Controller controller;
    /** The controller's plain TCP listen addresses, as bound. */
    private final List<InetSocketAddress> openflowTcp;

    RestLabControl(Controller controller, List<InetSocketAddress> openflowTcp) {
        this.controller = controller;
        this.openflowTcp = List.copyOf(openflowTcp);
    }

    @Override
    public List<String> labs() {
        return LabState.labs();
    }

    @Override
    public Optional<List<String>> status(String lab) {
        if (LabState.read(lab).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(runner(line -> { }).status(lab));
    }

    @Override
    public PreparedLab prepare(String source, String name, String controller) {
        LabSpec spec;
        try {
            spec = LabRunner.specOf(source, source.startsWith("topo:") ? "topo" : "body", name, controller);
        } catch (LabSpecException e) {
            // every problem, each "body:LINE: key.path: message", as the CLI prints them
            throw ApiException.badRequest(source.startsWith("topo:") ? "topo" : "body", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(source.startsWith("topo:") ? "topo" : "name", e.getMessage());
        }
        return new PreparedLab() {
            @Override
            public String name() {
                return spec.name();
            }

            @Override
            public void up(Consumer<String> progress) {
                LabRunner runner = runner(progress);
                try {
                    listenWhereTheLabReachesUs(spec, runner, progress);
                    runner.up(spec, source, controller);
                } catch (RuntimeException e) {
                    try {
                        runner.stopUnusedOvs(); // started for its uplink even if the lab did not come up
                    } catch (RuntimeException stop) {
                        e.addSuppressed(stop);
                    }
                    throw e;
                }
            }
        };
    }

    @Override
    public boolean down(String lab, Consumer<String> progress) {
        return runner(progress).down(lab);
    }

    /**
     * The ports of this controller the lab's OVS switches are given on a loopback address: those
     * the controller listens on at a loopback address (a wildcard listener covers the uplink
     * already, and another port is another controller's). When the labs' OVS is the private one,
     * the controller listens on its uplink at each such port too.
     */
    private void listenWhereTheLabReachesUs(LabSpec spec, LabRunner runner, Consumer<String> progress) {
        Set<Integer> ports = new TreeSet<>();
        spec.switches().stream().filter(OvsSwitch.class::isInstance).map(s -> ((OvsSwitch) s).controller())
                .flatMap(Optional::stream).filter(target -> target.address().isLoopbackAddress())
                .map(ControllerTarget::port).filter(this::listensOnLoopback).forEach(ports::add);
        if (ports.isEmpty()) {
            return;
        }
        runner.extraControllerAddress().ifPresent(uplink -> ports.forEach(port -> {
            InetSocketAddress bound = controller.listenAlso(new InetSocketAddress(uplink, port));
            progress.accept("controller: listening also on tcp:" + bound.getHostString() + ":" + bound.getPort()
                    + ", where the labs' OVS (in a network namespace of its own) reaches it");
        }));
    }

    private boolean listensOnLoopback(int port) {
        return openflowTcp.stream().anyMatch(a -> a.getPort() == port && a.getAddress() != null
                && a.getAddress().isLoopbackAddress());
    }

    private static LabRunner runner(Consumer<String> progress) {
        return new LabRunner(new HostNetwork(), new PrintStream(new Lines(progress), true, StandardCharsets.UTF_8));
    }

    /** An output stream cut into lines, each handed to {@code sink}. */
    private static final class Lines extends OutputStream {
        private final Consumer<String> sink;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(Consumer<String> sink) {
            this.sink = sink;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                sink.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else if (line.size() < 4096) {
                line.write(b);
            }
        }
    }
}
