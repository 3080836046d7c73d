package dev.switchboard.server;

import dev.switchboard.server.cli.AppsCommand;
import dev.switchboard.server.cli.FlowsCommand;
import dev.switchboard.server.cli.HostsCommand;
import dev.switchboard.server.cli.LinksCommand;
import dev.switchboard.server.cli.SwitchesCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code switchboard} command line; the launcher script calls it after building. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, version = "Switchboard 0.1.0",
        description = "OpenFlow / Open vSwitch SDN controller.",
        subcommands = {ControllerCommand.class, DemoCommand.class, LabCommand.class, OvsCommand.class,
                ZooKeeperCommand.class,
                // against a running controller's REST API (package cli)
                SwitchesCommand.class, LinksCommand.class, HostsCommand.class, FlowsCommand.class, AppsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof SwitchboardConfig.ConfigException || e instanceof UserFacingException) {
                command.getErr().println("switchboard: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }
}
