package dev.switchboard.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command against a running controller: makes the client from the options, runs, and turns a
 * {@link CliFailure} into one line {@code switchboard: <why>} on standard error and its exit status.
 */
abstract class ApiCommand implements Callable<Integer> {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    /** What "now" is, for ages such as "connected 5m ago"; tests give their own. */
    Clock clock = Clock.systemUTC();

    /** The connection options, declared where the command line carries them. */
    abstract ApiOptions options();

    /** Does the work; returns the exit status, or throws a {@link CliFailure}. */
    abstract int run(ApiClient client);

    @Override
    public final Integer call() {
        try {
            return run(options().client());
        } catch (CliFailure failure) {
            out().flush();
            err().println("switchboard: " + failure.getMessage());
            err().flush();
            return failure.status();
        } finally {
            out().flush();
        }
    }

    boolean json() {
        return options().json;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The API's JSON as it came, indented. */
    void printJson(JsonNode value) {
        try {
            out().println(PRETTY.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always prints", e);
        }
    }

    /** The API's answer: its JSON with {@code --json}, else {@code table} of it, or {@code empty} without rows. */
    int print(JsonNode answer, java.util.function.Function<JsonNode, TableRenderer> table, String empty) {
        if (json()) {
            printJson(answer);
        } else {
            printTable(table.apply(answer), empty);
        }
        return ExitStatus.OK;
    }

    /** The table, or {@code empty} (a sentence) when it has no rows. */
    void printTable(TableRenderer table, String empty) {
        out().print(table.rows() == 0 ? empty + "\n" : table.render());
    }
}
