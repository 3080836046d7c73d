package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.ControllerTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code openflow.listen} entries with {@code ssl:}/{@code tcp:}, {@code openflow.tls}, and their command-line flags. */
class OpenFlowListenConfigTest {

    @TempDir
    Path directory;

    private Path yaml(String text) throws IOException {
        Path file = directory.resolve("switchboard.yaml");
        Files.writeString(file, text);
        return file;
    }

    private ControllerConfig load(String text) throws IOException {
        return SwitchboardConfig.load(yaml(text)).controllerConfig().build();
    }

    @Test
    void sslEntriesListenWithTlsAndTheRestWithTcp() throws IOException {
        ControllerConfig config = load("""
                openflow:
                  listen: ["ssl:127.0.0.1:6653", "tcp:127.0.0.1:6633", "0.0.0.0:6634", "ssl::6655"]
                  tls: {privateKey: ctl-privkey.pem, certificate: ctl-cert.pem, caCertificate: pki/switchca/cacert.pem}
                """);

        assertThat(config.tlsListen()).containsExactly(new InetSocketAddress("127.0.0.1", 6653), new InetSocketAddress(6655));
        assertThat(config.listen()).containsExactly(new InetSocketAddress("127.0.0.1", 6633),
                new InetSocketAddress("0.0.0.0", 6634));
        assertThat(config.tls()).isEqualTo(new ControllerTls(Path.of("ctl-privkey.pem"), Path.of("ctl-cert.pem"),
                Path.of("pki/switchca/cacert.pem")));
    }

    @Test
    void onlySslEntriesListenOnlyWithTls() throws IOException {
        ControllerConfig config = load("""
                openflow:
                  listen: ["ssl:0.0.0.0:6653"]
                  tls: {privateKey: k.pem, certificate: c.pem, caCertificate: ca.pem}
                """);

        assertThat(config.listen()).isEmpty();
        assertThat(config.tlsListen()).containsExactly(new InetSocketAddress("0.0.0.0", 6653));
    }

    @Test
    void anSslEntryWithoutTheTlsSectionIsAnErrorNamingTheKey() throws IOException {
        Path file = yaml("""
                openflow:
                  listen: ["ssl:0.0.0.0:6653"]
                """);

        assertThatThrownBy(() -> SwitchboardConfig.load(file)).isInstanceOf(SwitchboardConfig.ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(":2: openflow.listen[0]: 'ssl:0.0.0.0:6653' needs openflow.tls")
                .hasMessageContaining("privateKey, certificate, caCertificate");
    }

    @Test
    void aTlsSectionWithoutAFileIsAnErrorNamingIt() throws IOException {
        Path file = yaml("""
                openflow:
                  listen: ["ssl:0.0.0.0:6653"]
                  tls: {privateKey: k.pem, caCertificate: ca.pem}
                """);

        assertThatThrownBy(() -> SwitchboardConfig.load(file)).isInstanceOf(SwitchboardConfig.ConfigException.class)
                .hasMessageContaining(":3: openflow.tls.certificate: missing");
    }

    @Test
    void anUnknownTlsKeyIsAnError() throws IOException {
        Path file = yaml("""
                openflow:
                  tls: {privateKey: k.pem, certificate: c.pem, caCertificate: ca.pem, cert: x.pem}
                """);

        assertThatThrownBy(() -> SwitchboardConfig.load(file)).isInstanceOf(SwitchboardConfig.ConfigException.class)
                .hasMessageContaining("cert");
    }

    @Test
    void passiveOvsTargetsAreRefusedWithTheRightSpelling() throws IOException {
        Path file = yaml("""
                openflow:
                  listen: ["pssl:6653"]
                """);

        assertThatThrownBy(() -> SwitchboardConfig.load(file)).isInstanceOf(SwitchboardConfig.ConfigException.class)
                .hasMessageContaining(":2: openflow.listen[0]: 'pssl:6653' is not an OpenFlow listen address")
                .hasMessageContaining("ssl:HOST:PORT");
    }

    @Test
    void aBadAddressAfterTheSchemeNamesTheKey() throws IOException {
        Path file = yaml("""
                openflow:
                  listen: ["tcp:somewhere"]
                """);

        assertThatThrownBy(() -> SwitchboardConfig.load(file)).hasMessageContaining(":2: openflow.listen[0]: 'somewhere'");
    }

    private static ControllerOptions options(String... args) {
        return CommandLine.populateCommand(new ControllerOptions(), args);
    }

    @Test
    void listenFlagReplacesTheConfigsAddresses() {
        ControllerConfig config = options("--listen", "ssl:127.0.0.1:6653,tcp:127.0.0.1:6633",
                "--private-key", "k.pem", "--certificate", "c.pem", "--ca-cert", "ca.pem").resolve();

        assertThat(config.tlsListen()).containsExactly(new InetSocketAddress("127.0.0.1", 6653));
        assertThat(config.listen()).containsExactly(new InetSocketAddress("127.0.0.1", 6633));
        assertThat(config.tls()).isEqualTo(new ControllerTls(Path.of("k.pem"), Path.of("c.pem"), Path.of("ca.pem")));
    }

    @Test
    void sslOnTheCommandLineNeedsTheFiles() {
        assertThatThrownBy(() -> options("--listen", "ssl:127.0.0.1:6653").resolve())
                .isInstanceOf(UserFacingException.class)
                .hasMessageContaining("--private-key, --certificate and --ca-cert");
        assertThatThrownBy(() -> options("--listen", "ssl:127.0.0.1:6653", "--private-key", "k.pem").resolve())
                .isInstanceOf(UserFacingException.class)
                .hasMessageContaining("all three");
    }

    @Test
    void portKeepsTheTransportOfTheConfigsFirstAddress() throws IOException {
        Path file = yaml("""
                openflow:
                  listen: ["ssl:127.0.0.1:6653"]
                  tls: {privateKey: k.pem, certificate: c.pem, caCertificate: ca.pem}
                """);

        ControllerConfig config = options("--config", file.toString(), "--port", "7653").resolve();

        assertThat(config.listen()).isEmpty();
        assertThat(config.tlsListen()).containsExactly(new InetSocketAddress("127.0.0.1", 7653));
        assertThat(options("--port", "7653").resolve().listen()).containsExactly(new InetSocketAddress(7653));
    }

    @Test
    void listenAndPortTogetherAreRefused() {
        assertThatThrownBy(() -> options("--listen", "tcp:127.0.0.1:6653", "--port", "6633").resolve())
                .isInstanceOf(UserFacingException.class)
                .hasMessageContaining("--listen names every address");
    }

    @Test
    void declaredBridgesGetSslTargetsForTlsAddresses() {
        assertThat(OvsdbManager.defaultControllers(List.of(new InetSocketAddress("0.0.0.0", 6633)),
                List.of(new InetSocketAddress("192.0.2.1", 6653))))
                .containsExactly("tcp:127.0.0.1:6633", "ssl:192.0.2.1:6653");
    }
}
