package dev.switchboard.server.cli;

import static dev.switchboard.server.cli.TableRenderer.Column.left;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code switchboard apps}: the apps a running controller runs. */
@Command(name = "apps", mixinStandardHelpOptions = true,
        description = {"The apps a running controller runs, in start order, with their flow cookies "
                + "(GET /api/v1/apps; --json shows their settings too)."},
        exitCodeListHeading = ExitStatus.HEADING,
        exitCodeList = {ExitStatus.OK_LINE, ExitStatus.FAILED_LINE, ExitStatus.USAGE_LINE, ExitStatus.UNREACHABLE_LINE})
public final class AppsCommand extends ApiCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Override
    ApiOptions options() {
        return api;
    }

    @Override
    int run(ApiClient client) {
        return print(client.get("/apps"), AppsCommand::table, "no apps run");
    }

    /** NAME, COOKIE, CONSUMES, DESCRIPTION. */
    static TableRenderer table(JsonNode apps) {
        TableRenderer table = TableRenderer.of(left("NAME"), left("COOKIE"), left("CONSUMES"), left("DESCRIPTION"));
        for (JsonNode app : apps) {
            table.row(app.path("name").asText(null), app.path("cookie").asText(null),
                    Text.joined(app.path("consumes")), app.path("description").asText(null));
        }
        return table;
    }
}
