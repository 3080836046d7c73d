package dev.switchboard.ovsdb.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovsdb.data.Row;
import dev.switchboard.ovsdb.schema.DatabaseSchema;
import dev.switchboard.ovsdb.schema.VswitchSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips through a real ovsdb-server (a private one, with only a database file and a unix
 * socket in a temporary directory; no root needed): what the codec encodes, the server accepts,
 * and what it answers, the codec decodes. Transactions are sent with {@code ovsdb-client
 * transact}, so this test does not depend on the JSON-RPC transport.
 */
class OvsdbServerTransactTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Process server;
    private static String target;
    private static DatabaseSchema schema;

    @BeforeAll
    static void startServer() throws IOException, InterruptedException {
        assumeTrue(Commands.isInstalled("ovsdb-server") && Commands.isInstalled("ovsdb-tool")
                && Commands.isInstalled("ovsdb-client"), "Open vSwitch's ovsdb tools are not installed");
        Path db = dir.resolve("conf.db");
        Path socket = dir.resolve("db.sock");
        Commands.check(List.of("ovsdb-tool", "create", db.toString(), VswitchSchema.FILE.toString()), Map.of(), TIMEOUT);
        server = new ProcessBuilder(Commands.executable("ovsdb-server"), "--remote=punix:" + socket,
                "--unixctl=" + dir.resolve("ovsdb-server.ctl"), "--no-chdir", db.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("ovsdb-server.log").toFile())
                .start();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Files.exists(socket)) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("ovsdb-server did not start: " + Files.readString(dir.resolve("ovsdb-server.log")));
            }
            Thread.sleep(20);
        }
        target = "unix:" + socket;
        // The schema as the server reports it, as a client would use it.
        schema = DatabaseSchema.parse(MAPPER.readTree(Commands.check(
                List.of("ovsdb-client", "get-schema", target, "Open_vSwitch"), Map.of(), TIMEOUT)));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static List<OperationResult> transact(Operation... ops) throws IOException {
        String params = TransactionCodec.encode(schema, List.of(ops)).toString();
        ExecResult result = Commands.run(List.of(Commands.executable("ovsdb-client"), "transact", target, params),
                Map.of(), TIMEOUT);
        assertThat(result.succeeded()).as("ovsdb-client transact: %s", result.stderr()).isTrue();
        JsonNode json = MAPPER.readTree(result.stdout());
        return TransactionCodec.decode(schema, List.of(ops), json);
    }

    @Test
    void theServerAcceptsWhatTheCodecEncodes() throws IOException {
        List<OperationResult> root = transact(new Insert("Open_vSwitch", Map.of()));
        assertThat(root.get(0).uuid()).isNotNull();

        Insert iface = new Insert("Interface", Map.of("name", "sb0", "type", "internal", "ofport_request", 7), "i");
        Insert port = new Insert("Port", Map.of("name", "sb0", "interfaces", iface.ref(), "trunks", List.of(10, 20)), "p");
        Insert bridge = new Insert("Bridge", Map.of("name", "sb0", "ports", port.ref(), "fail_mode", "secure",
                "other_config", Map.of("hwaddr", "02:00:00:00:00:01")), "b");
        List<OperationResult> added = transact(iface, port, bridge,
                new Mutate("Open_vSwitch", List.of(), List.of(Mutation.insert("bridges", bridge.ref()), Mutation.add("next_cfg", 1))),
                new Select("Bridge", List.of(Condition.eq("name", "sb0")), List.of("_uuid", "name", "ports", "fail_mode", "other_config")),
                new Comment("switchboard codec test"),
                new Commit(false));
        UUID bridgeUuid = added.get(2).uuid();
        Row row = added.get(4).rows().get(0);
        assertThat(row.uuid()).isEqualTo(bridgeUuid);
        assertThat(row.getSet("ports", UUID.class)).containsExactly(added.get(1).uuid());
        assertThat(row.getOptional("fail_mode", String.class)).contains("secure");
        assertThat(row.getMap("other_config", String.class, String.class)).containsEntry("hwaddr", "02:00:00:00:00:01");
        assertThat(added.get(3).count()).isEqualTo(1);

        List<OperationResult> changed = transact(
                new Wait("Bridge", List.of(Condition.uuidIs(bridgeUuid)), List.of("fail_mode"), true,
                        List.of(Map.of("fail_mode", "secure")), 0L),
                new Update("Bridge", List.of(Condition.uuidIs(bridgeUuid)), Map.of("fail_mode", Set.of())),
                new Mutate("Port", List.of(Condition.includes("trunks", 10)),
                        List.of(Mutation.delete("trunks", 10), Mutation.insert("trunks", 30))),
                new Mutate("Interface", List.of(Condition.gt("ofport_request", 5)), List.of(Mutation.sub("ofport_request", 2))),
                new Select("Interface", List.of(Condition.eq("name", "sb0")), List.of("ofport_request")),
                new Select("Port", List.of(Condition.excludes("trunks", 10)), List.of("trunks")));
        assertThat(changed.get(1).count()).isEqualTo(1);
        assertThat(changed.get(2).count()).isEqualTo(1);
        assertThat(changed.get(3).count()).isEqualTo(1);
        assertThat(changed.get(4).rows().get(0).getOptional("ofport_request", Long.class)).contains(5L);
        assertThat(changed.get(5).rows().get(0).getSet("trunks", Long.class)).containsExactlyInAnyOrder(20L, 30L);

        // An operation failing on the server: the wait times out at once.
        assertThatThrownBy(() -> transact(
                new Comment("doomed"),
                new Wait("Bridge", List.of(Condition.uuidIs(bridgeUuid)), List.of("fail_mode"), true,
                        List.of(Map.of("fail_mode", "standalone")), 0L),
                new Delete("Bridge", List.of())))
                .isInstanceOfSatisfying(OvsdbTransactionException.class, e -> {
                    assertThat(e.operationIndex()).isEqualTo(1);
                    assertThat(e.operation()).isInstanceOf(Wait.class);
                    assertThat(e.error()).isEqualTo("timed out");
                });

        // A failure only the commit finds: a strong reference to a row that does not exist.
        UUID nowhere = UUID.fromString("11111111-1111-1111-1111-111111111111");
        assertThatThrownBy(() -> transact(new Insert("Port", Map.of("name", "dangling", "interfaces", nowhere))))
                .isInstanceOfSatisfying(OvsdbTransactionException.class, e -> {
                    assertThat(e.operationIndex()).isEqualTo(1);
                    assertThat(e.operation()).isNull();
                    assertThat(e.error()).isEqualTo("referential integrity violation");
                    assertThat(e.details()).contains(nowhere.toString());
                });

        assertThatThrownBy(() -> transact(new Delete("Bridge", List.of()), new Abort()))
                .isInstanceOfSatisfying(OvsdbTransactionException.class, e -> assertThat(e.error()).isEqualTo("aborted"));
        assertThat(transact(new Select("Bridge", List.of(), List.of("name"))).get(0).rows()).hasSize(1);
    }
}
