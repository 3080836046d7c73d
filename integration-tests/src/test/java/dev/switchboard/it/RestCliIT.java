package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.app.AppConfig;
import dev.switchboard.ovs.runtime.PrivateOvs;
import dev.switchboard.rest.RestConfig;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.SwitchboardConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * {@code ./switchboard switches|links|hosts|flows|apps} through the real launcher against a
 * controller running in this JVM, with its REST API behind a token and a real bridge of a
 * private OVS connected to it: what the commands print (checked against {@code ovs-ofctl}) and
 * their exit statuses.
 */
class RestCliIT {
    private static final Path ROOT = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
    /** Generous: the first run may build the jar. */
    private static final Duration RUN_LIMIT = Duration.ofSeconds(300);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "cli-it-" + RunNames.PREFIX;
    private static final DatapathId DPID = DatapathId.of(0xc11c);
    private static final String BRIDGE = RunNames.name("cli");
    private static final String OF = "OpenFlow13";

    private static PrivateOvs ovs;
    private static Switchboard switchboard;
    private static Path tokenFile;
    private static String controllerUrl;

    @BeforeAll
    static void start() throws IOException {
        tokenFile = Files.createTempFile("sb-cli-it", ".token");
        Files.writeString(tokenFile, TOKEN + "\n");
        // the switches live in the private OVS's namespace and reach the controller over its uplink
        ovs = PrivateOvs.start();
        switchboard = Switchboard.start(
                ControllerConfig.builder().listen(List.of(new InetSocketAddress(ovs.controllerAddress(), 0))).build(),
                SwitchboardConfig.defaults().ovsdb(), List.of("forwarding"), name -> AppConfig.of("apps." + name, Map.of()),
                new RestConfig(true, "127.0.0.1", 0, Optional.of(TOKEN)));
        controllerUrl = "http://127.0.0.1:" + switchboard.rest().orElseThrow().port();
        ovs.vsctl("add-br", BRIDGE, "--", "set", "bridge", BRIDGE, "datapath_type=netdev", "protocols=" + OF,
                "fail_mode=secure", "other-config:datapath-id=" + DPID.toString().replace(":", ""),
                "--", "set-controller", BRIDGE, ovs.controllerTarget(switchboard.openflowAddresses().get(0).getPort()),
                "--", "set", "controller", BRIDGE, "max_backoff=1000");
        OFSwitch sw = await().atMost(PATIENCE).until(() -> switchboard.controller().switches().getSwitch(DPID),
                Optional::isPresent).orElseThrow();
        await().atMost(PATIENCE).until(() -> switchboard.serves(sw));
    }

    @AfterAll
    static void stop() throws IOException {
        if (switchboard != null) {
            switchboard.close();
        }
        if (ovs != null) {
            ovs.close();
        }
        if (tokenFile != null) {
            Files.deleteIfExists(tokenFile);
        }
    }

    @Test
    void listsTheControllersSwitchesFlowsLinksHostsAndAppsAsJsonAndTables() throws Exception {
        ovs.ofctl("-O", OF, "add-flow", BRIDGE, "cookie=0xc11,priority=123,ip,nw_dst=10.1.2.3,actions=drop");

        JsonNode switches = cli("switches", "--json").succeeded().json();
        assertThat(switches).extracting(s -> s.get("dpid").asText()).containsExactly(DPID.toString());
        assertThat(switches.get(0).get("version").asText()).isEqualTo("1.3");
        Run table = cli("switches").succeeded();
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("DPID").contains("VERSION", "PORTS",
                "CONNECTED SINCE", "ADDRESS");
        assertThat(table.out()).contains(DPID.toString() + "  1.3");

        // the flows the controller reads from the switch are those ovs-ofctl dumps
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode flows = cli("flows", DPID.toString(), "--json").succeeded().json();
            assertThat(StreamSupport.stream(flows.spliterator(), false).map(RestCliIT::key).sorted().toList())
                    .as("flows from the CLI vs ovs-ofctl dump-flows").isEqualTo(dumpedFlows());
        });
        JsonNode ours = find(cli("flows", "c11c", "--json").succeeded().json(), f -> f.get("priority").asInt() == 123);
        assertThat(ours.get("match").get("ipv4_dst").asText()).isEqualTo("10.1.2.3");
        assertThat(ours.get("actions")).isEmpty();
        assertThat(cli("flows", "c11c").succeeded().out()).containsPattern("\\n\\s+0\\s+123\\s+0xc11\\s.*ipv4_dst=10\\.1\\.2\\.3\\s+drop\\n");

        assertThat(cli("links", "--json").succeeded().json().isArray()).isTrue();
        assertThat(cli("hosts", "--json").succeeded().json().isArray()).isTrue();
        JsonNode apps = cli("apps", "--json").succeeded().json();
        assertThat(apps).extracting(a -> a.get("name").asText()).containsExactly("topology", "hosts", "forwarding");
        assertThat(cli("apps").succeeded().out()).containsPattern("\\nforwarding\\s+0x5342");
    }

    @Test
    void theTokenMayComeFromTheEnvironment() throws Exception {
        Run run = launch(List.of("switches", "--json", "--controller", controllerUrl), Map.of("SWITCHBOARD_TOKEN", TOKEN));

        assertThat(run.succeeded().json()).hasSize(1);
    }

    @Test
    void exitStatusesTellAnUnknownSwitchFromAnUnreachableController() throws Exception {
        Run unknown = cli("flows", "00:00:00:00:00:00:00:99");
        unknown.failedWith(1, "no switch 00:00:00:00:00:00:00:99 is connected");

        Run badDpid = cli("flows", "not-a-dpid", "--json");
        badDpid.failedWith(1, "is not a datapath id");

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        launch(List.of("switches", "--controller", "http://127.0.0.1:" + closed, "--token-file", tokenFile.toString()), Map.of())
                .failedWith(3, "cannot reach the controller at http://127.0.0.1:" + closed);

        launch(List.of("switches", "--controller", controllerUrl), Map.of())
                .failedWith(3, "wants a bearer token");

        Run usage = launch(List.of("flows", "--controller", controllerUrl), Map.of());
        usage.failedWith(2, "which switch?");
    }

    /** The flows endpoint for writes ({@code POST}/{@code DELETE .../flows}) comes from another branch. */
    @Test
    void addsAFlowFileAndDeletesFlowsThroughTheController() throws Exception {
        Path text = Files.createTempFile("sb-cli-it", ".flows");
        Path json = Files.createTempFile("sb-cli-it", ".json");
        try {
            Files.writeString(text, "# generated by RestCliIT\n" + IntStream.range(0, 1000)
                    .mapToObj(i -> "cookie=0xcafe,priority=10,ip,nw_dst=10.7." + (i >> 8) + "." + (i & 0xff) + ",actions=output:"
                            + (1 + i % 4))
                    .collect(Collectors.joining("\n")) + "\n");
            JsonNode added = cli("flows", "add", DPID.toString(), text.toString(), "--json").succeeded().json();
            assertThat(added.get("requested").asInt()).isEqualTo(1000);
            assertThat(added.get("installed").asInt()).isEqualTo(1000);
            assertThat(added.get("failed")).isEmpty();
            assertThat(flowsWithCookie("0xcafe")).isEqualTo(1000);

            // JSON on standard input; one flow OVS refuses (goto_table back to an earlier table): status 1, and it is named
            Files.writeString(json, "{\"flows\": ["
                    + "{\"cookie\": \"0xbeef\", \"priority\": 20, \"match\": {\"ip\": true, \"nw_dst\": \"10.8.0.1\"}, \"actions\": [\"output:1\"]},"
                    + "{\"cookie\": \"0xbeef\", \"table\": 5, \"priority\": 7, \"match\": {}, \"actions\": [\"goto_table:1\"]}"
                    + "]}");
            Run mixed = launch(List.of("flows", "add", "c11c", "-", "--controller", controllerUrl, "--token-file",
                    tokenFile.toString()), Map.of(), json);
            assertThat(mixed.status()).as(mixed.err()).isEqualTo(1);
            assertThat(mixed.out()).as("stderr: %s", mixed.err()).startsWith("installed 1 of 2 flows in ").contains("(batches); 1 failed:", "BAD_INSTRUCTION", "goto_table:1");
            assertThat(flowsWithCookie("0xbeef")).isEqualTo(1);

            Run summary = cli("flows", "add", "c11c", text.toString()).succeeded();
            assertThat(summary.out()).matches("installed 1000 flows in \\d+\\.\\d s \\(batches\\)\\n");

            // mod: as ovs-ofctl mod-flows, the flows the line matches get its actions, the others keep theirs
            Files.writeString(json, "ip,nw_dst=10.7.0.5,actions=output:3\n");
            assertThat(cli("flows", "mod", "c11c", json.toString()).succeeded().out())
                    .matches("modified with 1 flow in \\d+\\.\\d s \\(batches\\)\\n");
            assertThat(ovs.ofctl("-O", OF, "dump-flows", BRIDGE, "ip,nw_dst=10.7.0.5")).contains("actions=output:3");
            // 10.7.0.7 had output:4 and keeps it (10.7.0.6 had output:3 already)
            assertThat(ovs.ofctl("-O", OF, "dump-flows", BRIDGE, "ip,nw_dst=10.7.0.7")).contains("actions=output:4");
            // strict: a priority no flow has changes nothing
            Files.writeString(json, "priority=99,ip,nw_dst=10.7.0.6,actions=output:4\n");
            cli("flows", "mod", "c11c", json.toString(), "--strict", "--json").succeeded();
            assertThat(ovs.ofctl("-O", OF, "dump-flows", BRIDGE, "ip,nw_dst=10.7.0.6")).doesNotContain("output:4");
            assertThat(flowsWithCookie("0xcafe")).isEqualTo(1000);

            assertThat(cli("flows", "del", "c11c", "ip,nw_dst=10.7.0.1").succeeded().out())
                    .isEqualTo("deleted the flows matching ip,nw_dst=10.7.0.1 from c11c\n");
            assertThat(flowsWithCookie("0xcafe")).isEqualTo(999);
            // strict: only the flow with exactly this match and priority
            cli("flows", "del", "c11c", "priority=11,ip,nw_dst=10.7.0.2", "--strict").succeeded();
            assertThat(flowsWithCookie("0xcafe")).isEqualTo(999);
            cli("flows", "del", "c11c", "priority=10,ip,nw_dst=10.7.0.2", "--strict").succeeded();
            assertThat(flowsWithCookie("0xcafe")).isEqualTo(998);
            cli("flows", "del", "c11c", "--cookie", "0xcafe/-1").succeeded();
            assertThat(flowsWithCookie("0xcafe")).isZero();

            cli("flows", "add", "00:00:00:00:00:00:00:99", text.toString()).failedWith(1, "00:00:00:00:00:00:00:99");
        } finally {
            ovs.ofctl("-O", OF, "del-flows", BRIDGE, "cookie=0xcafe/-1");
            ovs.ofctl("-O", OF, "del-flows", BRIDGE, "cookie=0xbeef/-1");
            Files.deleteIfExists(text);
            Files.deleteIfExists(json);
        }
    }

    private static long flowsWithCookie(String cookie) {
        return ovs.ofctl("-O", OF, "dump-flows", BRIDGE, "cookie=" + cookie + "/-1").lines()
                .filter(line -> line.contains("cookie=" + cookie + ",")).count();
    }

    /** {@code table/priority/cookie} of each flow ovs-ofctl dumps, sorted. */
    private static List<String> dumpedFlows() {
        List<String> keys = new ArrayList<>();
        for (String line : ovs.ofctl("-O", OF, "dump-flows", BRIDGE).lines().toList()) {
            if (!line.contains("cookie=")) {
                continue;
            }
            Matcher cookie = Pattern.compile("cookie=(0x\\p{XDigit}+)").matcher(line);
            Matcher table = Pattern.compile("table=(\\d+)").matcher(line);
            Matcher priority = Pattern.compile("priority=(\\d+)").matcher(line);
            assertThat(cookie.find() && table.find()).as(line).isTrue();
            // ovs-ofctl leaves out the default priority
            String p = priority.find() ? priority.group(1) : "32768";
            keys.add(table.group(1) + "/" + p + "/" + Long.toHexString(Long.parseUnsignedLong(cookie.group(1).substring(2), 16)));
        }
        return keys.stream().sorted().toList();
    }

    private static String key(JsonNode flow) {
        String cookie = flow.get("cookie").asText();
        return flow.get("tableId").asInt() + "/" + flow.get("priority").asInt() + "/"
                + Long.toHexString(Long.parseUnsignedLong(cookie.substring(2), 16));
    }

    private static JsonNode find(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode node : array) {
            if (test.test(node)) {
                return node;
            }
        }
        throw new AssertionError("none matches in " + array);
    }

    /** What one run of the launcher printed, and its exit status. */
    private record Run(int status, String out, String err) {
        Run succeeded() {
            assertThat(status).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isZero();
            return this;
        }

        void failedWith(int expected, String message) {
            assertThat(status).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(expected);
            assertThat(err.lines().toList()).as("stderr").hasSize(1);
            assertThat(err).startsWith("switchboard: ").contains(message);
        }

        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    /** {@code ./switchboard args... --controller <ours> --token-file <ours>} */
    private static Run cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--controller", controllerUrl, "--token-file", tokenFile.toString()));
        return launch(command, Map.of());
    }

    private static Run launch(List<String> args, Map<String, String> environment) throws Exception {
        return launch(args, environment, null);
    }

    /** {@code ROOT/switchboard args...}, standard input from {@code stdin} (else none). */
    private static Run launch(List<String> args, Map<String, String> environment, Path stdin) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("switchboard").toString()));
        command.addAll(args);
        Path out = Files.createTempFile("sb-cli-it", ".out");
        Path err = Files.createTempFile("sb-cli-it", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
            builder.environment().putAll(environment);
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            Process process = builder.start();
            if (stdin == null) {
                process.getOutputStream().close();
            }
            if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + RUN_LIMIT);
            }
            // the launcher's own notice when sources changed since the jar was built is not the command's
            String stderr = Files.readString(err, StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("switchboard: building ")).map(line -> line + "\n")
                    .collect(Collectors.joining());
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
