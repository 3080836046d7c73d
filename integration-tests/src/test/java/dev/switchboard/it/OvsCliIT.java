package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.Controller;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./switchboard ovs --db <private OVS> ...} through the real launcher, every change
 * checked with {@code ovs-vsctl}; and its failures: one line {@code switchboard: ...}, exit 1.
 */
class OvsCliIT {
    private static final Path ROOT = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
    /** Generous: the first run may build the jar. */
    private static final Duration RUN_LIMIT = Duration.ofSeconds(300);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PrivateOvs ovs;

    @BeforeAll
    static void start() {
        ovs = PrivateOvs.start();
    }

    @AfterAll
    static void stop() {
        if (ovs != null) {
            ovs.close();
        }
    }

    @AfterEach
    void removeBridgesAndManagers() {
        for (String bridge : ovs.vsctl("list-br").lines().toList()) {
            ovs.vsctl("--if-exists", "del-br", bridge);
        }
        ovs.vsctl("del-manager");
    }

    /** What one run of the launcher printed, and its exit status. */
    private record Run(int status, String out, String err, Duration took) {
        Run succeeded() {
            assertThat(status).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isZero();
            return this;
        }

        void failedWith(String message) {
            assertThat(status).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(1);
            // The launcher's own notice when sources changed since the jar was built is not the command's.
            List<String> lines = err.lines().filter(line -> !line.startsWith("switchboard: building ")).toList();
            assertThat(lines).as("stderr").hasSize(1);
            assertThat(lines.get(0)).startsWith("switchboard: ").contains(message);
        }

        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    /** {@code ./switchboard ovs --db <the private OVS> args...} */
    private static Run ovsCli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("--db", ovs.dbTarget()));
        command.addAll(List.of(args));
        return launch(command);
    }

    /** {@code ./switchboard ovs args...} */
    private static Run launch(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("switchboard").toString(), "ovs"));
        command.addAll(args);
        Path out = Files.createTempFile("sb-ovs-cli", ".out");
        Path err = Files.createTempFile("sb-ovs-cli", ".err");
        try {
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + RUN_LIMIT);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), took);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void addsABridgeWithOptionsAndPortsAndShowsThem() throws Exception {
        String br = RunNames.name("br");
        String internal = RunNames.name("in");
        String vxlan = RunNames.name("vx");

        ovsCli("add-br", br, "--datapath-type", "netdev", "--fail-mode", "secure", "--protocols", "OpenFlow13,OpenFlow15",
                "--other-config", "datapath-id=00000000000000c1", "--external-id", "owner=ovs-cli-it").succeeded();
        assertThat(ovs.vsctl("list-br").lines()).contains(br);
        assertThat(ovs.vsctl("get", "bridge", br, "datapath_type")).isEqualTo("netdev");
        assertThat(ovs.vsctl("get", "bridge", br, "fail_mode")).isEqualTo("secure");
        assertThat(ovs.vsctl("get", "bridge", br, "protocols")).isEqualTo("[OpenFlow13, OpenFlow15]");
        assertThat(ovs.vsctl("get", "bridge", br, "other_config:datapath-id")).isEqualTo("\"00000000000000c1\"");
        assertThat(ovs.vsctl("get", "bridge", br, "external_ids:owner")).isEqualTo("ovs-cli-it");

        Run addInternal = ovsCli("add-port", br, internal, "--type", "internal", "--tag", "10").succeeded();
        assertThat(addInternal.out().strip()).isEqualTo(ovs.vsctl("get", "interface", internal, "ofport")).isNotEqualTo("-1");
        assertThat(ovs.vsctl("get", "port", internal, "tag")).isEqualTo("10");
        Run addVxlan = ovsCli("add-port", br, vxlan, "--type", "vxlan", "--option", "remote_ip=127.0.0.2",
                "--option", "key=42", "--trunks", "1,2").succeeded();
        String vxlanOfport = ovs.vsctl("get", "interface", vxlan, "ofport");
        assertThat(addVxlan.out().strip()).isEqualTo(vxlanOfport);
        assertThat(ovs.vsctl("get", "interface", vxlan, "type")).isEqualTo("vxlan");
        assertThat(ovs.vsctl("get", "interface", vxlan, "options")).isEqualTo("{key=\"42\", remote_ip=\"127.0.0.2\"}");
        assertThat(ovs.vsctl("get", "port", vxlan, "trunks")).isEqualTo("[1, 2]");

        String show = ovsCli("show").succeeded().out();
        assertThat(show).contains("Bridge " + br, "    fail_mode: secure", "    datapath_type: netdev",
                "    Port " + internal + "\n        tag: 10\n        Interface " + internal + "\n            type: internal\n"
                        + "            ofport: " + addInternal.out().strip(),
                "    Port " + vxlan, "        trunks: [1, 2]", "            type: vxlan",
                "            options: {key=\"42\", remote_ip=\"127.0.0.2\"}", "            ofport: " + vxlanOfport);
        assertThat(ovsCli("list-br").succeeded().out().lines()).containsExactly(br);
        assertThat(ovsCli("list-ports", br).succeeded().out().lines()).containsExactly(internal, vxlan);

        // as in ovs-vsctl: --may-exist leaves it be, and the ofport of what is there is printed
        assertThat(ovsCli("add-port", br, vxlan, "--type", "vxlan", "--option", "remote_ip=127.0.0.2", "--may-exist")
                .succeeded().out().strip()).isEqualTo(vxlanOfport);
    }

    @Test
    void jsonOutputParses() throws Exception {
        String br = RunNames.name("js");
        String port = RunNames.name("jsp");

        JsonNode added = ovsCli("--json", "add-br", br, "--datapath-type", "netdev").succeeded().json();
        assertThat(added.get("bridge").asText()).isEqualTo(br);
        assertThat(added.get("created").asBoolean()).isTrue();
        assertThat(added.get("uuid").asText()).isEqualTo(ovs.vsctl("get", "bridge", br, "_uuid"));
        JsonNode addedPort = ovsCli("add-port", br, port, "--type", "internal", "--json").succeeded().json();
        assertThat(addedPort.get("created").asBoolean()).isTrue();
        assertThat(addedPort.get("ofport").asText()).isEqualTo(ovs.vsctl("get", "interface", port, "ofport"));
        JsonNode again = ovsCli("add-br", br, "--may-exist", "--json").succeeded().json();
        assertThat(again.get("created").asBoolean()).isFalse();
        assertThat(again.get("uuid")).isEqualTo(added.get("uuid"));

        JsonNode show = ovsCli("show", "--json").succeeded().json();
        JsonNode bridge = show.get("bridges").get(0);
        assertThat(bridge.get("name").asText()).isEqualTo(br);
        assertThat(bridge.get("datapath_type").asText()).isEqualTo("netdev");
        assertThat(names(bridge.get("ports"))).containsExactly(br, port);
        assertThat(bridge.get("ports").get(1).get("interfaces").get(0).get("type").asText()).isEqualTo("internal");
        assertThat(show.get("managers").isArray()).isTrue();
        assertThat(ovsCli("list-br", "--json").succeeded().json().toString()).isEqualTo("[\"" + br + "\"]");
        assertThat(ovsCli("list-ports", br, "--json").succeeded().json().toString()).isEqualTo("[\"" + port + "\"]");
    }

    @Test
    void setsAndClearsControllersAndManagers() throws Exception {
        String br = RunNames.name("ct");
        ovsCli("add-br", br, "--datapath-type", "netdev").succeeded();
        Controller controller = new Controller(ControllerConfig.builder()
                .listen(new InetSocketAddress(ovs.controllerAddress(), 0)).build());
        try {
            String target = ovs.controllerTarget(controller.start().get(0).getPort());
            ovsCli("set-controller", br, target, "ptcp:0:127.0.0.1").succeeded();
            assertThat(ovs.vsctl("get-controller", br).lines()).containsExactlyInAnyOrder(target, "ptcp:0:127.0.0.1");

            await().atMost(Duration.ofSeconds(20)).until(() ->
                    ovs.vsctl("--columns=is_connected", "find", "controller", "target=\"" + target + "\"").contains("true"));
            assertThat(ovsCli("show").succeeded().out())
                    .contains("    Controller \"" + target + "\"\n        is_connected: true");
        } finally {
            controller.close();
        }
        ovsCli("set-controller", br).succeeded();
        assertThat(ovs.vsctl("get-controller", br)).isEmpty();

        ovsCli("set-manager", "tcp:127.0.0.1:1", "punix:" + ovs.runDirectory().resolve("manager.sock")).succeeded();
        assertThat(ovs.vsctl("get-manager").lines())
                .containsExactlyInAnyOrder("tcp:127.0.0.1:1", "punix:" + ovs.runDirectory().resolve("manager.sock"));
        assertThat(ovsCli("show").succeeded().out()).contains("Manager \"tcp:127.0.0.1:1\"");
        ovsCli("set-manager").succeeded();
        assertThat(ovs.vsctl("get-manager")).isEmpty();
    }

    @Test
    void deletesPortsAndBridges() throws Exception {
        String br = RunNames.name("dl");
        String port = RunNames.name("dlp");
        ovsCli("add-br", br, "--datapath-type", "netdev").succeeded();
        ovsCli("add-port", br, port, "--type", "internal").succeeded();

        ovsCli("del-port", br, port).succeeded();
        assertThat(ovs.vsctl("list-ports", br)).isEmpty();
        ovsCli("del-port", port).failedWith("no port named " + port);
        ovsCli("del-port", port, "--if-exists").succeeded();

        ovsCli("del-br", br).succeeded();
        assertThat(ovs.vsctl("list-br").lines()).doesNotContain(br);
        ovsCli("del-br", br).failedWith("no bridge named " + br);
        ovsCli("del-br", br, "--if-exists").succeeded();
    }

    @Test
    void addsAndDeletesManyPortsInTransactionsAndEndsWithASummary() throws Exception {
        String br = RunNames.name("bk");
        String prefix = RunNames.name("k");
        ovsCli("add-br", br, "--datapath-type", "netdev").succeeded();

        Run add = ovsCli("add-ports", br, prefix, "250", "--type", "internal", "--per-transaction", "100").succeeded();
        assertThat(add.out()).containsPattern("(?m)^add-ports: 250 ports added to " + br + " in \\d+\\.\\d s$");
        assertThat(ovs.vsctl("list-ports", br).lines()).hasSize(250).contains(prefix + "1", prefix + "250");
        assertThat(ovs.vsctl("get", "interface", prefix + "250", "type")).isEqualTo("internal");

        ovsCli("add-ports", br, prefix, "250").failedWith("250 of the ports exist already");
        Run more = ovsCli("add-ports", br, prefix, "260", "--type", "internal", "--may-exist").succeeded();
        assertThat(more.out()).contains("add-ports: 10 ports added to " + br + " (250 were there already) in ");
        assertThat(ovs.vsctl("list-ports", br).lines()).hasSize(260);

        ovsCli("del-ports", br, prefix, "270").failedWith("10 of the ports are not on " + br);
        assertThat(ovs.vsctl("list-ports", br).lines()).as("nothing was deleted").hasSize(260);
        Run del = ovsCli("del-ports", br, prefix, "270", "--if-exists").succeeded();
        assertThat(del.out()).containsPattern("(?m)^del-ports: 260 ports deleted from " + br
                + " \\(10 were not there\\) in \\d+\\.\\d s$");
        assertThat(ovs.vsctl("list-ports", br)).isEmpty();
    }

    @Test
    void transactSendsTheOperationsOfAFile() throws Exception {
        String br = RunNames.name("tx");
        Path file = ovs.runDirectory().resolve("insert-bridge.json");
        Files.writeString(file, """
                [{"op": "insert", "table": "Interface", "row": {"name": "%1$s", "type": "internal"}, "uuid-name": "iface"},
                 {"op": "insert", "table": "Port", "row": {"name": "%1$s", "interfaces": ["named-uuid", "iface"]},
                  "uuid-name": "port"},
                 {"op": "insert", "table": "Bridge", "row": {"name": "%1$s", "datapath_type": "netdev",
                  "ports": ["named-uuid", "port"], "external_ids": ["map", [["made-by", "transact"]]]}, "uuid-name": "br"},
                 {"op": "mutate", "table": "Open_vSwitch", "where": [],
                  "mutations": [["bridges", "insert", ["named-uuid", "br"]]]},
                 {"op": "select", "table": "Bridge", "where": [["name", "==", "%1$s"]], "columns": ["name"]}]
                """.formatted(br));

        JsonNode result = ovsCli("transact", file.toString()).succeeded().json();

        assertThat(result.size()).isEqualTo(5);
        assertThat(result.get(2).get("uuid").get(1).asText()).isEqualTo(ovs.vsctl("get", "bridge", br, "_uuid"));
        assertThat(result.get(3).get("count").asInt()).isEqualTo(1);
        assertThat(result.get(4).get("rows").get(0).get("name").asText()).isEqualTo(br);
        assertThat(ovs.vsctl("list-br").lines()).contains(br);
        assertThat(ovs.vsctl("get", "bridge", br, "external_ids:made-by")).isEqualTo("transact");
    }

    @Test
    void transactReportsSchemaAndOvsdbErrors() throws Exception {
        Path typo = ovs.runDirectory().resolve("typo.json");
        Files.writeString(typo, "[{\"op\": \"insert\", \"table\": \"Bridge\", \"row\": {\"nmae\": \"x\"}}]");
        ovsCli("transact", typo.toString())
                .failedWith("operation 0 (insert Bridge): Bridge.nmae: no such column in table Bridge (did you mean name?)");

        // a wait that does not hold: ovsdb-server refuses the whole transaction, the mutation too
        Path refused = ovs.runDirectory().resolve("refused.json");
        Files.writeString(refused, """
                [{"op": "mutate", "table": "Open_vSwitch", "where": [],
                  "mutations": [["external_ids", "insert", ["map", [["sb-ovs-cli-it", "1"]]]]]},
                 {"op": "wait", "timeout": 0, "table": "Open_vSwitch", "where": [], "columns": ["bridges"],
                  "until": "!=", "rows": [{"bridges": ["set", []]}]}]
                """);
        ovsCli("transact", refused.toString()).failedWith("OVSDB refused the transaction, nothing was changed: "
                + "operation 1 (wait Open_vSwitch) failed: timed out");
        assertThat(ovs.vsctl("get", "open_vswitch", ".", "external_ids")).doesNotContain("sb-ovs-cli-it");
    }

    @Test
    void errorsAreOneLineAndExitOne() throws Exception {
        String br = RunNames.name("er");
        ovsCli("add-br", br, "--datapath-type", "netdev").succeeded();
        ovsCli("add-br", br).failedWith("switchboard: bridge " + br + " already exists");
        ovsCli("list-ports", RunNames.name("none")).failedWith("no bridge named " + RunNames.name("none"));
        ovsCli("add-port", br, RunNames.name("vx"), "--type", "vxlan").failedWith("needs the option remote_ip");

        launch(List.of("--db", "nonsense", "show")).failedWith("--db: invalid OVSDB endpoint \"nonsense\"");

        Run unreachable = launch(List.of("--db", "unix:/nonexistent", "show"));
        unreachable.failedWith("cannot connect to unix:/nonexistent");
        assertThat(unreachable.took()).as("fails fast, not after the 30 s timeout").isLessThan(Duration.ofSeconds(20));

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run refused = launch(List.of("--db", "tcp:127.0.0.1:" + closedPort, "list-br"));
        refused.failedWith("cannot connect to tcp:127.0.0.1:" + closedPort);
        assertThat(refused.took()).isLessThan(Duration.ofSeconds(20));
    }

    private static List<String> names(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(node -> node.get("name").asText()).toList();
    }
}
