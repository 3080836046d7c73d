package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands against a stand-in controller ({@link StubController}): what they ask, what they
 * print, and the exit status for each kind of answer (and for no answer at all).
 */
class ApiCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-05T10:40:00Z");
    private static final String SWITCHES = """
            [{"dpid":"00:00:00:00:00:00:00:01","version":"1.3","remoteAddress":"127.0.0.1:40000",
              "connectedSince":"2026-12-05T10:35:00.123Z","role":"EQUAL",
              "description":{"manufacturer":"Nicira, Inc.","hardware":"Open vSwitch","software":"3.1.0",
                             "serialNumber":"None","datapath":"None"},
              "features":{"buffers":0,"tables":254,"capabilities":["FLOW_STATS"]},
              "ports":[{"number":1,"name":"eth1","hwAddress":"02:00:00:00:00:01","config":[],"state":["LIVE"],
                        "currentSpeedKbps":10000000,"up":true},
                       {"number":4294967294,"name":"br0","hwAddress":"02:00:00:00:00:ff","config":["PORT_DOWN"],
                        "state":["LINK_DOWN"],"currentSpeedKbps":0,"up":false}]}]""";

    @TempDir
    Path directory;

    private StubController stub;

    @BeforeEach
    void startStub() throws IOException {
        stub = new StubController();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    /** What one run printed, and its exit status. */
    private record Run(int status, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    private static Run run(Object command, String... args) {
        return run(command, Map.of(), args);
    }

    private static Run run(Object command, Map<String, String> environment, String... args) {
        if (command instanceof ApiCommand api) {
            api.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        }
        options(command).environment = environment::get;
        CommandLine cli = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static ApiOptions options(Object command) {
        if (command instanceof SwitchesCommand c) {
            return c.api;
        }
        if (command instanceof FlowsCommand c) {
            return c.api;
        }
        if (command instanceof LinksCommand c) {
            return c.api;
        }
        if (command instanceof HostsCommand c) {
            return c.api;
        }
        return ((AppsCommand) command).api;
    }

    private static void assertOneLineFailure(Run run, int status, String message) {
        assertThat(run.status()).as("exit status; stderr: %s", run.err()).isEqualTo(status);
        assertThat(run.err()).startsWith("switchboard: ").contains(message);
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void switchesAreATableOfTheirDpidVersionPortsSinceAndAddress() {
        stub.answer("GET", "/switches", 200, SWITCHES);

        Run run = run(new SwitchesCommand(), "--controller", stub.url());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "DPID                     VERSION  PORTS  CONNECTED SINCE                ADDRESS          SOFTWARE",
                "00:00:00:00:00:00:00:01  1.3          2  2026-12-05 10:35:00Z (5m ago)  127.0.0.1:40000  Nicira, Inc. 3.1.0");
        assertThat(stub.last().pathAndQuery()).isEqualTo("/api/v1/switches");
        assertThat(stub.last().header("Authorization")).isNull();
    }

    @Test
    void oneSwitchShowsItsPorts() {
        stub.answer("GET", "/switches/1", 200, SWITCHES.substring(1, SWITCHES.length() - 1));

        Run run = run(new SwitchesCommand(), "--controller", stub.url(), "1");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("version          OpenFlow 1.3, role EQUAL", "made by          Nicira, Inc. Open vSwitch");
        assertThat(run.out()).containsPattern("\n    1  eth1  02:00:00:00:00:01  yes  10 Gb/s  -\\s+LIVE\n")
                .containsPattern("\nLOCAL  br0 .* no +- +PORT_DOWN +LINK_DOWN\n");
    }

    @Test
    void jsonPrintsTheApisAnswer() throws IOException {
        stub.answer("GET", "/switches", 200, SWITCHES);

        Run run = run(new SwitchesCommand(), "--controller", stub.url(), "--json");

        assertThat(run.status()).isZero();
        assertThat(run.json()).isEqualTo(JSON.readTree(SWITCHES));
    }

    @Test
    void theControllerComesFromTheEnvironmentAndTakesAnyFormOfTheUrl() {
        stub.answer("GET", "/links", 200, "[]");

        Run run = run(new LinksCommand(), Map.of("SWITCHBOARD_CONTROLLER", stub.url().replace("http://", "") + "/api/v1/"));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("no links discovered\n");
        assertThat(stub.last().pathAndQuery()).isEqualTo("/api/v1/links");
    }

    @Test
    void theTokenComesFromTheFileOrElseTheEnvironment() throws IOException {
        stub.answer("GET", "/apps", 200, "[]");
        Path tokenFile = directory.resolve("token");
        Files.writeString(tokenFile, "from-file\nsecond line ignored\n");

        assertThat(run(new AppsCommand(), Map.of("SWITCHBOARD_TOKEN", "from-env"), "--controller", stub.url(),
                "--token-file", tokenFile.toString()).status()).isZero();
        assertThat(stub.last().header("Authorization")).isEqualTo("Bearer from-file");

        assertThat(run(new AppsCommand(), Map.of("SWITCHBOARD_TOKEN", " from-env\n"), "--controller", stub.url()).status())
                .isZero();
        assertThat(stub.last().header("Authorization")).isEqualTo("Bearer from-env");
    }

    @Test
    void aRefusedOrMissingTokenIsStatus3NamingWhereTheTokenCameFrom() {
        stub.answer("GET", "/hosts", 401, "{\"error\":\"missing Authorization: Bearer <token>\",\"field\":\"Authorization\"}");

        assertOneLineFailure(run(new HostsCommand(), "--controller", stub.url()), 3,
                "wants a bearer token (missing Authorization: Bearer <token>): set SWITCHBOARD_TOKEN or give --token-file");
        assertOneLineFailure(run(new HostsCommand(), Map.of("SWITCHBOARD_TOKEN", "wrong"), "--controller", stub.url()), 3,
                "refused the token from $SWITCHBOARD_TOKEN");
    }

    @Test
    void anUnknownSwitchIsStatus1WithTheControllersReason() {
        stub.answer("GET", "/switches/00:00:00:00:00:00:00:99/flows", 404,
                "{\"error\":\"no switch 00:00:00:00:00:00:00:99 is connected\"}");

        Run run = run(new FlowsCommand(), "--controller", stub.url(), "00:00:00:00:00:00:00:99");

        assertOneLineFailure(run, 1, "no switch 00:00:00:00:00:00:00:99 is connected (HTTP 404)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aConflictIsStatus1() {
        stub.answer("GET", "/links", 409, "{\"error\":\"the topology app is not running (start it, e.g. --apps topology)\"}");

        assertOneLineFailure(run(new LinksCommand(), "--controller", stub.url()), 1, "the topology app is not running");
    }

    @Test
    void theControllersOwnFailuresAreStatus3() {
        stub.answer("GET", "/switches/2/flows", 503, "{\"error\":\"switch 00:00:00:00:00:00:00:02 disconnected\"}");
        stub.answer("GET", "/switches/3/flows", 502, "{\"error\":\"switch refused the request\"}");

        assertOneLineFailure(run(new FlowsCommand(), "--controller", stub.url(), "2"), 3, "disconnected (HTTP 503)");
        assertOneLineFailure(run(new FlowsCommand(), "--controller", stub.url(), "3"), 3, "refused the request (HTTP 502)");
    }

    @Test
    void somethingThatIsNotTheControllerIsStatus3() {
        stub.answerText("GET", "/apps", 200, "<html>hello</html>");

        assertOneLineFailure(run(new AppsCommand(), "--controller", stub.url()), 3, "is not JSON");
    }

    @Test
    void noControllerListeningIsStatus3() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        Run run = run(new SwitchesCommand(), "--controller", "http://127.0.0.1:" + closed);

        assertOneLineFailure(run, 3, "cannot reach the controller at http://127.0.0.1:" + closed + ": connection refused");
    }

    @Test
    void aWrongCommandLineIsStatus2() throws IOException {
        assertOneLineFailure(run(new SwitchesCommand(), "--controller", "ftp://x"), 2, "not an http:// or https:// URL");
        assertOneLineFailure(run(new SwitchesCommand(), "--controller", stub.url(), "--token-file",
                directory.resolve("absent").toString()), 2, "does not exist");
        Files.writeString(directory.resolve("empty"), "\n");
        assertOneLineFailure(run(new SwitchesCommand(), "--controller", stub.url(), "--token-file",
                directory.resolve("empty").toString()), 2, "is empty");
        assertOneLineFailure(run(new FlowsCommand(), "--controller", stub.url()), 2, "which switch?");
        assertOneLineFailure(run(new FlowsCommand(), "--controller", stub.url(), "add", "1",
                directory.resolve("absent.flows").toString()), 2, "absent.flows does not exist");
        assertThat(run(new SwitchesCommand(), "--no-such-option").status()).isEqualTo(2);
        assertThat(run(new FlowsCommand(), "del").status()).isEqualTo(2);
        assertThat(stub.requests).isEmpty();
    }

    @Test
    void flowsAreATableOfOneFlowALine() {
        stub.answer("GET", "/switches/1/flows", 200, """
                [{"cookie":"0x5342050000000001","tableId":0,"priority":100,"match":{"eth_type":"0x800","ipv4_dst":"10.0.0.1"},
                  "actions":["output:2"],"packetCount":12,"byteCount":1176,"durationSeconds":75,"idleTimeout":0,"hardTimeout":0},
                 {"cookie":"0x0000000000000000","tableId":0,"priority":0,"match":{},
                  "actions":["output:controller"],"packetCount":3,"byteCount":180,"durationSeconds":300,"idleTimeout":0,"hardTimeout":0}]""");

        Run run = run(new FlowsCommand(), "--controller", stub.url(), "1");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "TABLE  PRIORITY  COOKIE              PACKETS  BYTES  AGE  MATCH                             ACTIONS",
                "    0       100  0x5342050000000001       12   1176   1m  eth_type=0x800,ipv4_dst=10.0.0.1  output:2",
                "    0         0  0x0                       3    180   5m  *                                 output:controller");
    }

    @Test
    void flowsAddSendsATextFileAsItIsAndSummarises() throws IOException {
        String flows = "# two flows\npriority=10,ip,nw_dst=10.0.0.1,actions=output:1\npriority=10,arp,actions=normal\n";
        Path file = directory.resolve("my.flows");
        Files.writeString(file, flows);
        stub.answer("POST", "/switches/1/flows", 200,
                "{\"requested\":2,\"installed\":2,\"failed\":[],\"method\":\"bundle\",\"millis\":1900}");

        Run run = run(new FlowsCommand(), "--controller", stub.url(), "add", "1", file.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("installed 2 flows in 1.9 s (bundle)\n");
        assertThat(stub.last().method()).isEqualTo("POST");
        assertThat(stub.last().body()).isEqualTo(flows);
        assertThat(stub.last().header("Content-Type")).startsWith("text/plain");
    }

    @Test
    void flowsModSendsThePutWithStrictAndSaysModified() throws IOException {
        String flows = "priority=10,ip,nw_dst=10.0.0.1,actions=output:3\n";
        Path file = directory.resolve("mod.flows");
        Files.writeString(file, flows);
        stub.answer("PUT", "/switches/1/flows", 200,
                "{\"requested\":1,\"installed\":1,\"failed\":[],\"method\":\"bundle\",\"millis\":12}");

        Run run = run(new FlowsCommand(), "--controller", stub.url(), "mod", "1", file.toString(), "--strict");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("modified with 1 flow in 0.0 s (bundle)\n");
        assertThat(stub.last().method()).isEqualTo("PUT");
        assertThat(stub.last().pathAndQuery()).isEqualTo("/api/v1/switches/1/flows?strict=true");
        assertThat(stub.last().body()).isEqualTo(flows);
    }

    @Test
    void aBigFileShowsItsProgressOnATerminalButNotWithJson() throws IOException {
        StringBuilder flows = new StringBuilder();
        for (int i = 0; flows.length() < (2 << 20); i++) {
            flows.append("priority=10,ip,nw_dst=10.").append(i >> 16).append('.').append((i >> 8) & 0xff).append('.')
                    .append(i & 0xff).append(",actions=output:1\n");
        }
        Path file = directory.resolve("big.flows");
        Files.writeString(file, flows);
        stub.answer("POST", "/switches/1/flows", 200,
                "{\"requested\":9,\"installed\":9,\"failed\":[],\"method\":\"bundle\",\"millis\":12}");

        String onTerminal = runOnTerminal(file, "add", "1", file.toString());
        String withJson = runOnTerminal(file, "add", "1", file.toString(), "--json");

        assertThat(onTerminal).contains("\rsending " + file + " (KiB): ").contains(" (100%)")
                .contains("sent " + (flows.length() >> 10) + " KiB, the switch answered in ")
                .endsWith("installed 9 flows in 0.0 s (bundle)\n");
        assertThat(stub.last().body()).isEqualTo(flows.toString());
        assertThat(withJson).doesNotContain("sending").doesNotContain("\r");
        assertThat(JSON.readTree(withJson).get("installed").asInt()).isEqualTo(9);
    }

    /** {@code flows ARGS} as if standard output were a terminal; what it printed. */
    private String runOnTerminal(Path file, String... args) {
        FlowsCommand command = new FlowsCommand();
        CommandLine cli = new CommandLine(command);
        ((FlowsCommand.Add) cli.getSubcommands().get("add").getCommand()).terminal = () -> true;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        command.api.environment = name -> null;
        List<String> all = new java.util.ArrayList<>(List.of("--controller", stub.url()));
        all.addAll(List.of(args));
        assertThat(cli.execute(all.toArray(String[]::new))).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void flowsAddReadsJsonFromStandardInputAndListsTheFlowsThatFailedWithStatus1() throws IOException {
        String flows = "  {\"flows\": [{\"match\": {}, \"actions\": [\"output:65280\"]}]}";
        // 422: the switch refused some flows; the body is the result all the same
        stub.answer("POST", "/switches/00:00:00:00:00:00:00:01/flows", 422, """
                {"requested":1,"installed":0,"method":"batches","millis":42,"error":"the switch refused 1 flow",
                 "failed":[{"index":0,"line":1,"flow":"{\\"actions\\":[\\"output:65280\\"]}","error":"BAD_ACTION/BAD_OUT_PORT"}]}""");
        FlowsCommand command = new FlowsCommand();
        CommandLine cli = new CommandLine(command);
        ((FlowsCommand.Add) cli.getSubcommands().get("add").getCommand()).stdin =
                () -> new ByteArrayInputStream(flows.getBytes(StandardCharsets.UTF_8));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        command.api.environment = name -> null;

        // the shared options may come before the subcommand
        int status = cli.execute("--controller", stub.url(), "add", "00:00:00:00:00:00:00:01", "-");

        assertThat(status).as(err.toString()).isEqualTo(1);
        assertThat(stub.last().header("Content-Type")).isEqualTo("application/json");
        assertThat(stub.last().body()).isEqualTo(flows);
        assertThat(out.toString().lines()).containsExactly(
                "installed 0 of 1 flow in 0.0 s (batches); 1 failed:",
                "#  LINE  ERROR                    FLOW",
                "1     1  BAD_ACTION/BAD_OUT_PORT  {\"actions\":[\"output:65280\"]}");
    }

    @Test
    void aFlowFileTheControllerCannotParseIsStatus1NamingTheLine() throws IOException {
        Path file = directory.resolve("bad.flows");
        Files.writeString(file, "nw_dst=10.0.0.300,actions=drop\n");
        stub.answer("POST", "/switches/1/flows", 400,
                "{\"error\":\"line 1: 'nw_dst=10.0.0.300': not an IPv4 address or prefix\",\"field\":\"body\"}");

        assertOneLineFailure(run(new FlowsCommand(), "--controller", stub.url(), "add", "1", file.toString(), "--json"), 1,
                "line 1: 'nw_dst=10.0.0.300': not an IPv4 address or prefix (HTTP 400)");
    }

    @Test
    void flowsDelSendsTheMatchAndOptionsAsQueryParameters() {
        stub.answer("DELETE", "/switches/1/flows", 200, "{\"deleted\":3}");

        Run run = run(new FlowsCommand(), "--controller", stub.url(), "del", "1", "ip,nw_dst=10.0.0.1 ", "--strict",
                "--table", "2", "--cookie", "0x1f/-1");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("deleted 3 flows matching ip,nw_dst=10.0.0.1 (strict, table 2, cookie 0x1f/-1) from 1\n");
        assertThat(stub.last().method()).isEqualTo("DELETE");
        assertThat(stub.last().pathAndQuery())
                .isEqualTo("/api/v1/switches/1/flows?match=ip%2Cnw_dst%3D10.0.0.1+&strict=true&table=2&cookie=0x1f%2F-1");
    }

    @Test
    void flowsDelWithoutMatchDeletesEveryFlow() {
        stub.answer("DELETE", "/switches/1/flows", 204, "");

        Run run = run(new FlowsCommand(), "--controller", stub.url(), "del", "1");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("deleted every flow from 1\n");
        assertThat(stub.last().pathAndQuery()).isEqualTo("/api/v1/switches/1/flows");
    }

    @Test
    void flowsDelPrintsWhatItDeletedAndTheApisAnswerWithJson() throws IOException {
        String answer = "{\"deleted\":\"matching flows\",\"match\":\"tcp\",\"strict\":false,\"table\":\"all\"}";
        stub.answer("DELETE", "/switches/1/flows", 200, answer);

        assertThat(run(new FlowsCommand(), "--controller", stub.url(), "del", "1", "tcp").out())
                .isEqualTo("deleted the flows matching tcp from 1\n");
        Run json = run(new FlowsCommand(), "--controller", stub.url(), "del", "1", "tcp", "--json");
        assertThat(json.status()).isZero();
        assertThat(json.json()).isEqualTo(JSON.readTree(answer));
    }

    @Test
    void aRefusedDeleteIsStatus1() {
        stub.answer("DELETE", "/switches/1/flows", 422, "{\"error\":\"switch 1 refused the delete: BAD_MATCH/BAD_FIELD\"}");

        assertOneLineFailure(run(new FlowsCommand(), "--controller", stub.url(), "del", "1", "tcp"), 1,
                "refused the delete: BAD_MATCH/BAD_FIELD (HTTP 422)");
    }

    @Test
    void aFlowFileTooLargeIsStatus1() throws IOException {
        Path file = directory.resolve("big.flows");
        Files.writeString(file, "actions=drop\n");
        stub.answer("POST", "/switches/1/flows", 413, "{\"error\":\"the body is larger than 16 MiB\",\"field\":\"body\"}");

        assertOneLineFailure(run(new FlowsCommand(), "--controller", stub.url(), "add", "1", file.toString()), 1,
                "larger than 16 MiB (HTTP 413)");
    }

    @Test
    void helpDocumentsTheExitStatuses() {
        for (Object command : new Object[] {new SwitchesCommand(), new LinksCommand(), new HostsCommand(), new AppsCommand(),
                new FlowsCommand()}) {
            Run run = run(command, "--help");
            assertThat(run.status()).isZero();
            assertThat(run.out()).contains("Exit status:", "--controller=URL", "SWITCHBOARD_CONTROLLER", "--token-file=FILE",
                    "SWITCHBOARD_TOKEN", "--json");
            assertThat(run.out()).containsPattern("\\n\\s+0\\s+done").containsPattern("\\n\\s+1\\s+the controller refused")
                    .containsPattern("\\n\\s+2\\s+wrong command line").containsPattern("\\n\\s+3\\s+cannot reach the controller");
        }
    }

    @Test
    void theLaunchersCommandLineKnowsTheCommands() {
        CommandLine main = new CommandLine(new Main());

        assertThat(main.getSubcommands()).containsKeys("switches", "links", "hosts", "flows", "apps");
        assertThat(main.getSubcommands().get("flows").getSubcommands()).containsKeys("add", "del");
    }
}
