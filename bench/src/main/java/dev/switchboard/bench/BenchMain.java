package dev.switchboard.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./switchboard bench …}: scripted benchmarks; results go to docs/benchmarks.md by hand. */
@Command(name = "switchboard bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark.",
        subcommands = {CommandLine.HelpCommand.class})
public final class BenchMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
