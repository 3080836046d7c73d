package dev.switchboard.bench;

import dev.switchboard.bench.openflow.ClusterBench;
import dev.switchboard.bench.openflow.OpenFlowBench;
import dev.switchboard.bench.reliability.FuzzBench;
import dev.switchboard.bench.reliability.SoakBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./switchboard bench …}: scripted benchmarks; results go to docs/benchmarks.md by hand. */
@Command(name = "switchboard bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark: ovsdb, lab, openflow, cluster, flows, jmh, flood, fuzz, soak.",
        subcommands = {OvsdbBench.class, LabBench.class, OpenFlowBench.class, ClusterBench.class, FlowsBench.class, JmhBench.class, FloodBench.class,
                FuzzBench.class, SoakBench.class, CommandLine.HelpCommand.class})
public final class BenchMain {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            // JMH parses its own options (-prof gc, -t 2 …), which picocli would refuse as unknown.
            JmhBench.run(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        CommandLine commandLine = new CommandLine(new BenchMain())
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    // A failed check or a busy host is said in one line; anything else is a bug: show where.
                    if (!(e instanceof IllegalStateException || e instanceof IllegalArgumentException)) {
                        e.printStackTrace(command.getErr());
                    }
                    command.getErr().println("switchboard bench: " + e.getMessage());
                    return 1;
                });
        System.exit(commandLine.execute(args));
    }
}
