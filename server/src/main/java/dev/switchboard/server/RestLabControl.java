package dev.switchboard.server;

import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.lab.run.LabRunner;
import dev.switchboard.lab.run.LabState;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.LabSpecException;
import dev.switchboard.rest.ApiException;
import dev.switchboard.rest.LabControl;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The REST API's labs: {@link LabRunner} on the host's network, its progress lines handed to
 * the API's operation instead of standard output.
 */
final class RestLabControl implements LabControl {

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
                runner(progress).up(spec, source, controller);
            }
        };
    }

    @Override
    public boolean down(String lab, Consumer<String> progress) {
        return runner(progress).down(lab);
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
