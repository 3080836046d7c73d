package dev.switchboard.server.cli;

import static dev.switchboard.server.cli.TableRenderer.Column.left;
import static dev.switchboard.server.cli.TableRenderer.Column.right;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code switchboard switches [DPID]}: the switches a running controller has, or one switch's ports. */
@Command(name = "switches", mixinStandardHelpOptions = true,
        description = {"The switches connected to a running controller (GET /api/v1/switches), or with DPID "
                + "that switch's ports (GET /api/v1/switches/DPID)."},
        exitCodeListHeading = ExitStatus.HEADING,
        exitCodeList = {ExitStatus.OK_LINE, ExitStatus.FAILED_LINE, ExitStatus.USAGE_LINE, ExitStatus.UNREACHABLE_LINE})
public final class SwitchesCommand extends ApiCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    @Parameters(arity = "0..1", paramLabel = "DPID",
            description = "A switch's datapath id: 00:00:00:00:00:00:00:01, or up to 16 hex digits (1).")
    String dpid;

    @Override
    ApiOptions options() {
        return api;
    }

    @Override
    int run(ApiClient client) {
        if (dpid == null) {
            return print(client.get("/switches"), switches -> table(switches, clock.instant()), "no switch is connected");
        } else {
            JsonNode sw = client.get("/switches/" + ApiClient.pathSegment(dpid));
            if (json()) {
                printJson(sw);
            } else {
                out().print(describe(sw, clock.instant()));
                printTable(ports(sw), "it has no ports");
            }
        }
        return ExitStatus.OK;
    }

    /** DPID, VERSION, PORTS, CONNECTED SINCE, ADDRESS, and who made it. */
    static TableRenderer table(JsonNode switches, Instant now) {
        TableRenderer table = TableRenderer.of(left("DPID"), left("VERSION"), right("PORTS"), left("CONNECTED SINCE"),
                left("ADDRESS"), left("SOFTWARE"));
        for (JsonNode sw : switches) {
            table.row(sw.path("dpid").asText(null), sw.path("version").asText(null), sw.path("ports").size(),
                    since(sw.path("connectedSince").asText(null), now), sw.path("remoteAddress").asText(null),
                    software(sw.path("description")));
        }
        return table;
    }

    /** A few lines about one switch, before its ports. */
    static String describe(JsonNode sw, Instant now) {
        JsonNode d = sw.path("description");
        JsonNode features = sw.path("features");
        return TableRenderer.of(left("SWITCH"), left(Text.printable(sw.path("dpid").asText(null))))
                .row("version", "OpenFlow " + sw.path("version").asText("?")
                        + (sw.hasNonNull("role") ? ", role " + sw.path("role").asText() : ""))
                .row("address", sw.path("remoteAddress").asText(null))
                .row("connected since", since(sw.path("connectedSince").asText(null), now))
                .row("made by", d.path("manufacturer").asText("") + " " + d.path("hardware").asText(""))
                .row("software", d.path("software").asText(null))
                .row("tables", features.path("tables").asText(null))
                .render() + "\n";
    }

    /** PORT, NAME, MAC, UP, CONFIG, STATE, SPEED. */
    static TableRenderer ports(JsonNode sw) {
        TableRenderer table = TableRenderer.of(right("PORT"), left("NAME"), left("MAC"), left("UP"), right("SPEED"),
                left("CONFIG"), left("STATE"));
        for (JsonNode port : sw.path("ports")) {
            long speed = port.path("currentSpeedKbps").asLong(-1);
            table.row(portNumber(port.path("number").asLong()), port.path("name").asText(null),
                    port.path("hwAddress").asText(null), port.path("up").asBoolean() ? "yes" : "no",
                    speed <= 0 ? "-" : speedText(speed), Text.joined(port.path("config")), Text.joined(port.path("state")));
        }
        return table;
    }

    /** The reserved numbers by name: {@code LOCAL} rather than 4294967294. */
    static String portNumber(long number) {
        return number == 0xFFFF_FFFEL || number == 0xFFFEL ? "LOCAL" : Long.toString(number);
    }

    private static String speedText(long kbps) {
        if (kbps >= 1_000_000 && kbps % 1_000_000 == 0) {
            return kbps / 1_000_000 + " Gb/s";
        }
        return kbps >= 1000 && kbps % 1000 == 0 ? kbps / 1000 + " Mb/s" : kbps + " kb/s";
    }

    private static String software(JsonNode description) {
        String manufacturer = description.path("manufacturer").asText("");
        String software = description.path("software").asText("");
        String both = (manufacturer + " " + software).strip();
        return both.isEmpty() ? null : both;
    }

    /** {@code 2026-12-05 10:36:20Z (5m ago)}; the API's text as it is if it is not an instant. */
    static String since(String instant, Instant now) {
        if (instant == null) {
            return null;
        }
        try {
            Instant at = Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS);
            return at.toString().replace('T', ' ') + " (" + Text.roughly(Duration.between(at, now)) + " ago)";
        } catch (DateTimeParseException e) {
            return instant;
        }
    }
}
