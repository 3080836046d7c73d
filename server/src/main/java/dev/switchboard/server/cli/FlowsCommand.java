package dev.switchboard.server.cli;

import static dev.switchboard.server.cli.TableRenderer.Column.left;
import static dev.switchboard.server.cli.TableRenderer.Column.right;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.server.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard flows DPID}: a switch's flows as a running controller reads them from the
 * switch; {@code flows add DPID FILE} installs a flow file through the controller,
 * {@code flows del DPID [MATCH]} deletes flows.
 */
@Command(name = "flows", mixinStandardHelpOptions = true,
        description = {"A switch's flows, read from the switch now by a running controller "
                + "(GET /api/v1/switches/DPID/flows); 'flows add', 'flows mod' and 'flows del' change them."},
        subcommands = {FlowsCommand.Add.class, FlowsCommand.Modify.class, FlowsCommand.Delete.class},
        exitCodeListHeading = ExitStatus.HEADING,
        exitCodeList = {ExitStatus.OK_LINE, ExitStatus.FAILED_LINE, ExitStatus.USAGE_LINE, ExitStatus.UNREACHABLE_LINE})
public final class FlowsCommand extends ApiCommand {

    @Mixin
    ApiOptions api = new ApiOptions();

    // optional here only so that 'flows add …' parses; 'flows' alone is a usage error
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
            throw CliFailure.usage("which switch? flows DPID, flows add DPID FILE, flows mod DPID FILE, flows del DPID [MATCH] (--help)");
        }
        return print(client.get(flowsPath(dpid)), FlowsCommand::table, "no flows");
    }

    static String flowsPath(String dpid) {
        return "/switches/" + ApiClient.pathSegment(dpid) + "/flows";
    }

    /** TABLE, PRIORITY, COOKIE, PACKETS, BYTES, AGE, MATCH, ACTIONS: one flow a line, as ovs-ofctl dump-flows. */
    static TableRenderer table(JsonNode flows) {
        TableRenderer table = TableRenderer.of(right("TABLE"), right("PRIORITY"), left("COOKIE"), right("PACKETS"),
                right("BYTES"), right("AGE"), left("MATCH"), left("ACTIONS"));
        for (JsonNode flow : flows) {
            long age = flow.path("durationSeconds").asLong(-1);
            table.row(flow.path("tableId").asInt(), flow.path("priority").asInt(), Text.shortHex(flow.path("cookie").asText(null)),
                    flow.path("packetCount").asLong(), flow.path("byteCount").asLong(),
                    age < 0 ? "-" : Text.roughly(java.time.Duration.ofSeconds(age)), match(flow.path("match")),
                    actions(flow.path("actions")));
        }
        return table;
    }

    /** {@code eth_type=0x800,ipv4_dst=10.0.0.1}, or {@code *} for a flow that matches everything. */
    private static String match(JsonNode match) {
        StringBuilder text = new StringBuilder();
        for (Entry<String, JsonNode> field : (Iterable<Entry<String, JsonNode>>) match::fields) {
            text.append(text.length() == 0 ? "" : ",").append(field.getKey()).append('=').append(field.getValue().asText());
        }
        return text.length() == 0 ? "*" : text.toString();
    }

    private static String actions(JsonNode actions) {
        return actions.isEmpty() ? "drop" : Text.joined(actions);
    }

    /** {@code flows add DPID FILE|-}: one request; the controller parses and installs the file. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Install the flows of FILE ('-': standard input) on a switch through a running controller "
                    + "(POST /api/v1/switches/DPID/flows), in one atomic bundle from OpenFlow 1.4 on, else in "
                    + "barrier-fenced batches.",
                    "FILE is ovs-ofctl add-flows text (one flow a line) or JSON (starts with { or [); see docs/flows.md. "
                            + "It is sent as it is; the controller names the line of any error. A big file shows "
                            + "its progress on a terminal (not with --json)."},
            exitCodeListHeading = ExitStatus.HEADING,
            exitCodeList = {ExitStatus.OK_LINE, "1:the controller refused the file (400, 413), or the switch refused some "
                    + "flows (they are listed; with a bundle none is installed)",
                    ExitStatus.USAGE_LINE, ExitStatus.UNREACHABLE_LINE})
    static final class Add extends Write {
        Add() {
            super("POST", "installed");
        }
    }

    /** {@code flows mod DPID FILE|-}: as ovs-ofctl mod-flows, through PUT. */
    @Command(name = "mod", mixinStandardHelpOptions = true,
            description = {"Modify flows through a running controller (PUT /api/v1/switches/DPID/flows), as ovs-ofctl "
                    + "mod-flows: each flow of FILE ('-': standard input) sets its actions on every flow its match "
                    + "covers (with --strict: on the flow with exactly that match and priority). In one atomic bundle "
                    + "from OpenFlow 1.4 on, else in barrier-fenced batches.",
                    "FILE is in the format of 'flows add'. A match that covers no flow is not an error (over OpenFlow 1.0 "
                            + "the switch adds it as a new flow, as the protocol says)."},
            exitCodeListHeading = ExitStatus.HEADING,
            exitCodeList = {ExitStatus.OK_LINE, "1:the controller refused the file (400, 413), or the switch refused some "
                    + "flows (they are listed; with a bundle none is changed)",
                    ExitStatus.USAGE_LINE, ExitStatus.UNREACHABLE_LINE})
    static final class Modify extends Write {
        @Option(names = "--strict", description = "Modify only the flow whose match and priority are exactly a line's.")
        boolean strict;

        Modify() {
            super("PUT", "modified with");
        }

        @Override
        String query() {
            return strict ? "?strict=true" : "";
        }
    }

    /** One request carrying a flow file: the controller parses it and sends its flows. */
    abstract static class Write extends ApiCommand {
        /** Bodies from this size on show their progress on a terminal. */
        static final int PROGRESS_FROM_BYTES = 1 << 20;

        @ParentCommand
        FlowsCommand flows;

        @Parameters(index = "0", paramLabel = "DPID", description = "The switch's datapath id.")
        String dpid;

        @Parameters(index = "1", paramLabel = "FILE", description = "The flow file, or - for standard input.")
        String file;

        /** The controller's status when the switch refused some flows; the body is the result, with them. */
        static final int REFUSED_SOME = 422;

        /** Standard input, for FILE {@code -}; tests give their own. */
        Supplier<InputStream> stdin = () -> System.in;
        /** Whether progress may be drawn: stdout is a terminal; tests say no. */
        BooleanSupplier terminal = () -> System.console() != null;

        private final String method;
        private final String verb;

        Write(String method, String verb) {
            this.method = method;
            this.verb = verb;
        }

        @Override
        ApiOptions options() {
            return flows.api;
        }

        /** The request's query string, with its '?'; empty by default. */
        String query() {
            return "";
        }

        @Override
        int run(ApiClient client) {
            byte[] body = read();
            Progress progress = !json() && terminal.getAsBoolean() && body.length >= PROGRESS_FROM_BYTES
                    ? Progress.onTerminal(out()) : null;
            IntConsumer sent = bytes -> { };
            if (progress != null) {
                progress.start("sending " + Text.printable(file) + " (KiB)", body.length >> 10);
                int[] carry = {0};
                sent = bytes -> {
                    carry[0] += bytes;
                    progress.advance(carry[0] >> 10);
                    carry[0] &= 0x3ff;
                };
            }
            JsonNode result = client.send(method, flowsPath(dpid) + query(), contentType(body), body, sent, Set.of(REFUSED_SOME));
            if (progress != null) {
                progress.finish("sent " + (body.length >> 10) + " KiB, the switch answered");
            }
            if (!result.has("requested")) {
                throw CliFailure.failed(result.hasNonNull("error") ? Text.printable(result.path("error").asText())
                        : "the controller's answer is no flow result: " + Text.printable(result.toString()));
            }
            if (json()) {
                printJson(result);
            } else {
                out().print(summary(result, verb));
            }
            return result.path("failed").isEmpty() && result.path("installed").asLong() == result.path("requested").asLong()
                    ? ExitStatus.OK : ExitStatus.FAILED;
        }

        private byte[] read() {
            try {
                if (file.equals("-")) {
                    if (System.console() != null) {
                        err().println("switchboard: reading flows from standard input (Ctrl-D ends them)");
                    }
                    try (InputStream in = stdin.get()) {
                        return in.readAllBytes();
                    }
                }
                return Files.readAllBytes(Path.of(file));
            } catch (NoSuchFileException e) {
                throw CliFailure.usage("FILE: " + Text.printable(file) + " does not exist", e);
            } catch (IOException | java.nio.file.InvalidPathException e) {
                throw CliFailure.usage("FILE: cannot read " + Text.printable(file) + ": " + e.getMessage(), e);
            }
        }

        /** JSON when the first character that is not blank (or a byte order mark) is {@code {} or {@code [}, as FlowFiles decides. */
        static String contentType(byte[] body) {
            int i = 0;
            if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
                i = 3;
            }
            while (i < body.length && Character.isWhitespace(body[i])) {
                i++;
            }
            boolean json = i < body.length && (body[i] == '{' || body[i] == '[');
            return json ? "application/json" : "text/plain; charset=utf-8";
        }

        /** {@code installed 100000 flows in 1.9 s (bundle)}, then the flows that failed, if any. */
        static String summary(JsonNode result) {
            return summary(result, "installed");
        }

        static String summary(JsonNode result, String verb) {
            long requested = result.path("requested").asLong();
            long installed = result.path("installed").asLong();
            String how = " in " + Text.seconds(result.path("millis").asLong()) + method(result.path("method").asText(""));
            JsonNode failed = result.path("failed");
            if (failed.isEmpty() && installed == requested) {
                return verb + " " + Text.count(installed, "flow") + how + "\n";
            }
            StringBuilder text = new StringBuilder(verb + " " + installed + " of " + Text.count(requested, "flow") + how
                    + "; " + failed.size() + " failed:\n");
            TableRenderer table = TableRenderer.of(right("#"), right("LINE"), left("ERROR"), left("FLOW"));
            for (JsonNode failure : failed) {
                table.row(failure.hasNonNull("index") ? failure.path("index").asLong() + 1 : null,
                        failure.hasNonNull("line") ? failure.path("line").asText() : null,
                        failure.path("error").asText(null), failure.path("flow").asText(null));
            }
            return text.append(failed.isEmpty() ? "" : table.render()).toString();
        }

        private static String method(String method) {
            return method.isBlank() ? "" : " (" + method.toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")";
        }
    }

    /** {@code flows del DPID [MATCH]}: deletes the flows that match, as ovs-ofctl del-flows. */
    @Command(name = "del", mixinStandardHelpOptions = true,
            description = {"Delete a switch's flows through a running controller "
                    + "(DELETE /api/v1/switches/DPID/flows): those MATCH matches, or every flow without MATCH."},
            exitCodeListHeading = ExitStatus.HEADING,
            exitCodeList = {ExitStatus.OK_LINE, ExitStatus.FAILED_LINE, ExitStatus.USAGE_LINE, ExitStatus.UNREACHABLE_LINE})
    static final class Delete extends ApiCommand {
        @ParentCommand
        FlowsCommand flows;

        @Parameters(index = "0", paramLabel = "DPID", description = "The switch's datapath id.")
        String dpid;

        @Parameters(index = "1", arity = "0..1", paramLabel = "MATCH",
                description = "An ovs-ofctl match, e.g. ip,nw_dst=10.0.0.1 or in_port=1,priority=100 (default: every flow).")
        String match;

        @Option(names = "--strict", description = "Delete only the flow whose match and priority are exactly these.")
        boolean strict;

        @Option(names = "--table", paramLabel = "N", description = "Only in this table (default: every table).")
        Integer table;

        @Option(names = "--cookie", paramLabel = "C/MASK", description = "Only flows with this cookie, e.g. 0x1f/-1.")
        String cookie;

        @Override
        ApiOptions options() {
            return flows.api;
        }

        @Override
        int run(ApiClient client) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("match", match);
            query.put("strict", strict ? "true" : null);
            query.put("table", table == null ? null : table.toString());
            query.put("cookie", cookie);
            JsonNode result = client.delete(flowsPath(dpid) + ApiClient.query(query));
            if (json()) {
                printJson(result.isMissingNode() ? JsonNodeFactory.instance.objectNode() : result);
            } else {
                out().println(summary(result));
            }
            return ExitStatus.OK;
        }

        /** {@code deleted the flows matching ip,nw_dst=10.0.0.1 (strict, table 2) from 1}; a count if the controller gives one. */
        String summary(JsonNode result) {
            String which = match == null || match.isBlank() ? "" : " matching " + Text.printable(match.strip());
            List<String> scope = new ArrayList<>();
            if (strict) {
                scope.add("strict");
            }
            if (table != null) {
                scope.add("table " + table);
            }
            if (cookie != null) {
                scope.add("cookie " + Text.printable(cookie));
            }
            String scoped = scope.isEmpty() ? "" : " (" + String.join(", ", scope) + ")";
            String from = " from " + Text.printable(dpid);
            JsonNode deleted = result.path("deleted");
            if (deleted.isNumber()) {
                return "deleted " + Text.count(deleted.asLong(), "flow") + which + scoped + from;
            }
            if (which.isEmpty() && scope.isEmpty()) {
                return "deleted every flow" + from;
            }
            return "deleted the flows" + which + scoped + from;
        }
    }
}
