package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.ControllerTls;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.LoggerFactory;

/**
 * OpenFlow over TLS with mutual authentication between the controller and a real OVS (private
 * instance, userspace datapath), with certificates made by {@code ovs-pki}: OVS connects with
 * {@code set-ssl} and {@code set-controller ssl:}; a switch certificate from another PKI is refused
 * by the controller; a controller certificate from another PKI is refused by OVS.
 */
class OpenFlowTlsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final String REFUSED = "refused: TLS handshake failed";

    @TempDir
    static Path dir;
    /** The PKI the controller and OVS share, and a second one neither trusts. */
    private static Pki trusted;
    private static Pki other;
    private static PrivateOvs ovs;
    private static Controller controller;
    private static int port;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger("dev.switchboard");
    private String bridge;

    /** An {@code ovs-pki} directory with its controller CA and switch CA, and one certificate from each. */
    private record Pki(Path dir, Path controllerKey, Path controllerCert, Path switchKey, Path switchCert) {
        Path controllerCa() {
            return dir.resolve("controllerca/cacert.pem");
        }

        Path switchCa() {
            return dir.resolve("switchca/cacert.pem");
        }

        static Pki create(Path base, String name) throws IOException {
            Path pki = base.resolve(name);
            Path certs = Files.createDirectories(base.resolve(name + "-certs"));
            String log = "--log=" + base.resolve(name + "-ovs-pki.log");
            ovsPki(certs, "init", "--dir=" + pki, "--force", log);
            ovsPki(certs, "--dir=" + pki, log, "req+sign", "ctl", "controller");
            ovsPki(certs, "--dir=" + pki, log, "req+sign", "sw", "switch");
            return new Pki(pki, certs.resolve("ctl-privkey.pem"), certs.resolve("ctl-cert.pem"),
                    certs.resolve("sw-privkey.pem"), certs.resolve("sw-cert.pem"));
        }

        /**
         * Runs ovs-pki in {@code workDir}: the name given to req+sign becomes the certificate's
         * common name, which may not exceed 64 characters, so it must not be a long path.
         */
        private static void ovsPki(Path workDir, String... args) {
            StringBuilder line = new StringBuilder("cd '" + workDir + "' && exec ovs-pki");
            for (String arg : args) {
                line.append(" '").append(arg).append('\'');
            }
            Commands.check(List.of("sh", "-c", line.toString()), Map.of(), COMMAND_TIMEOUT);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Commands.isInstalled("ovs-pki"), "ovs-pki (openvswitch-common) makes the certificates");
        trusted = Pki.create(dir, "pki");
        other = Pki.create(dir, "other");
        // As ovs-pki intends: the controller presents its controllerca certificate and trusts the switchca.
        ovs = PrivateOvs.start();
        controller = new Controller(ControllerConfig.builder()
                .tlsListen(new InetSocketAddress(ovs.controllerAddress(), 0))
                .tls(new ControllerTls(trusted.controllerKey(), trusted.controllerCert(), trusted.switchCa()))
                .build());
        port = controller.start().get(0).getPort();
    }

    @AfterAll
    static void stop() {
        if (ovs != null) {
            ovs.close();
        }
        if (controller != null) {
            controller.close();
        }
    }

    @BeforeEach
    void capture() {
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void cleanUp() {
        root.detachAppender(log);
        if (bridge != null) {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
    }

    /** A netdev bridge with the datapath id {@code dpid}, pointed at the controller over ssl:. */
    private String addBridge(String suffix, DatapathId dpid) {
        bridge = RunNames.name(suffix);
        ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "protocols=OpenFlow13",
                "fail_mode=secure", "other-config:datapath-id=" + dpid.toString().replace(":", ""),
                "--", "set-controller", bridge, "ssl:" + ovs.controllerAddress().getHostAddress() + ":" + port,
                "--", "set", "controller", bridge, "max_backoff=1000");
        return ovs.vsctl("get", "bridge", bridge, "controller").replaceAll("[\\[\\]]", "");
    }

    private static boolean connected(String controllerRow) {
        return ovs.vsctl("get", "controller", controllerRow, "is_connected").equals("true");
    }

    private List<String> refusals() {
        return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(REFUSED)).toList();
    }

    private static String vswitchdLog() throws IOException {
        return Files.readString(ovs.runDirectory().resolve("ovs-vswitchd.log"));
    }

    @Test
    void ovsWithASwitchCertificateFromTheCaConnects() {
        ovs.vsctl("set-ssl", trusted.switchKey().toString(), trusted.switchCert().toString(),
                trusted.controllerCa().toString());
        DatapathId dpid = DatapathId.of(0x5b7101L);

        String row = addBridge("tls1", dpid);

        await().atMost(PATIENCE).until(() -> connected(row));
        OFSwitch sw = await().atMost(PATIENCE).until(() -> controller.switches().getSwitch(dpid),
                java.util.Optional::isPresent).orElseThrow();
        assertThat(sw.version()).isEqualTo(OFVersion.OF_13);
        assertThat(sw.barrier()).succeedsWithin(PATIENCE);
        assertThat(ovs.vsctl("list", "controller")).containsPattern("is_connected\\s*: true")
                .contains("ssl:" + ovs.controllerAddress().getHostAddress() + ":" + port);
        assertThat(refusals()).isEmpty();
    }

    @Test
    void aSwitchCertificateFromAnotherCaIsRefusedByTheController() throws IOException {
        // OVS trusts the controller (its CA is right) but presents a certificate the controller's CA did not sign.
        ovs.vsctl("set-ssl", other.switchKey().toString(), other.switchCert().toString(),
                trusted.controllerCa().toString());
        DatapathId dpid = DatapathId.of(0x5b7102L);

        String row = addBridge("tls2", dpid);

        await().atMost(PATIENCE).until(() -> refusals().size() >= 2); // OVS retried: refused each time
        assertThat(refusals()).allSatisfy(line -> assertThat(line).startsWith("/" + ovs.controllerAddress().getHostAddress().replaceAll("\\.\\d+$", "."))
                .contains("certification path"));
        assertThat(connected(row)).isFalse();
        assertThat(controller.switches().getSwitch(dpid)).isEmpty();
    }

    @Test
    void aControllerCertificateFromAnotherCaIsRefusedByOvs() throws IOException {
        // OVS presents a good switch certificate, but trusts only the other PKI's controller CA.
        ovs.vsctl("set-ssl", trusted.switchKey().toString(), trusted.switchCert().toString(),
                other.controllerCa().toString());
        DatapathId dpid = DatapathId.of(0x5b7103L);
        int logBefore = vswitchdLog().length();

        String row = addBridge("tls3", dpid);

        await().atMost(PATIENCE).until(() -> vswitchdLog().substring(logBefore).contains("certificate verify failed"));
        await().atMost(PATIENCE).until(() -> !refusals().isEmpty()); // the controller's side of it, one line each
        assertThat(connected(row)).isFalse();
        assertThat(controller.switches().getSwitch(dpid)).isEmpty();
    }
}
