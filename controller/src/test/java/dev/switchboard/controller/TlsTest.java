package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * OpenFlow over TLS with mutual authentication, against emulated switches that speak TLS: a switch
 * with a certificate from the configured CA gets through the handshake and is served; one signed
 * by another CA, one without a certificate, and one speaking plain OpenFlow are refused with one
 * WARN line naming the peer, and nothing is registered; a switch that does not trust the
 * controller's CA refuses the controller.
 */
class TlsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String REFUSED = "refused: TLS handshake failed";

    @TempDir
    static Path dir;
    private static TestPki pki;

    @BeforeAll
    static void certificates() {
        assumeTrue(TestPki.available(), "openssl is needed to make test certificates");
        pki = TestPki.create(dir);
    }

    private static ControllerFixture tlsController(ControllerTls tls) {
        return new ControllerFixture(c -> c.listen(List.of())
                .tlsListen(new InetSocketAddress("127.0.0.1", 0))
                .tls(tls));
    }

    /** A switch's TLS: the certificate it presents (none if {@code name} is null) and the CA it trusts. */
    private static SslContext switchContext(String name, Path trusted) throws Exception {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(trusted.toFile())
                .endpointIdentificationAlgorithm(null); // OVS checks no host name either
        if (name != null) {
            builder.keyManager(pki.cert(name).toFile(), pki.key(name).toFile());
        }
        return builder.build();
    }

    private static EmulatedSwitch prepared(long dpid) {
        return EmulatedSwitch.prepare(EmulatedSwitchOptions.builder().datapathId(DatapathId.of(dpid)).build());
    }

    @Test
    void switchWithCertificateFromTheCaIsServed() throws Exception {
        try (ControllerFixture fixture = tlsController(pki.controller()); LogCapture log = new LogCapture()) {
            EmulatedSwitch emulator = fixture.connect(prepared(1).withTls(switchContext("switch", pki.ca())));

            OFSwitch sw = fixture.awaitSwitch(emulator);

            assertThat(sw.barrier()).succeedsWithin(PATIENCE);
            assertThat(sw.ports()).hasSize(emulator.ports().size());
            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void readsAPkcs1KeyAsOlderOvsPkiWroteIt() throws Exception {
        ControllerTls pkcs1 = new ControllerTls(pki.dir().resolve("controller-key-rsa.pem"), pki.cert("controller"),
                pki.ca());
        assertThat(Files.readString(pkcs1.privateKey())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        try (ControllerFixture fixture = tlsController(pkcs1)) {
            EmulatedSwitch emulator = fixture.connect(prepared(2).withTls(switchContext("switch", pki.ca())));

            assertThat(fixture.awaitSwitch(emulator).barrier()).succeedsWithin(PATIENCE);
        }
    }

    @Test
    void switchWithCertificateFromAnotherCaIsRefused() throws Exception {
        try (ControllerFixture fixture = tlsController(pki.controller()); LogCapture log = new LogCapture()) {
            OFSwitch trusted = fixture.awaitSwitch(fixture.connect(prepared(1).withTls(switchContext("switch", pki.ca()))));

            EmulatedSwitch stranger = fixture.connect(prepared(7).withTls(switchContext("stranger", pki.ca())));

            // The JDK's client offers no certificate the server's CA list does not name ("Empty
            // client certificate chain"); OpenSSL, as in OVS, sends it and fails the path check.
            assertRefused(fixture, log, stranger, "certificate");
            assertThat(fixture.controller.switches().switches()).containsExactly(trusted);
            assertThat(trusted.barrier()).succeedsWithin(PATIENCE);
        }
    }

    @Test
    void switchWithoutCertificateIsRefused() throws Exception {
        try (ControllerFixture fixture = tlsController(pki.controller()); LogCapture log = new LogCapture()) {
            EmulatedSwitch anonymous = fixture.connect(prepared(7).withTls(switchContext(null, pki.ca())));

            assertRefused(fixture, log, anonymous, "Empty client certificate chain");
            assertThat(fixture.controller.switches().switches()).isEmpty();
        }
    }

    @Test
    void plainOpenFlowOnTheTlsPortIsRefused() {
        try (ControllerFixture fixture = tlsController(pki.controller()); LogCapture log = new LogCapture()) {
            EmulatedSwitch plain = fixture.connect(prepared(7));

            assertRefused(fixture, log, plain, "not an SSL/TLS record");
            assertThat(fixture.controller.switches().switches()).isEmpty();
        }
    }

    @Test
    void switchRefusesAControllerItDoesNotTrust() throws Exception {
        try (ControllerFixture fixture = tlsController(pki.controller()); LogCapture log = new LogCapture()) {
            // Its own certificate is from the controller's CA, but it trusts only the other CA.
            EmulatedSwitch wary = fixture.connect(prepared(7).withTls(switchContext("switch", pki.otherCa())));

            await().atMost(PATIENCE).until(() -> wary.closeFuture().isDone());
            assertThat(wary.negotiatedVersion()).isNull();
            assertThat(fixture.controller.switches().switches()).isEmpty();
            await().atMost(PATIENCE).until(() -> !log.warningsContaining(REFUSED).isEmpty());
            assertThat(log.warningsContaining(REFUSED)).singleElement().asString().contains("certificate_unknown");
        }
    }

    @Test
    void tcpAndTlsListenSideBySideTcpFirst() throws Exception {
        try (Controller controller = new Controller(ControllerConfig.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .tlsListen(new InetSocketAddress("127.0.0.1", 0))
                .tls(pki.controller())
                .eventLoopThreads(1)
                .build())) {
            List<InetSocketAddress> bound = controller.start();
            assertThat(bound).hasSize(2);
            EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                EmulatedSwitch plain = prepared(1).connectTo(loops, bound.get(0));
                EmulatedSwitch secure = prepared(2).withTls(switchContext("switch", pki.ca())).connectTo(loops, bound.get(1));
                await().atMost(PATIENCE).until(() -> controller.switches().switches().size() == 2);
                assertThat(controller.switches().getSwitch(DatapathId.of(1)).orElseThrow().remoteAddress().getPort())
                        .isEqualTo(plain.localAddress().getPort());
                assertThat(controller.switches().getSwitch(DatapathId.of(2)).orElseThrow().remoteAddress().getPort())
                        .isEqualTo(secure.localAddress().getPort());
                plain.close();
                secure.close();
            } finally {
                loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    @Test
    void plainTcpBeyondLoopbackIsWarnedAbout() {
        try (LogCapture log = new LogCapture()) {
            try (Controller loopback = new Controller(ControllerConfig.builder()
                    .listen(new InetSocketAddress("127.0.0.1", 0)).eventLoopThreads(1).build())) {
                loopback.start();
            }
            assertThat(log.warningsContaining("unencrypted")).isEmpty();

            int port;
            try (Controller everywhere = new Controller(ControllerConfig.builder()
                    .listen(new InetSocketAddress(0))
                    .tlsListen(new InetSocketAddress(0))
                    .tls(pki.controller())
                    .eventLoopThreads(1).build())) {
                port = everywhere.start().get(0).getPort();
            }
            assertThat(log.warningsContaining("unencrypted")).singleElement().asString()
                    .startsWith("OpenFlow on tcp:0.0.0.0:" + port + " is unencrypted");
        }
    }

    @Test
    void unreadableTlsFilesFailTheStartNamingTheFile() {
        Path missing = dir.resolve("no-such-key.pem");
        Controller controller = new Controller(ControllerConfig.builder()
                .tlsListen(new InetSocketAddress("127.0.0.1", 0))
                .tls(new ControllerTls(missing, pki.cert("controller"), pki.ca()))
                .build());
        try {
            assertThatThrownBy(controller::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no-such-key.pem");
        } finally {
            controller.close();
        }
    }

    @Test
    void aKeyThatIsNoKeyFailsTheStartNamingTheFile() {
        Controller controller = new Controller(ControllerConfig.builder()
                .tlsListen(new InetSocketAddress("127.0.0.1", 0))
                .tls(new ControllerTls(pki.cert("controller"), pki.cert("controller"), pki.ca()))
                .build());
        try {
            assertThatThrownBy(controller::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no private key").hasMessageContaining("controller-cert.pem");
        } finally {
            controller.close();
        }
    }

    private static void assertRefused(ControllerFixture fixture, LogCapture log, EmulatedSwitch peer, String reason) {
        await().atMost(PATIENCE).until(() -> peer.closeFuture().isDone());
        String address = "127.0.0.1:" + peer.localAddress().getPort();
        await().atMost(PATIENCE).until(() -> !log.warningsContaining(REFUSED).isEmpty());
        assertThat(log.warningsContaining(REFUSED)).singleElement().asString()
                .contains(address).contains(reason).doesNotContain("\n");
        assertThat(log.warnings().stream().filter(w -> w.contains(address) && !w.contains("EmulatedSwitch")))
                .as("one line for the refused peer").hasSize(1);
        assertThat(peer.negotiatedVersion()).as("no OpenFlow got through").isNull();
        assertThat(fixture.controller.switches().getSwitch(DatapathId.of(7))).isEmpty();
    }
}
