package dev.switchboard.ovsdb.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection over an {@link EmbeddedChannel}: the full pipeline without TLS, driven by hand, time included. */
class JsonRpcConnectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Remembers what the peer sent the handler. */
    private static final class RecordingHandler implements JsonRpcHandler {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onNotification(JsonRpcConnection connection, String method, JsonNode params) {
            events.add("notification " + method + " " + params);
            if (method.equals("boom")) {
                throw new IllegalStateException("handler bug");
            }
        }

        @Override
        public JsonNode onRequest(JsonRpcConnection connection, String method, JsonNode params) {
            events.add("request " + method + " " + params);
            return switch (method) {
                case "add" -> JsonNodeFactory.instance.numberNode(params.get(0).asInt() + params.get(1).asInt());
                case "refuse" -> throw new JsonRpcErrorException(JsonNodeFactory.instance.objectNode()
                        .put("error", "refused").put("details", "because"));
                default -> JsonRpcHandler.super.onRequest(connection, method, params);
            };
        }

        @Override
        public void onClose(JsonRpcConnection connection) {
            events.add("close");
        }
    }

    private final RecordingHandler handler = new RecordingHandler();
    private final CompletableFuture<JsonRpcConnection> ready = new CompletableFuture<>();
    private EmbeddedChannel channel;

    private JsonRpcConnection open(JsonRpcOptions options) {
        channel = new EmbeddedChannel();
        JsonRpcTransport.configure(channel.pipeline(), options, JsonRpcTransport.newMapper(options),
                new JsonRpcEncoder(JSON), Endpoint.tcp("192.0.2.1", 6640), null, connection -> handler, ready);
        assertThat(ready).isCompleted();
        return ready.join();
    }

    private JsonRpcConnection open() {
        return open(JsonRpcOptions.defaults());
    }

    @AfterEach
    void finish() {
        if (channel != null) {
            channel.close();
            assertFalse(channel.finish());
        }
    }

    private void receive(String json) {
        channel.writeInbound(Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
    }

    private JsonNode sent() throws Exception {
        ByteBuf buf = channel.readOutbound();
        assertThat(buf).as("a message was sent").isNotNull();
        try {
            return JSON.readTree(buf.toString(StandardCharsets.UTF_8));
        } finally {
            buf.release();
        }
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void answersTheEchoItselfWithItsParams() throws Exception {
        open();
        receive("{\"method\":\"echo\",\"params\":[1,\"x\"],\"id\":\"echo\"}");
        assertThat(sent()).isEqualTo(json("{\"result\":[1,\"x\"],\"error\":null,\"id\":\"echo\"}"));
        assertThat(handler.events).isEmpty();
    }

    @Test
    void callCompletesWithTheResultOfItsOwnResponse() throws Exception {
        JsonRpcConnection connection = open();
        CompletableFuture<JsonNode> first = connection.call("list_dbs", null);
        CompletableFuture<JsonNode> second = connection.call("get_schema", JSON.createArrayNode().add("Open_vSwitch"));
        JsonNode firstRequest = sent();
        JsonNode secondRequest = sent();
        assertThat(firstRequest.get("method").asText()).isEqualTo("list_dbs");
        assertThat(firstRequest.get("params")).isEqualTo(JSON.createArrayNode());
        assertThat(secondRequest.get("params")).isEqualTo(json("[\"Open_vSwitch\"]"));
        assertThat(connection.pending().size()).isEqualTo(2);

        // Answered out of order, the second split across reads.
        String secondId = secondRequest.get("id").toString();
        receive("{\"id\":" + secondId + ",\"result\":{\"name\":\"Open_vSwitch\"},\"er");
        receive("ror\":null}{\"id\":" + firstRequest.get("id") + ",\"result\":[\"Open_vSwitch\"],\"error\":null}");

        assertThat(first).isCompletedWithValue(json("[\"Open_vSwitch\"]"));
        assertThat(second).isCompletedWithValue(json("{\"name\":\"Open_vSwitch\"}"));
        assertThat(connection.pending().size()).isZero();
    }

    @Test
    void aNonNullErrorFailsTheCall() throws Exception {
        JsonRpcConnection connection = open();
        CompletableFuture<JsonNode> call = connection.call("nosuch", null);
        long id = sent().get("id").asLong();
        receive("{\"id\":" + id + ",\"error\":\"unknown method\"}");

        assertThatThrownBy(call::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(JsonRpcErrorException.class)
                .hasMessageContaining("tcp:192.0.2.1:6640 answered nosuch (id " + id + ") with an error: \"unknown method\"")
                .satisfies(e -> assertThat(((JsonRpcErrorException) e).error()).isEqualTo(TextNode.valueOf("unknown method")));
        assertThat(connection.pending().size()).isZero();
    }

    @Test
    void ignoresAResponseWithAnUnknownId() throws Exception {
        JsonRpcConnection connection = open();
        CompletableFuture<JsonNode> call = connection.call("list_dbs", null);
        long id = sent().get("id").asLong();
        receive("{\"id\":" + (id + 100) + ",\"result\":1,\"error\":null}{\"id\":\"other\",\"result\":1,\"error\":null}");
        assertThat(call).isNotDone();
        assertThat(connection.isActive()).isTrue();
        receive("{\"id\":" + id + ",\"result\":2,\"error\":null}");
        assertThat(call).isCompletedWithValue(JsonNodeFactory.instance.numberNode(2));
    }

    @Test
    void dispatchesNotificationsAndRequestsToTheHandler() throws Exception {
        JsonRpcConnection connection = open();
        receive("{\"method\":\"update\",\"params\":[\"mon\",{\"Bridge\":{}}],\"id\":null}"
                + "{\"method\":\"locked\",\"params\":[\"lock\"]}"
                + "{\"method\":\"add\",\"params\":[2,3],\"id\":12}"
                + "{\"method\":\"refuse\",\"params\":[],\"id\":13}"
                + "{\"method\":\"nosuch\",\"params\":[],\"id\":14}"
                + "{\"method\":\"boom\",\"params\":[],\"id\":null}");

        assertThat(handler.events).containsExactly(
                "notification update [\"mon\",{\"Bridge\":{}}]",
                "notification locked [\"lock\"]",
                "request add [2,3]",
                "request refuse []",
                "request nosuch []",
                "notification boom []");
        assertThat(sent()).isEqualTo(json("{\"result\":5,\"error\":null,\"id\":12}"));
        assertThat(sent()).isEqualTo(json("{\"result\":null,\"error\":{\"error\":\"refused\",\"details\":\"because\"},"
                + "\"id\":13}"));
        assertThat(sent()).isEqualTo(json("{\"result\":null,\"error\":\"unknown method nosuch\",\"id\":14}"));
        // A handler that throws on a notification does not cost the connection.
        assertThat(connection.isActive()).isTrue();
    }

    @Test
    void sendsNotifications() throws Exception {
        JsonRpcConnection connection = open();
        connection.notify("cancel", JSON.createArrayNode().add(4));
        assertThat(sent()).isEqualTo(json("{\"method\":\"cancel\",\"params\":[4],\"id\":null}"));
        assertThatThrownBy(() -> connection.notify("x", JSON.createObjectNode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a JSON array");
    }

    @Test
    void aCallTimesOutOnTheEventLoopAndLeavesNothingPending() throws Exception {
        JsonRpcConnection connection = open();
        CompletableFuture<JsonNode> call = connection.call("transact", null, Duration.ofSeconds(2));
        long id = sent().get("id").asLong();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(call).isNotDone();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThatThrownBy(call::get).cause().isInstanceOf(TimeoutException.class)
                .hasMessage("tcp:192.0.2.1:6640 did not answer transact (id " + id + ") within 2 s");
        assertThat(connection.pending().size()).isZero();
        receive("{\"id\":" + id + ",\"result\":[],\"error\":null}"); // late: ignored
        assertThat(connection.isActive()).isTrue();
    }

    @Test
    void cancellingACallForgetsIt() throws Exception {
        JsonRpcConnection connection = open();
        CompletableFuture<JsonNode> call = connection.call("transact", null);
        sent();
        call.cancel(false);
        assertThat(connection.pending().size()).isZero();
    }

    @Test
    void closingFailsEveryPendingCallAtOnceAndCallsOnCloseOnce() throws Exception {
        JsonRpcConnection connection = open();
        CompletableFuture<JsonNode> a = connection.call("transact", null);
        CompletableFuture<JsonNode> b = connection.call("monitor", null);
        CompletableFuture<Void> closed = connection.closeFuture();
        sent();
        sent();

        connection.close();
        connection.close();

        assertThat(closed).isCompleted();
        for (CompletableFuture<JsonNode> call : List.of(a, b)) {
            assertThatThrownBy(call::get).cause().isInstanceOf(ConnectionClosedException.class)
                    .hasMessageContaining("connection to tcp:192.0.2.1:6640 closed (closed locally) before");
        }
        assertThat(connection.pending().size()).isZero();
        assertThat(handler.events).containsExactly("close");
        assertThat(connection.isActive()).isFalse();
        assertThatThrownBy(() -> connection.call("list_dbs", null).get()).cause()
                .isInstanceOf(ConnectionClosedException.class);
        assertThatThrownBy(() -> connection.notify("x", null)).isInstanceOf(ConnectionClosedException.class);
        assertThat(connection.pending().size()).isZero();
    }

    @Test
    void malformedJsonClosesTheConnectionWithOneWarning() throws Exception {
        JsonRpcConnection connection = open();
        CompletableFuture<JsonNode> call = connection.call("transact", null);
        sent();
        try (LogCapture logs = new LogCapture()) {
            receive("{\"method\":\"update\",\"params\":[],\"id\":null}{\"id\": oops}{\"method\":\"update\",\"params\":[]}");

            assertThat(connection.isActive()).isFalse();
            assertThat(handler.events).containsExactly("notification update []", "close");
            assertThatThrownBy(call::get).cause().isInstanceOf(ConnectionClosedException.class)
                    .hasMessageContaining("malformed JSON");
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains("tcp:192.0.2.1:6640").contains("malformed JSON");
        }
        assertThat(connection.closeCause()).isNotNull();
    }

    @Test
    void aMessageOverTheCapClosesTheConnection() {
        JsonRpcConnection connection = open(JsonRpcOptions.defaults().withMaxMessageBytes(100));
        try (LogCapture logs = new LogCapture()) {
            receive("{\"method\":\"update\",\"params\":[\"" + "x".repeat(200) + "\"],\"id\":null}");
            assertThat(connection.isActive()).isFalse();
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains("message longer than 100 bytes");
        }
        assertThat(handler.events).containsExactly("close");
    }

    @Test
    void sendsEchoWhenIdleAndClosesAfterTheMissedOnes() throws Exception {
        JsonRpcConnection connection = open(JsonRpcOptions.defaults()
                .withEchoInterval(Duration.ofSeconds(1)).withMaxMissedEchoes(2));
        idle(1);
        assertThat(sent()).isEqualTo(json("{\"method\":\"echo\",\"params\":[],\"id\":\"echo\"}"));
        // The answer, like anything received, resets the count.
        receive("{\"result\":[],\"error\":null,\"id\":\"echo\"}");
        idle(1);
        sent();
        idle(1);
        sent();
        assertThat(connection.isActive()).isTrue();
        try (LogCapture logs = new LogCapture()) {
            idle(1);
            assertThat(connection.isActive()).isFalse();
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains("2 echo requests unanswered");
        }
        assertThat(connection.closeCause()).isInstanceOf(TimeoutException.class);
        assertThat(handler.events).containsExactly("close");
    }

    private void idle(int seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void rejectsParamsThatAreNoArray() {
        JsonRpcConnection connection = open();
        assertThatThrownBy(() -> connection.call("list_dbs", JSON.createObjectNode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("params of list_dbs");
        assertThatThrownBy(() -> connection.call("list_dbs", null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(connection.pending().size()).isZero();
    }
}
