package dev.switchboard.server;

import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.hostnet.HostNetworkException;
import dev.switchboard.lab.run.LabRunner;
import dev.switchboard.lab.run.LabState;
import dev.switchboard.lab.run.PingReport;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.LabSpecException;
import dev.switchboard.lab.spec.LabSpecs;
import dev.switchboard.ovsdb.ops.OvsdbTransactionException;
import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import dev.switchboard.ovsdb.vswitch.VSwitchException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code switchboard lab}: bring labs of namespaces, veths, OVS and Linux bridges up and down. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Bring up, inspect and tear down labs (YAML specs or Mininet-named topologies).",
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Ping.class,
                LabCommand.Exec.class, LabCommand.ListLabs.class})
final class LabCommand {

    static LabRunner runner() {
        CliLogging.errorsOnly();
        return com.google.inject.Guice.createInjector(new LabsModule()).getInstance(LabRunner.class);
    }

    /** Runs a lab action, turning the libraries' errors into one line for the user. */
    static int guarded(Callable<Integer> action) {
        try {
            return action.call();
        } catch (LabSpecException | HostNetworkException | VSwitchException | OvsdbSchemaException
                | OvsdbTransactionException | IllegalArgumentException
                | IllegalStateException | java.io.UncheckedIOException e) {
            throw new UserFacingException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new UserFacingException(e.toString(), e);
        }
    }

    /** Steps drawn on standard output, where the runner prints its lines too. */
    static Progress terminalProgress() {
        return Progress.on(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
    }

    /** The lab to act on: the one named, or the only one there is. */
    static String labName(String given) {
        if (given != null) {
            return given;
        }
        List<String> labs = LabState.labs();
        if (labs.size() == 1) {
            return labs.get(0);
        }
        throw new UserFacingException(labs.isEmpty() ? "no lab is up" : "several labs are up " + labs + ": name one");
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Bring a lab up, or make an existing one whole again (safe to repeat).")
    static final class Up implements Callable<Integer> {
        static final class Source {
            @Parameters(paramLabel = "SPEC", description = "A lab spec (YAML).")
            Path spec;

            @Option(names = "--topo", paramLabel = "NAME",
                    description = "A Mininet-named topology: single,N  linear,N  tree,DEPTH,FANOUT  ring,N (needs --controller)  minimal.")
            String topo;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Option(names = "--controller", paramLabel = "HOST:PORT",
                description = "Point every OVS switch at this OpenFlow controller (default: switches run standalone).")
        String controller;

        @Option(names = "--name", paramLabel = "LAB", description = "The lab's name (default: the spec's, or mn for --topo).")
        String name;

        @Override
        public Integer call() {
            return guarded(() -> {
                String text = source.topo != null ? "topo:" + source.topo : read(source.spec);
                String target = controller == null ? null : controller.startsWith("tcp:") ? controller : "tcp:" + controller;
                LabSpec spec = LabRunner.specOf(text, source.topo != null ? "--topo" : source.spec.toString(), name, target);
                runner().up(spec, text, target, terminalProgress());
                return 0;
            });
        }

        /** The spec's text, within the limits of every YAML file (size, line length). */
        private static String read(Path file) throws IOException {
            if (!Files.isReadable(file)) {
                throw new UserFacingException(file + ": no such file");
            }
            return LabSpecs.read(file);
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Remove everything the lab made.")
    static final class Down implements Callable<Integer> {
        @Parameters(paramLabel = "LAB", arity = "0..1", description = "The lab (default: the only one).")
        String lab;

        @Override
        public Integer call() {
            return guarded(() -> {
                String name = labName(lab);
                if (!runner().down(name, terminalProgress())) {
                    throw new UserFacingException("no lab named " + name);
                }
                return 0;
            });
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "What the lab has, what is up, what is missing.")
    static final class Status implements Callable<Integer> {
        @Parameters(paramLabel = "LAB", arity = "0..1")
        String lab;

        @Override
        public Integer call() {
            return guarded(() -> {
                List<String> lines = runner().status(labName(lab));
                lines.forEach(System.out::println);
                return lines.stream().anyMatch(l -> l.endsWith("MISSING") || l.endsWith("DOWN")) ? 1 : 0;
            });
        }
    }

    @Command(name = "ping", mixinStandardHelpOptions = true,
            description = "Ping every host from every other (as Mininet's pingall); exit 1 if any pair fails.")
    static final class Ping implements Callable<Integer> {
        @Parameters(paramLabel = "LAB", arity = "0..1")
        String lab;

        @Override
        public Integer call() {
            return guarded(() -> {
                PingReport report = runner().ping(labName(lab));
                return report.failed() ? 1 : 0;
            });
        }
    }

    @Command(name = "exec", mixinStandardHelpOptions = true,
            description = "Run a command in a host's namespace: lab exec [--lab LAB] HOST -- CMD [ARGS...]")
    static final class Exec implements Callable<Integer> {
        @Option(names = "--lab", paramLabel = "LAB", description = "The lab (default: the only one).")
        String lab;

        @Parameters(index = "0", paramLabel = "HOST")
        String host;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
        List<String> command;

        @Override
        public Integer call() {
            return guarded(() -> {
                ExecResult result = runner().exec(labName(lab), host, command);
                System.out.print(result.stdout());
                System.err.print(result.stderr());
                return result.exitCode();
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The labs that are up.")
    static final class ListLabs implements Callable<Integer> {
        @Override
        public Integer call() {
            PrintStream out = System.out;
            LabState.labs().forEach(out::println);
            return 0;
        }
    }
}
