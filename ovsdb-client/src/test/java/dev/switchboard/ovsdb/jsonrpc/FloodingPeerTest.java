package dev.switchboard.ovsdb.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that floods {@code echo} requests and never reads, on loopback, against our client
 * connection and against our passive listener: what we queue for it stays near the write-buffer
 * watermark (before, every answer was queued: 128 MiB of them here), the JVM does not grow with
 * the flood, and another connection on the same event loop keeps working.
 */
class FloodingPeerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** What the flooder sends in all: far more than the bound asserted, little enough for a test JVM. */
    private static final long FLOOD_BYTES = 128L * 1024 * 1024;
    private static final int ECHO_PAYLOAD = 64 * 1024;
    /** The high watermark (1 MiB) plus the answers to one read's worth of requests, with room. */
    private static final long QUEUED_BOUND = 4L * 1024 * 1024;
    private static final long MEMORY_GROWTH_BOUND = 64L * 1024 * 1024;

    /** One event loop, so the well-behaved connection shares it with the flooded one. */
    private static final JsonRpcOptions OPTIONS = JsonRpcOptions.defaults().withUnwritableTimeout(Duration.ofMinutes(2));

    private final JsonRpcHandler ignoring = (connection, method, params) -> {
    };
    private JsonRpcTransport transport;
    private JsonRpcTransport goodPeer;
    private FakePeer fakePeer;
    private HostilePeer hostile;

    @AfterEach
    void stop() throws IOException {
        if (hostile != null) {
            hostile.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (goodPeer != null) {
            goodPeer.close();
        }
        if (fakePeer != null) {
            fakePeer.close();
        }
    }

    @Test
    void aClientFloodedByItsServerQueuesAtMostAWatermarkAndOtherConnectionsWork() throws Exception {
        transport = new JsonRpcTransport(OPTIONS, 1);
        fakePeer = new FakePeer(HostilePeer.RECEIVE_BUFFER);
        ReconnectingClient client = new ReconnectingClient(transport, fakePeer.endpoint(), ignoring, null);
        client.start();
        Socket server = fakePeer.accept();
        await().atMost(WAIT).until(() -> client.current().isPresent());
        JsonRpcConnection flooded = client.current().orElseThrow();
        JsonRpcConnection good = connectToAGoodPeer();
        long before = HostilePeer.memoryInUse();

        hostile = new HostilePeer(server, ECHO_PAYLOAD, FLOOD_BYTES);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(hostile::doneOrStalled);

        assertBounded(flooded, hostile, before);
        assertThat(good.call("echo", JsonNodeFactory.instance.arrayNode().add("still here")).get(10, TimeUnit.SECONDS))
                .hasToString("[\"still here\"]");
        client.close();
    }

    @Test
    void theListenerFloodedByAServerQueuesAtMostAWatermarkAndOtherConnectionsWork() throws Exception {
        transport = new JsonRpcTransport(OPTIONS, 1);
        AtomicReference<JsonRpcConnection> accepted = new AtomicReference<>();
        JsonRpcTransport.Listener listener = transport.listen(Endpoint.ptcp(0, "127.0.0.1"), connection -> {
            accepted.compareAndSet(null, connection);
            return ignoring;
        });
        Socket socket = new Socket();
        socket.setReceiveBufferSize(HostilePeer.RECEIVE_BUFFER);
        socket.connect(new InetSocketAddress("127.0.0.1", listener.localAddress().getPort()));
        await().atMost(WAIT).until(() -> accepted.get() != null);
        JsonRpcConnection flooded = accepted.get();
        // A well-behaved server connecting to the same listener, on the same event loop.
        goodPeer = new JsonRpcTransport(OPTIONS, 1);
        JsonRpcConnection good = goodPeer.connect(Endpoint.tcp("127.0.0.1", listener.localAddress().getPort()),
                ignoring).get(10, TimeUnit.SECONDS);
        long before = HostilePeer.memoryInUse();

        hostile = new HostilePeer(socket, ECHO_PAYLOAD, FLOOD_BYTES);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(hostile::doneOrStalled);

        assertBounded(flooded, hostile, before);
        assertThat(good.call("echo", JsonNodeFactory.instance.arrayNode().add("still here")).get(10, TimeUnit.SECONDS))
                .hasToString("[\"still here\"]");
    }

    @Test
    void aPeerThatStaysUnwritableIsDisconnectedWithOneWarningNamingIt() throws Exception {
        transport = new JsonRpcTransport(OPTIONS.withUnwritableTimeout(Duration.ofMillis(500)), 1);
        fakePeer = new FakePeer(HostilePeer.RECEIVE_BUFFER);
        JsonRpcConnection flooded = transport.connect(fakePeer.endpoint(), ignoring).get(10, TimeUnit.SECONDS);
        Socket server = fakePeer.accept();

        try (LogCapture logs = new LogCapture()) {
            hostile = new HostilePeer(server, ECHO_PAYLOAD, FLOOD_BYTES);
            flooded.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains(fakePeer.endpoint().toString())
                    .contains("has read nothing we sent for 500 ms")
                    .contains("unwritableTimeout");
        }
    }

    @Test
    void aPeerWhoseRequestsAskForMoreThanItsBudgetIsDisconnected() throws Exception {
        transport = new JsonRpcTransport(OPTIONS.withPeerMemoryBytes(4L * 1024 * 1024), 1);
        fakePeer = new FakePeer(HostilePeer.RECEIVE_BUFFER);
        JsonRpcConnection flooded = transport.connect(fakePeer.endpoint(), ignoring).get(10, TimeUnit.SECONDS);
        Socket server = fakePeer.accept();

        try (LogCapture logs = new LogCapture()) {
            // One echo whose answer alone is four times the budget.
            hostile = new HostilePeer(server, 16 * 1024 * 1024, 16 * 1024 * 1024);
            flooded.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains(fakePeer.endpoint().toString())
                    .contains("over its budget of 4194304 (peerMemoryBytes)");
        }
    }

    @Test
    void aListenerRefusesConnectionsOverItsMaximumWithOneWarning() throws Exception {
        transport = new JsonRpcTransport(OPTIONS.withMaxConnections(2), 1);
        JsonRpcTransport.Listener listener = transport.listen(Endpoint.ptcp(0, "127.0.0.1"), connection -> ignoring);
        int port = listener.localAddress().getPort();
        try (LogCapture logs = new LogCapture();
             Socket first = new Socket("127.0.0.1", port);
             Socket second = new Socket("127.0.0.1", port);
             Socket third = new Socket("127.0.0.1", port);
             Socket fourth = new Socket("127.0.0.1", port)) {

            assertClosedByTheOtherSide(third);
            assertClosedByTheOtherSide(fourth);
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains("holds 2 connections, its maximum (maxConnections)");
            first.close();
            await().atMost(WAIT).until(() -> logs.messages(Level.INFO).stream()
                    .anyMatch(m -> m.contains("accepts connections again")));
            try (Socket fifth = new Socket("127.0.0.1", port)) {
                fifth.setSoTimeout(300);
                assertThat(readOrTimeout(fifth)).as("the fifth connection is held open").isEqualTo(0);
            }
        }
    }

    @Test
    void manyPeersDrippingBigMessagesCannotAddUpPastTheInboundBudget() throws Exception {
        int mib = 1024 * 1024;
        transport = new JsonRpcTransport(OPTIONS.withMaxMessageBytes(4 * mib).withInboundBudgetBytes(4 * mib), 1);
        JsonRpcTransport.Listener listener = transport.listen(Endpoint.ptcp(0, "127.0.0.1"), connection -> ignoring);
        int port = listener.localAddress().getPort();
        byte[] unfinished = ("{\"method\":\"echo\",\"id\":1,\"params\":[\"" + "x".repeat(3 * mib / 2))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (LogCapture logs = new LogCapture();
             Socket first = new Socket("127.0.0.1", port);
             Socket second = new Socket("127.0.0.1", port);
             Socket third = new Socket("127.0.0.1", port)) {
            for (Socket socket : new Socket[] {first, second, third}) {
                socket.getOutputStream().write(unfinished);
                socket.getOutputStream().flush();
            }

            await().atMost(WAIT).until(() -> !logs.messages(Level.WARN).isEmpty());
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .contains("over inboundBudgetBytes " + 4 * mib);
            int closed = 0;
            for (Socket socket : new Socket[] {first, second, third}) {
                socket.setSoTimeout(500);
                closed += readOrTimeout(socket) == -1 ? 1 : 0;
            }
            assertThat(closed).as("connections closed: only the one that passed the budget").isEqualTo(1);
        }
    }

    private JsonRpcConnection connectToAGoodPeer() throws Exception {
        goodPeer = new JsonRpcTransport(OPTIONS, 1);
        JsonRpcTransport.Listener listener = goodPeer.listen(Endpoint.ptcp(0, "127.0.0.1"), connection -> ignoring);
        return transport.connect(Endpoint.tcp("127.0.0.1", listener.localAddress().getPort()), ignoring)
                .get(10, TimeUnit.SECONDS);
    }

    private static void assertBounded(JsonRpcConnection flooded, HostilePeer hostile, long memoryBefore) {
        assertThat(flooded.pendingOutboundBytes()).as("bytes queued for the flooding peer (it sent %d)", hostile.sent())
                .isLessThanOrEqualTo(QUEUED_BOUND);
        long growth = HostilePeer.memoryInUse() - memoryBefore;
        assertThat(growth).as("memory growth under the flood, bytes").isLessThan(MEMORY_GROWTH_BOUND);
    }

    private static void assertClosedByTheOtherSide(Socket socket) throws IOException {
        socket.setSoTimeout((int) WAIT.toMillis());
        assertThat(socket.getInputStream().read()).as("end of stream: the listener closed it").isEqualTo(-1);
    }

    /** -1 at end of stream or reset (closed with our bytes unread), 0 if nothing came within the socket's timeout. */
    private static int readOrTimeout(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            int b = in.read();
            return b < 0 ? -1 : 1;
        } catch (java.net.SocketTimeoutException e) {
            return 0;
        } catch (java.net.SocketException e) {
            return -1;
        }
    }
}
