package dev.switchboard.server.cli;

import static dev.switchboard.server.cli.TableRenderer.Column.left;
import static dev.switchboard.server.cli.TableRenderer.Column.right;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code switchboard hosts}: the hosts a running controller's hosts app tracks. */
@Command(name = "hosts", mixinStandardHelpOptions = true,
        description = {"The hosts the hosts app of a running controller tracks, with where they are attached "
                + "(GET /api/v1/hosts). Needs the hosts app (exit status 1 if it does not run)."},
        exitCodeListHeading = ExitStatus.HEADING,
        exitCodeList = {ExitStatus.OK_LINE, ExitStatus.FAILED_LINE, ExitStatus.USAGE_LINE, ExitStatus.UNREACHABLE_LINE})
public final class HostsCommand extends ApiCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Override
    ApiOptions options() {
        return api;
    }

    @Override
    int run(ApiClient client) {
        return print(client.get("/hosts"), hosts -> table(hosts, clock.instant()), "no hosts seen");
    }

    /** MAC, VLAN, DPID, PORT, IPV4, IPV6, LAST SEEN. */
    static TableRenderer table(JsonNode hosts, Instant now) {
        TableRenderer table = TableRenderer.of(left("MAC"), right("VLAN"), left("DPID"), right("PORT"), left("IPV4"),
                left("IPV6"), left("LAST SEEN"));
        for (JsonNode host : hosts) {
            JsonNode at = host.path("location");
            int vlan = host.path("vlan").asInt();
            table.row(host.path("mac").asText(null), vlan == 0 ? "-" : Integer.toString(vlan), at.path("dpid").asText(null),
                    SwitchesCommand.portNumber(at.path("port").asLong()), Text.joined(host.path("ipv4")), Text.joined(host.path("ipv6")),
                    SwitchesCommand.since(host.path("lastSeen").asText(null), now));
        }
        return table;
    }
}
