package dev.switchboard.ovsdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcConnection;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcErrorException;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcHandler;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport;
import dev.switchboard.ovsdb.jsonrpc.LogCapture;
import dev.switchboard.ovsdb.schema.VswitchSchema;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fake OVSDB server (our own listener, answering as told) whose schema or monitor rows are
 * wrong: the client gives up waiting at once with the server's fault in the message, tells its
 * listeners, keeps reconnecting (the server may be mended) and logs the fault once, not at every
 * retry.
 */
class ServerFaultTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonRpcOptions OPTIONS = JsonRpcOptions.defaults()
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100));

    private final AtomicInteger schemaCalls = new AtomicInteger();
    private JsonRpcTransport serverSide;
    private JsonRpcTransport transport;
    private OvsdbClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (serverSide != null) {
            serverSide.close();
        }
    }

    /** Starts a fake server answering get_schema with {@code schema} and monitor_cond with {@code rows}. */
    private Endpoint fakeServer(Function<JsonNode, JsonNode> schema, JsonNode rows) {
        serverSide = new JsonRpcTransport(OPTIONS, 1);
        JsonRpcHandler handler = new JsonRpcHandler() {
            @Override
            public void onNotification(JsonRpcConnection connection, String method, JsonNode params) {
            }

            @Override
            public JsonNode onRequest(JsonRpcConnection connection, String method, JsonNode params) {
                return switch (method) {
                    case "list_dbs" -> JSON.arrayNode().add("Open_vSwitch");
                    case "get_schema" -> {
                        schemaCalls.incrementAndGet();
                        yield schema.apply(VswitchSchema.json());
                    }
                    case "monitor_cond", "monitor" -> rows;
                    default -> throw new JsonRpcErrorException(JSON.textNode("unknown method"));
                };
            }
        };
        JsonRpcTransport.Listener listener = serverSide.listen(Endpoint.ptcp(0, "127.0.0.1"), connection -> handler);
        return Endpoint.tcp("127.0.0.1", listener.localAddress().getPort());
    }

    private OvsdbServerFault faultOf(Endpoint server, List<OvsdbServerFault> told) {
        transport = new JsonRpcTransport(OPTIONS, 1);
        client = OvsdbClient.connect(transport, server, OpenVSwitch.newReplica(), new OvsdbClient.ConnectionListener() {
            @Override
            public void failed(OvsdbClient client, OvsdbServerFault fault) {
                told.add(fault);
            }
        });
        long start = System.nanoTime();
        Throwable thrown = null;
        try {
            client.awaitSynchronised(PATIENCE);
        } catch (RuntimeException e) {
            thrown = e;
        }
        assertThat(thrown).isInstanceOf(OvsdbServerFault.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("given up at once, not at the timeout")
                .isLessThan(PATIENCE);
        return (OvsdbServerFault) thrown;
    }

    @Test
    void anInvalidSchemaFailsAtOnceIsToldAndLoggedOnceAcrossRetries() {
        Endpoint server = fakeServer(real -> JSON.objectNode().put("name", "Open_vSwitch"), JSON.objectNode());
        List<OvsdbServerFault> told = new CopyOnWriteArrayList<>();

        try (LogCapture logs = new LogCapture("dev.switchboard.ovsdb.client")) {
            OvsdbServerFault fault = faultOf(server, told);

            assertThat(fault).hasMessage(server + ": cannot read its Open_vSwitch database: its schema is invalid: "
                    + "malformed schema: expected an object with \"name\" and \"tables\"");
            assertThat(fault.server()).isEqualTo(server.toString());
            // It keeps trying (the server may be mended), and says so once.
            await().atMost(PATIENCE).until(() -> schemaCalls.get() >= 4);
            assertThat(logs.messages(Level.WARN)).singleElement().asString().contains(fault.getMessage());
            assertThat(told).hasSizeGreaterThanOrEqualTo(3).allMatch(f -> f.getMessage().equals(fault.getMessage()));
        }
    }

    @Test
    void aSchemaWithoutTheTablesNeededNamesWhatIsMissing() {
        Endpoint server = fakeServer(real -> {
            var schema = real.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) schema.path("tables").path("Bridge").path("columns"))
                    .remove("fail_mode");
            return schema;
        }, JSON.objectNode());

        OvsdbServerFault fault = faultOf(server, new CopyOnWriteArrayList<>());

        assertThat(fault.getMessage()).startsWith(server + ": cannot read its Open_vSwitch database: its schema lacks "
                + "what the monitor needs: ").contains("Bridge.fail_mode: no such column");
    }

    @Test
    void badMonitorRowsNameTheTableAndColumn() {
        JsonNode rows = JSON.objectNode().set("Bridge", JSON.objectNode().set(
                "6f1c1b5e-1f7e-4a53-9a0c-2d8f2b3c4d5e", JSON.objectNode().set("initial",
                        JSON.objectNode().put("name", 7))));
        Endpoint server = fakeServer(real -> real, rows);

        OvsdbServerFault fault = faultOf(server, new CopyOnWriteArrayList<>());

        assertThat(fault.getMessage()).startsWith(server + ": cannot read its Open_vSwitch database: bad rows in its "
                + "monitor_cond reply: Bridge.name: expected a string, got 7");
    }

    @Test
    void aJsonRpcErrorIsQuotedEscaped() {
        serverSide = new JsonRpcTransport(OPTIONS, 1);
        JsonRpcHandler refusing = new JsonRpcHandler() {
            @Override
            public void onNotification(JsonRpcConnection connection, String method, JsonNode params) {
            }

            @Override
            public JsonNode onRequest(JsonRpcConnection connection, String method, JsonNode params) {
                throw new JsonRpcErrorException(JSON.objectNode().put("error", "unknown database")
                        .put("details", "no\nsuch \u001b[31m database"));
            }
        };
        JsonRpcTransport.Listener listener = serverSide.listen(Endpoint.ptcp(0, "127.0.0.1"), connection -> refusing);
        Endpoint server = Endpoint.tcp("127.0.0.1", listener.localAddress().getPort());

        OvsdbServerFault fault = faultOf(server, new CopyOnWriteArrayList<>());

        assertThat(fault.getMessage()).contains("the server answered get_schema with an error", "unknown database")
                .doesNotContain("\n", "\u001b");
    }

    @Test
    void aServerThatConnectsToUsAgainAndAgainWithTheSameFaultIsLoggedOnce() throws Exception {
        transport = new JsonRpcTransport(OPTIONS, 1);
        List<OvsdbClient> synchronised = new CopyOnWriteArrayList<>();
        JsonRpcTransport.Listener listener = OvsdbClient.accept(transport, Endpoint.ptcp(0, "127.0.0.1"),
                OpenVSwitch::newReplica, synchronised::add);
        serverSide = new JsonRpcTransport(OPTIONS, 1);
        JsonRpcHandler invalidSchema = new JsonRpcHandler() {
            @Override
            public void onNotification(JsonRpcConnection connection, String method, JsonNode params) {
            }

            @Override
            public JsonNode onRequest(JsonRpcConnection connection, String method, JsonNode params) {
                schemaCalls.incrementAndGet();
                return JSON.objectNode().put("name", "Open_vSwitch");
            }
        };

        try (LogCapture logs = new LogCapture("dev.switchboard.ovsdb.client")) {
            for (int i = 1; i <= 3; i++) {
                // ovsdb-server with set-manager ptcp: connects again after each close, from a new port.
                JsonRpcConnection server = serverSide.connect(Endpoint.tcp("127.0.0.1", listener.localAddress().getPort()),
                        invalidSchema).get(10, java.util.concurrent.TimeUnit.SECONDS);
                server.closeFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            }

            assertThat(schemaCalls).hasValue(3);
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .startsWith("/127.0.0.1:").contains("its schema is invalid");
            assertThat(synchronised).isEmpty();
        }
    }

    @Test
    void aLostConnectionIsNotAFault() {
        // A server that accepts and closes at once: transient, so awaitSynchronised waits its full time.
        serverSide = new JsonRpcTransport(OPTIONS, 1);
        JsonRpcTransport.Listener listener = serverSide.listen(Endpoint.ptcp(0, "127.0.0.1"), connection -> {
            connection.close();
            return (c, m, p) -> {
            };
        });
        transport = new JsonRpcTransport(OPTIONS, 1);
        client = OvsdbClient.connect(transport, Endpoint.tcp("127.0.0.1", listener.localAddress().getPort()),
                OpenVSwitch.newReplica());

        assertThatThrownBy(() -> client.awaitSynchronised(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not synchronised within");
    }
}
