package dev.switchboard.ovsdb.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real sockets to a hand-driven peer ({@link FakePeer}) that breaks the protocol or goes silent. */
class MisbehavingPeerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<String> notifications = new CopyOnWriteArrayList<>();
    private final JsonRpcHandler recording = (connection, method, params) -> notifications.add(method + " " + params);
    private FakePeer peer;
    private JsonRpcTransport transport;

    @BeforeEach
    void startPeer() throws IOException {
        peer = new FakePeer();
    }

    @AfterEach
    void stop() throws IOException {
        if (transport != null) {
            transport.close();
        }
        peer.close();
    }

    private JsonRpcConnection connect() throws Exception {
        return transport.connect(peer.endpoint(), recording).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void malformedJsonClosesOnlyThatConnectionWithOneWarning() throws Exception {
        transport = new JsonRpcTransport(JsonRpcOptions.defaults());
        JsonRpcConnection bad = connect();
        Socket badSocket = peer.accept();
        JsonRpcConnection good = connect();
        Socket goodSocket = peer.accept();
        CompletableFuture<JsonNode> pending = bad.call("transact", null);

        try (LogCapture logs = new LogCapture()) {
            FakePeer.send(badSocket, "{\"method\":\"update\",\"params\":[1],\"id\":null}{\"id\":1,\"result\":[tru");
            FakePeer.send(badSocket, "e,}]}");
            bad.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains(peer.endpoint().toString())
                    .contains("malformed JSON");
        }
        assertThatThrownBy(() -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause()
                .isInstanceOf(ConnectionClosedException.class);

        FakePeer.send(goodSocket, "{\"method\":\"update\",\"params\":[2],\"id\":null}");
        await().atMost(WAIT).until(() -> notifications.size() == 2);
        assertThat(notifications).containsExactly("update [1]", "update [2]");
        assertThat(good.isActive()).isTrue();
    }

    @Test
    void aFrameOverTheCapClosesTheConnection() throws Exception {
        transport = new JsonRpcTransport(JsonRpcOptions.defaults().withMaxMessageBytes(1024));
        JsonRpcConnection connection = connect();
        Socket socket = peer.accept();
        try (LogCapture logs = new LogCapture()) {
            // Never finished: the cap must hold while the object is still open.
            FakePeer.send(socket, "{\"method\":\"update\",\"params\":[\"" + "x".repeat(4096));
            connection.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains(peer.endpoint().toString()).contains("longer than 1024 bytes");
        }
        assertThat(notifications).isEmpty();
    }

    @Test
    void aSilentPeerIsEchoedThenDroppedAndTheClientReconnects() throws Exception {
        transport = new JsonRpcTransport(JsonRpcOptions.defaults()
                .withEchoInterval(Duration.ofMillis(200)).withMaxMissedEchoes(2)
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));
        List<Throwable> causes = new CopyOnWriteArrayList<>();
        try (ReconnectingClient client = new ReconnectingClient(transport, peer.endpoint(), recording,
                new ReconnectingClient.Listener() {
                    @Override
                    public void connected(JsonRpcConnection connection) {
                    }

                    @Override
                    public void disconnected(JsonRpcConnection connection, Throwable cause) {
                        causes.add(cause);
                    }
                })) {
            client.start();
            Socket first = peer.accept();
            // Two echo requests, then the connection is closed (end of stream).
            String sent = FakePeer.readFor(first, 3000);
            assertThat(sent).isEqualTo("{\"method\":\"echo\",\"params\":[],\"id\":\"echo\"}".repeat(2));
            await().atMost(WAIT).until(() -> causes.size() == 1);
            assertThat(causes.get(0)).isInstanceOf(TimeoutException.class).hasMessageContaining("unanswered");

            Socket second = peer.accept();
            // This peer answers the echo, so it stays.
            second.setSoTimeout(5000);
            byte[] buffer = new byte[256];
            int n = second.getInputStream().read(buffer);
            assertThat(new String(buffer, 0, n)).contains("\"echo\"");
            FakePeer.send(second, "{\"result\":[],\"error\":null,\"id\":\"echo\"}");
            await().atMost(WAIT).until(() -> client.current().isPresent());
        }
    }

    @Test
    void failedAttemptsAreLoggedAtInfoOnceThenAtDebug() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        transport = new JsonRpcTransport(JsonRpcOptions.defaults()
                .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)));
        try (LogCapture logs = new LogCapture();
             ReconnectingClient client = new ReconnectingClient(transport, Endpoint.tcp("127.0.0.1", port),
                     recording, null)) {
            client.start();
            await().atMost(WAIT).until(() -> logs.messages(Level.DEBUG).stream()
                    .filter(m -> m.contains("still unreachable")).count() >= 5);
            assertThat(logs.messages(Level.INFO)).filteredOn(m -> m.contains("unreachable")).singleElement()
                    .asString().contains("tcp:127.0.0.1:" + port).contains("Connection refused");
            assertThat(client.current()).isEmpty();
        }
    }
}
