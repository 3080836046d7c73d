package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcConnection;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcErrorException;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcHandler;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code switchboard ovs show} against a fake OVSDB server whose schema, monitor rows or answers
 * are wrong: it fails at once (not after retries until its timeout) and prints the server's fault,
 * escaped, in its one line.
 */
class OvsCommandServerFaultTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Far longer than a fault may take to be reported; the old behaviour waited all of it. */
    private static final String TIMEOUT_SECONDS = "30";
    private static final Duration AT_ONCE = Duration.ofSeconds(10);

    private JsonRpcTransport serverSide;

    @AfterEach
    void stop() {
        if (serverSide != null) {
            serverSide.close();
        }
    }

    private record Run(int status, String out, String err, Duration took) {
    }

    private static Run show(String target) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int status = cli.execute("ovs", "--db", target, "--timeout", TIMEOUT_SECONDS, "show");
        return new Run(status, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static JsonNode vswitchSchema() {
        try {
            return new ObjectMapper().readTree(Path.of("/usr/share/openvswitch/vswitch.ovsschema").toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A server with an Open_vSwitch database whose get_schema and monitor answers are as given. */
    private String fakeServer(UnaryOperator<JsonNode> schema, JsonNode rows, JsonNode schemaError) {
        serverSide = new JsonRpcTransport(JsonRpcOptions.defaults(), 1);
        JsonRpcHandler handler = new JsonRpcHandler() {
            @Override
            public void onNotification(JsonRpcConnection connection, String method, JsonNode params) {
            }

            @Override
            public JsonNode onRequest(JsonRpcConnection connection, String method, JsonNode params) {
                return switch (method) {
                    case "list_dbs" -> JSON.arrayNode().add("Open_vSwitch");
                    case "get_schema" -> {
                        if (schemaError != null) {
                            throw new JsonRpcErrorException(schemaError);
                        }
                        yield schema.apply(vswitchSchema());
                    }
                    case "monitor_cond", "monitor" -> rows;
                    default -> throw new JsonRpcErrorException(JSON.textNode("unknown method"));
                };
            }
        };
        JsonRpcTransport.Listener listener = serverSide.listen(Endpoint.ptcp(0, "127.0.0.1"), connection -> handler);
        return "tcp:127.0.0.1:" + listener.localAddress().getPort();
    }

    private static void assertFailsAtOnce(Run run, String message) {
        assertThat(run.status()).as("exit status; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.err()).startsWith("switchboard: ").contains(message);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.took()).as("time to fail").isLessThan(AT_ONCE);
    }

    @Test
    void anInvalidSchemaIsReportedAtOnce() {
        String target = fakeServer(real -> JSON.objectNode().put("name", "Open_vSwitch"), JSON.objectNode(), null);

        assertFailsAtOnce(show(target), target + ": cannot read its Open_vSwitch database: its schema is invalid: "
                + "malformed schema: expected an object with \"name\" and \"tables\"");
    }

    @Test
    void aSchemaLackingAColumnIsReportedAtOnce() {
        String target = fakeServer(real -> {
            ((ObjectNode) real.path("tables").path("Bridge").path("columns")).remove("fail_mode");
            return real;
        }, JSON.objectNode(), null);

        assertFailsAtOnce(show(target), target + ": cannot read its Open_vSwitch database: its schema lacks what the "
                + "monitor needs: Bridge.fail_mode: no such column");
    }

    @Test
    void badMonitorRowsAreReportedAtOnce() {
        JsonNode rows = JSON.objectNode().set("Bridge", JSON.objectNode().set("6f1c1b5e-1f7e-4a53-9a0c-2d8f2b3c4d5e",
                JSON.objectNode().set("initial", JSON.objectNode().put("name", 7))));
        String target = fakeServer(real -> real, rows, null);

        assertFailsAtOnce(show(target), target + ": cannot read its Open_vSwitch database: bad rows in its monitor_cond "
                + "reply: Bridge.name: expected a string, got 7");
    }

    @Test
    void aJsonRpcErrorIsReportedAtOnceEscaped() {
        String target = fakeServer(real -> real, JSON.objectNode(), JSON.objectNode().put("error", "unknown database")
                .put("details", "forged\r\nswitchboard: all is well"));

        Run run = show(target);

        assertFailsAtOnce(run, target + ": cannot read its Open_vSwitch database: the server answered get_schema with "
                + "an error: ");
        assertThat(run.err()).contains("unknown database").doesNotContain("\r");
    }
}
