package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code switchboard ovs} without an OVS: parsing, the checks made before connecting, and
 * connection failures, each one line {@code switchboard: ...} and exit status 1.
 */
class OvsCommandTest {

    @TempDir
    Path directory;

    /** What one run printed, and its exit status. */
    private record Run(int status, String out, String err) {
    }

    private static Run ovs(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "ovs";
        System.arraycopy(args, 0, all, 1, args.length);
        int status = cli.execute(all);
        return new Run(status, out.toString(), err.toString());
    }

    private static void assertFails(Run run, String message) {
        assertThat(run.status()).as("exit status; stderr: %s", run.err()).isEqualTo(1);
        assertThat(run.err()).startsWith("switchboard: ").contains(message);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpListsTheSubcommandsAndGlobalOptions() {
        Run run = ovs("--help");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("--db=TARGET", "--json", "--no-wait", "--timeout=SECONDS",
                "unix:/var/run/openvswitch/db");
        for (String command : new String[] {"show", "list-br", "list-ports", "add-br", "del-br", "add-port", "del-port",
                "set-controller", "set-manager", "transact", "add-ports", "del-ports"}) {
            assertThat(run.out()).contains("  " + command + " ");
        }
    }

    @Test
    void bulkPortCommandsRefuseBadInputBeforeConnecting() {
        String db = "unix:" + directory.resolve("db.sock");
        assertFails(ovs("--db", db, "add-ports", "br0", "p", "0"), "COUNT is 1..65279, not 0");
        assertFails(ovs("--db", db, "del-ports", "br0", "p", "70000"), "COUNT is 1..65279, not 70000");
        assertFails(ovs("--db", db, "add-ports", "br0", "averylongprefix", "3"),
                "port name averylongprefix3 is longer than a network device's 15 characters");
        assertFails(ovs("--db", db, "add-ports", "br0", "p", "3", "--type", "patch"),
                "add-ports adds system, internal or tap ports, not patch");
    }

    @Test
    void globalOptionsMayFollowTheSubcommand() {
        Run run = ovs("show", "--db", "nonsense", "--json");

        assertFails(run, "--db: invalid OVSDB endpoint \"nonsense\"");
    }

    @Test
    void aMalformedTargetIsRefusedBeforeConnecting() {
        assertFails(ovs("--db", "tcp:", "list-br"), "invalid OVSDB endpoint \"tcp:\"");
        assertFails(ovs("--db", "udp:1.2.3.4:6640", "list-br"), "unknown kind \"udp\"");
        assertFails(ovs("--db", "ptcp:6640", "list-br"), "would listen for ovsdb-server");
    }

    @Test
    void aMissingSocketFailsAtOnceNamingIt() {
        long start = System.nanoTime();
        Run run = ovs("--db", "unix:" + directory.resolve("db.sock"), "show");

        assertFails(run, "cannot connect to unix:" + directory.resolve("db.sock") + ": no such socket");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aRefusedConnectionFailsAtOnceNamingTheTarget() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        Run run = ovs("--db", "tcp:127.0.0.1:" + port, "list-br");

        assertFails(run, "cannot connect to tcp:127.0.0.1:" + port);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aSilentServerFailsAfterTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            long start = System.nanoTime();
            Run run = ovs("--db", "tcp:127.0.0.1:" + silent.getLocalPort(), "--timeout", "1", "show");

            assertFails(run, "tcp:127.0.0.1:" + silent.getLocalPort() + " accepted the connection but did not answer "
                    + "within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
        }
    }

    @Test
    void sslNeedsTheThreeFiles() {
        assertFails(ovs("--db", "ssl:127.0.0.1:6640", "show"), "ssl:127.0.0.1:6640 needs --private-key, --certificate");
        assertFails(ovs("--db", "ssl:127.0.0.1:6640", "--private-key", "k.pem", "show"), "TLS needs all three");
    }

    @Test
    void badValuesAreRefusedBeforeConnecting() {
        String nowhere = "unix:" + directory.resolve("none.sock");
        assertFails(ovs("--db", nowhere, "--timeout", "0", "show"), "--timeout must be at least 1 second");
        assertFails(ovs("--db", nowhere, "add-br", "br0", "--fail-mode", "open"), "--fail-mode is secure or standalone");
        assertFails(ovs("--db", nowhere, "add-port", "br0", "p0", "--type", "veth"), "unknown interface type 'veth'");
        assertFails(ovs("--db", nowhere, "add-port", "br0", "p0", "--type", "vxlan"), "needs the option remote_ip");
        assertFails(ovs("--db", nowhere, "add-port", "br0", "p0", "--tag", "4096"), "VLAN tag 4096 is not in 0..4095");
        assertFails(ovs("--db", nowhere, "set-controller", "br0", "tcp:127.0.0.1:6653", "6653"),
                "'6653' is not a target like tcp:HOST[:PORT]");
        assertFails(ovs("--db", nowhere, "set-manager", "ptcp:6640", "punix:"), "'punix:' is not a target");
    }

    @Test
    void transactReadsItsFileBeforeConnecting() throws IOException {
        String nowhere = "unix:" + directory.resolve("none.sock");
        assertFails(ovs("--db", nowhere, "transact", directory.resolve("missing.json").toString()), "no such file");
        Path broken = Files.writeString(directory.resolve("broken.json"), "[{\"op\": \"insert\",\n");
        assertFails(ovs("--db", nowhere, "transact", broken.toString()), broken + " is not JSON: ");
    }

    @Test
    void picocliReportsWhatItCannotParse() {
        Run run = ovs("del-port", "br0", "p0", "extra");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument");
    }
}
