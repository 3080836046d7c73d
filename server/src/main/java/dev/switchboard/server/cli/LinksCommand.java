package dev.switchboard.server.cli;

import static dev.switchboard.server.cli.TableRenderer.Column.left;
import static dev.switchboard.server.cli.TableRenderer.Column.right;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code switchboard links}: the links a running controller's topology app discovered. */
@Command(name = "links", mixinStandardHelpOptions = true,
        description = {"The links the topology app of a running controller discovered, one per direction "
                + "(GET /api/v1/links). Needs the topology app (exit status 1 if it does not run)."},
        exitCodeListHeading = ExitStatus.HEADING,
        exitCodeList = {ExitStatus.OK_LINE, ExitStatus.FAILED_LINE, ExitStatus.USAGE_LINE, ExitStatus.UNREACHABLE_LINE})
public final class LinksCommand extends ApiCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Override
    ApiOptions options() {
        return api;
    }

    @Override
    int run(ApiClient client) {
        return print(client.get("/links"), LinksCommand::table, "no links discovered");
    }

    /** SRC DPID, SRC PORT, DST DPID, DST PORT, KIND. */
    static TableRenderer table(JsonNode links) {
        TableRenderer table = TableRenderer.of(left("SRC DPID"), right("SRC PORT"), left("DST DPID"), right("DST PORT"),
                left("KIND"));
        for (JsonNode link : links) {
            JsonNode src = link.path("src");
            JsonNode dst = link.path("dst");
            table.row(src.path("dpid").asText(null), SwitchesCommand.portNumber(src.path("port").asLong()),
                    dst.path("dpid").asText(null), SwitchesCommand.portNumber(dst.path("port").asLong()),
                    link.path("kind").asText(null));
        }
        return table;
    }
}
