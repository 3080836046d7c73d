package dev.switchboard.ovsdb.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.ovs.runtime.Commands;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real, bare {@code ovsdb-server} (OVS is installed here; no ovs-vswitchd is needed for
 * JSON-RPC, and a bare server can run beside any other OVS). Every server, transport and
 * temporary file is gone after each test, failed or not.
 */
class OvsdbServerJsonRpcTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode DATABASES = JSON.createArrayNode().add("Open_vSwitch").add("_Server");
    private static final long WAIT_SECONDS = 20;

    @TempDir
    static Path pkiDir;
    private static TestPki pki;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** Ignores whatever the peer sends on its own. */
    private static final JsonRpcHandler IGNORE = (connection, method, params) -> { };

    @BeforeAll
    static void needsOvsdbServerAndOpenssl() {
        assumeTrue(OvsdbServerProcess.available(), "ovsdb-server is not installed");
        assumeTrue(TestPki.available(), "openssl is not installed");
        pki = TestPki.create(pkiDir);
    }

    @AfterEach
    void closeEverything() throws Exception {
        Exception first = null;
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            try {
                cleanup.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.add(resource);
        return resource;
    }

    private OvsdbServerProcess server(String... args) {
        return closeLater(OvsdbServerProcess.start(args));
    }

    private JsonRpcTransport transport(JsonRpcOptions options) {
        return closeLater(new JsonRpcTransport(options));
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void listDbsOverUnix() throws Exception {
        OvsdbServerProcess server = server();
        JsonRpcTransport transport = transport(JsonRpcOptions.defaults());

        JsonRpcConnection connection = get(transport.connect(server.unixEndpoint(), IGNORE));

        assertThat(connection.endpoint()).isEqualTo(Endpoint.parse("unix:" + server.socket()));
        assertThat(connection.remoteAddress()).isInstanceOf(DomainSocketAddress.class);
        assertThat(get(connection.call("list_dbs", null))).isEqualTo(DATABASES);
    }

    @Test
    void listDbsOverTcp() throws Exception {
        OvsdbServerProcess server = server("--remote=ptcp:0:127.0.0.1");
        JsonRpcTransport transport = transport(JsonRpcOptions.defaults());
        Endpoint endpoint = Endpoint.parse("tcp:127.0.0.1:" + server.listeningPort());

        JsonRpcConnection connection = get(transport.connect(endpoint, IGNORE));

        assertThat(get(connection.call("list_dbs", null))).isEqualTo(DATABASES);
        assertThat(((InetSocketAddress) connection.remoteAddress()).getPort()).isEqualTo(endpoint.port());
    }

    @Test
    void listDbsOverSslWithMutualTls() throws Exception {
        List<String> args = new ArrayList<>(pki.serverArgs());
        args.add("--remote=pssl:0:127.0.0.1");
        OvsdbServerProcess server = server(args.toArray(String[]::new));
        Endpoint endpoint = Endpoint.parse("ssl:127.0.0.1:" + server.listeningPort());

        // Our key in the PKCS#1 form older ovs-pki writes.
        JsonRpcTransport transport = transport(JsonRpcOptions.defaults().withTls(pki.clientPkcs1()));
        JsonRpcConnection connection = get(transport.connect(endpoint, IGNORE));
        assertThat(get(connection.call("list_dbs", null))).isEqualTo(DATABASES);

        // We check the server: a CA that did not sign its certificate fails the handshake.
        TlsFiles wrongCa = new TlsFiles(pki.client().privateKey(), pki.client().certificate(),
                pki.stranger().caCertificate());
        JsonRpcTransport distrustful = transport(JsonRpcOptions.defaults().withTls(wrongCa));
        assertThatThrownBy(() -> get(distrustful.connect(endpoint, IGNORE)))
                .cause().isInstanceOf(IOException.class)
                .hasMessageContaining("ssl:127.0.0.1:" + endpoint.port())
                .hasMessageContaining("TLS handshake failed");

        // The server checks us: a certificate from another CA gets no answer. With TLS 1.3 the
        // client may finish its handshake before the server rejects the certificate, so the
        // failure shows either on connect or on the first call.
        TlsFiles stranger = new TlsFiles(pki.stranger().privateKey(), pki.stranger().certificate(),
                pki.client().caCertificate());
        JsonRpcTransport untrusted = transport(JsonRpcOptions.defaults().withTls(stranger));
        assertThatThrownBy(() -> get(untrusted.connect(endpoint, IGNORE)
                .thenCompose(c -> c.call("list_dbs", null))))
                .cause().isInstanceOfAny(IOException.class, ConnectionClosedException.class);
    }

    @Test
    void anUnknownMethodFailsTheCallWithTheServersError() throws Exception {
        OvsdbServerProcess server = server();
        JsonRpcConnection connection = get(transport(JsonRpcOptions.defaults()).connect(server.unixEndpoint(), IGNORE));

        assertThatThrownBy(() -> get(connection.call("no_such_method", null)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(JsonRpcErrorException.class)
                .hasMessageContaining("no_such_method")
                .satisfies(e -> assertThat(((JsonRpcErrorException) e).error())
                        .isEqualTo(TextNode.valueOf("unknown method")));
        // The connection survives a failed call.
        assertThat(get(connection.call("list_dbs", null))).isEqualTo(DATABASES);
    }

    @Test
    void passiveModeTheServerConnectsToOurListenerAndAnswersItsEchoes() throws Exception {
        OvsdbServerProcess server = server();
        // Our own keepalive off: only the server's inactivity probe keeps this connection alive.
        JsonRpcTransport transport = transport(JsonRpcOptions.defaults().withEchoInterval(Duration.ZERO));
        List<JsonRpcConnection> accepted = new CopyOnWriteArrayList<>();
        JsonRpcTransport.Listener listener = closeLater(transport.listen(Endpoint.parse("ptcp:0:127.0.0.1"),
                connection -> {
                    accepted.add(connection);
                    return IGNORE;
                }));
        int port = listener.localAddress().getPort();
        assertThat(port).isPositive();
        Commands.check(List.of("ovs-appctl", "-t", server.directory().resolve("ovsdb-server.ctl").toString(),
                "vlog/set", "jsonrpc:file:dbg"), Map.of(), Duration.ofSeconds(10));

        // The server probes an idle manager connection every second and drops it if an echo goes unanswered.
        String target = "tcp:127.0.0.1:" + port;
        server.vsctl("--", "--id=@m", "create", "Manager", "target=\"" + target + "\"", "inactivity_probe=1000",
                "--", "set", "Open_vSwitch", ".", "manager_options=@m");

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !accepted.isEmpty());
        JsonRpcConnection connection = accepted.get(0);
        assertThat(connection.endpoint()).isEqualTo(listener.endpoint());
        assertThat(get(connection.call("list_dbs", null))).isEqualTo(DATABASES);

        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                .until(() -> accepted.size() == 1 && connection.isActive());
        String log = Files.readString(server.directory().resolve("ovsdb-server.log"), StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("no response to inactivity probe");
        assertThat(countOf(log, target + ": received reply, result=[], id=\"echo\"")).isGreaterThanOrEqualTo(3);
        assertThat(get(connection.call("list_dbs", null))).isEqualTo(DATABASES);
    }

    @Test
    void passiveModeOverPsslWithMutualTls() throws Exception {
        OvsdbServerProcess server = server(pki.serverArgs().toArray(String[]::new));
        JsonRpcTransport transport = transport(JsonRpcOptions.defaults().withTls(pki.client()));
        List<JsonRpcConnection> accepted = new CopyOnWriteArrayList<>();
        JsonRpcTransport.Listener listener = closeLater(transport.listen(Endpoint.parse("pssl:0:127.0.0.1"),
                connection -> {
                    accepted.add(connection);
                    return IGNORE;
                }));

        server.vsctl("set-manager", "ssl:127.0.0.1:" + listener.localAddress().getPort());

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !accepted.isEmpty());
        assertThat(get(accepted.get(0).call("list_dbs", null))).isEqualTo(DATABASES);
    }

    @Test
    void aReconnectingClientComesBackAfterTheServerRestarts() throws Exception {
        OvsdbServerProcess server = server();
        JsonRpcTransport transport = transport(JsonRpcOptions.defaults()
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400)));
        List<String> events = new CopyOnWriteArrayList<>();
        ReconnectingClient client = closeLater(new ReconnectingClient(transport, server.unixEndpoint(), IGNORE,
                new ReconnectingClient.Listener() {
                    @Override
                    public void connected(JsonRpcConnection connection) {
                        events.add("connected");
                    }

                    @Override
                    public void disconnected(JsonRpcConnection connection, Throwable cause) {
                        events.add("disconnected");
                    }
                }));
        client.start();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> client.current().isPresent());
        JsonRpcConnection first = client.current().orElseThrow();
        assertThat(get(first.call("list_dbs", null))).isEqualTo(DATABASES);

        server.kill();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> events.contains("disconnected"));
        assertThat(first.isActive()).isFalse();
        Thread.sleep(300); // a few failed attempts while it is down
        server.restart();

        await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                .until(() -> client.current().filter(c -> c != first).isPresent());
        assertThat(get(client.current().orElseThrow().call("list_dbs", null))).isEqualTo(DATABASES);
        assertThat(events).containsExactly("connected", "disconnected", "connected");

        client.close();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> events.size() == 4);
        assertThat(client.current()).isEmpty();
    }

    @Test
    void connectingToNothingFailsNamingTheEndpoint() throws Exception {
        Path missing = pkiDir.resolve("no.sock");
        JsonRpcTransport transport = transport(JsonRpcOptions.defaults());
        assertThatThrownBy(() -> get(transport.connect(Endpoint.unix(missing), IGNORE)))
                .cause().isInstanceOf(IOException.class)
                .hasMessageContaining("cannot connect to unix:" + missing);
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
