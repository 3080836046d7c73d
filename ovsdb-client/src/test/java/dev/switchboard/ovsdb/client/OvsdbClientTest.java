package dev.switchboard.ovsdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovsdb.data.NamedUuid;
import dev.switchboard.ovsdb.data.Row;
import dev.switchboard.ovsdb.data.RowLookup;
import dev.switchboard.ovsdb.jsonrpc.ConnectionClosedException;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcErrorException;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport;
import dev.switchboard.ovsdb.jsonrpc.OvsdbServerProcess;
import dev.switchboard.ovsdb.ops.Condition;
import dev.switchboard.ovsdb.ops.Insert;
import dev.switchboard.ovsdb.ops.Mutate;
import dev.switchboard.ovsdb.ops.Mutation;
import dev.switchboard.ovsdb.ops.Operation;
import dev.switchboard.ovsdb.ops.OvsdbTransactionException;
import dev.switchboard.ovsdb.ops.Update;
import dev.switchboard.ovsdb.ops.Wait;
import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RFC 7047 client against a real ovsdb-server of its own (no ovs-vswitchd: these tests
 * are about the database), with the failure paths: refused transactions leave nothing
 * behind, a dropped connection fails what was pending, a restarted server is re-read.
 */
class OvsdbClientTest {
    private static final String DB = "Open_vSwitch";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private OvsdbServerProcess server;
    private JsonRpcTransport transport;
    private OvsdbClient client;

    @BeforeEach
    void start() {
        server = OvsdbServerProcess.start();
        transport = new JsonRpcTransport(JsonRpcOptions.defaults().withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)));
        client = OvsdbClient.connect(transport, server.unixEndpoint(), OpenVSwitch.newReplica());
        client.awaitSynchronised(PATIENCE);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the future succeeded");
    }

    private Set<String> bridgeNamesInReplica() {
        return client.replica().snapshot().rows("Bridge").values().stream().map(r -> r.getString("name"))
                .collect(Collectors.toSet());
    }

    @Test
    void listsDatabasesAndEchoes() throws Exception {
        OvsdbSession session = client.session();
        assertThat(session.listDbs().get()).contains(DB);
        assertThat(session.echo(TextNode.valueOf("ping")).get().get(0).asText()).isEqualTo("ping");
    }

    @Test
    void schemaErrorsAreThrownBeforeAnythingIsSent() {
        OvsdbSession session = client.session();

        assertThatThrownBy(() -> session.transact(DB, List.of(new Insert("Brige", Map.of("name", "x"), null))))
                .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("Brige");
        assertThatThrownBy(() -> session.transact(DB, List.of(new Insert("Bridge", Map.of("nmae", "x"), null))))
                .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("nmae");
        assertThatThrownBy(() -> session.transact(DB, List.of(new Insert("Bridge", Map.of("name", 42L), null))))
                .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("Bridge.name");
        assertThatThrownBy(() -> session.transact(DB, List.of(new Insert("Bridge",
                Map.of("name", "x", "fail_mode", Set.of("sometimes")), null))))
                .isInstanceOf(OvsdbSchemaException.class).hasMessageContaining("sometimes");
        assertThat(server.vsctl("list-br")).isEmpty();
    }

    @Test
    void constraintViolationAppliesNothing() {
        server.vsctl("add-br", "sbtaken");
        await().atMost(PATIENCE).until(() -> bridgeNamesInReplica().contains("sbtaken"));
        long before = client.replica().snapshot().version();

        Throwable failure = failureOf(client.transact(List.of(
                new Insert("Interface", Map.of("name", "sbfresh"), "i"),
                new Insert("Port", Map.of("name", "sbfresh", "interfaces", Set.of(new NamedUuid("i"))), "p"),
                new Insert("Bridge", Map.of("name", "sbfresh", "ports", Set.of(new NamedUuid("p"))), "b1"),
                new Insert("Bridge", Map.of("name", "sbtaken"), "b2"),
                rootBridges(Set.of(new NamedUuid("b1"), new NamedUuid("b2"))))));

        assertThat(failure).isInstanceOf(OvsdbTransactionException.class);
        OvsdbTransactionException refused = (OvsdbTransactionException) failure;
        assertThat(refused.error()).isEqualTo("constraint violation");
        assertThat(refused.details()).contains("sbtaken");
        assertThat(server.vsctl("list-br")).isEqualTo("sbtaken");
        assertThat(server.vsctl("--columns=name", "list", "interface")).doesNotContain("sbfresh");
        assertThat(client.replica().snapshot().version()).isEqualTo(before);
        assertThat(bridgeNamesInReplica()).containsExactly("sbtaken");
    }

    @Test
    void referentialIntegrityViolationAppliesNothing() {
        Throwable failure = failureOf(client.transact(List.of(
                new Insert("Port", Map.of("name", "sbdangling", "interfaces", Set.of(UUID.randomUUID())), "p"),
                new Insert("Bridge", Map.of("name", "sbdangling", "ports", Set.of(new NamedUuid("p"))), "b"),
                rootBridges(Set.of(new NamedUuid("b"))))));

        assertThat(failure).isInstanceOf(OvsdbTransactionException.class);
        assertThat(((OvsdbTransactionException) failure).error()).isEqualTo("referential integrity violation");
        assertThat(server.vsctl("list-br")).isEmpty();
        assertThat(bridgeNamesInReplica()).isEmpty();
    }

    @Test
    void failedOperationInTheMiddleNamesItselfAndAppliesNothing() {
        Row root = rootRow();
        Throwable failure = failureOf(client.transact(List.of(
                new Update("Open_vSwitch", List.of(Condition.uuidIs(root.uuid())), Map.of("external_ids", Map.of("a", "b"))),
                new Wait("Open_vSwitch", List.of(Condition.uuidIs(root.uuid())), List.of("next_cfg"), true,
                        List.of(Map.of("next_cfg", 999L)), 0L))));

        assertThat(failure).isInstanceOf(OvsdbTransactionException.class);
        OvsdbTransactionException refused = (OvsdbTransactionException) failure;
        assertThat(refused.operationIndex()).isEqualTo(1);
        assertThat(refused.error()).isEqualTo("timed out");
        assertThat(server.vsctl("get", "open_vswitch", ".", "external_ids")).isEqualTo("{}");
    }

    @Test
    void droppedConnectionFailsThePendingTransactionAndNothingIsApplied() {
        Row root = rootRow();
        List<Operation> blocked = List.of(
                new Update("Open_vSwitch", List.of(Condition.uuidIs(root.uuid())), Map.of("external_ids", Map.of("half", "done"))),
                new Wait("Open_vSwitch", List.of(Condition.uuidIs(root.uuid())), List.of("next_cfg"), true,
                        List.of(Map.of("next_cfg", 999L)), null));
        CompletableFuture<?> pending = client.transact(blocked);

        server.kill();

        assertThat(failureOf(pending)).isInstanceOf(ConnectionClosedException.class);
        server.restart();
        await().atMost(PATIENCE).until(client::isConnected);
        assertThat(server.vsctl("get", "open_vswitch", ".", "external_ids")).isEqualTo("{}");
    }

    @Test
    void cancelledTransactionStopsWaitingAndAppliesNothing() throws Exception {
        Row root = rootRow();
        OvsdbSession.Transaction waiting = client.session().begin(DB, List.of(
                new Update("Open_vSwitch", List.of(Condition.uuidIs(root.uuid())), Map.of("external_ids", Map.of("never", "seen"))),
                new Wait("Open_vSwitch", List.of(Condition.uuidIs(root.uuid())), List.of("next_cfg"), true,
                        List.of(Map.of("next_cfg", 999L)), null)));

        waiting.cancel();

        assertThat(waiting.result()).isCancelled();
        await().atMost(PATIENCE).until(() -> java.nio.file.Files.readString(server.directory().resolve("ovsdb-server.log"))
                .contains("method=\"cancel\", params=[" + waiting.id() + "]"));
        assertThat(server.vsctl("get", "open_vswitch", ".", "external_ids")).isEqualTo("{}");
    }

    @Test
    void plainMonitorDeliversFullRows() throws Exception {
        server.vsctl("add-br", "sbplain");
        List<String> seen = new CopyOnWriteArrayList<>();
        client.session().monitorUnconditional(DB, Map.of("Bridge", MonitorRequest.columns("name", "fail_mode")),
                RowLookup.NONE, updates -> updates.forEach(u -> seen.add(
                        u.newRow() == null ? "deleted" : u.newRow().getString("name") + " " + u.newRow().get("fail_mode"))))
                .get();
        server.vsctl("set", "bridge", "sbplain", "fail_mode=secure");

        await().atMost(PATIENCE).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly("sbplain []", "sbplain [secure]");
    }

    @Test
    void replicaResynchronisesAfterAServerRestart() throws Exception {
        server.vsctl("add-br", "sbkept", "--", "add-br", "sbgone");
        await().atMost(PATIENCE).until(() -> bridgeNamesInReplica().equals(Set.of("sbkept", "sbgone")));
        List<String> events = new CopyOnWriteArrayList<>();
        client.replica().addListener(new ReplicaListener() {
            @Override
            public void rowInserted(String table, Row row) {
                events.add("+" + table + " " + row.get("name"));
            }

            @Override
            public void rowDeleted(String table, Row row) {
                events.add("-" + table + " " + row.get("name"));
            }

            @Override
            public void resynchronised(Replica.Snapshot snapshot) {
                events.add("resynchronised");
            }
        });

        server.kill();
        String db = server.directory().resolve("conf.db").toString();
        offlineDeleteBridge(db, "sbgone");
        server.restart();
        server.vsctl("add-br", "sbnew");

        await().atMost(PATIENCE).until(() -> bridgeNamesInReplica().equals(Set.of("sbkept", "sbnew")));
        assertThat(events).contains("-Bridge sbgone", "resynchronised", "+Bridge sbnew");
        assertThat(events.indexOf("-Bridge sbgone")).isLessThan(events.indexOf("resynchronised"));
        assertThat(bridgeNamesInReplica()).isEqualTo(Set.copyOf(server.vsctl("list-br").lines().toList()));
    }

    /** Changes the database file while no server runs, so the restarted server holds what the replica has never seen. */
    private static void offlineDeleteBridge(String db, String bridge) {
        String ops = "[\"Open_vSwitch\","
                + "{\"op\":\"select\",\"table\":\"Bridge\",\"where\":[[\"name\",\"==\",\"" + bridge + "\"]],\"columns\":[\"_uuid\"]}]";
        String selected = Commands.check(List.of("ovsdb-tool", "query", db, ops), Map.of(), PATIENCE);
        String uuid = selected.replaceAll("(?s).*\\[\"uuid\",\"([0-9a-f-]+)\"\\].*", "$1");
        String delete = "[\"Open_vSwitch\",{\"op\":\"mutate\",\"table\":\"Open_vSwitch\",\"where\":[],"
                + "\"mutations\":[[\"bridges\",\"delete\",[\"uuid\",\"" + uuid + "\"]]]}]";
        Commands.check(List.of("ovsdb-tool", "transact", db, delete), Map.of(), PATIENCE);
    }

    @Test
    void passiveModeServerConnectsToUs() throws Exception {
        List<OvsdbClient> servers = new CopyOnWriteArrayList<>();
        try (JsonRpcTransport.Listener listener = OvsdbClient.accept(transport, Endpoint.parse("ptcp:0:127.0.0.1"),
                OpenVSwitch::newReplica, servers::add)) {
            server.vsctl("add-br", "sbpassive", "--", "set-manager", "tcp:127.0.0.1:" + listener.localAddress().getPort());

            await().atMost(PATIENCE).until(() -> !servers.isEmpty());
            OvsdbClient passive = servers.get(0);
            assertThat(passive.replica().snapshot().findBy("Bridge", "name", "sbpassive")).isPresent();
            assertThat(passive.replica().snapshot().find("Manager", r -> true).map(r -> r.getString("target")))
                    .containsExactly("tcp:127.0.0.1:" + listener.localAddress().getPort());
            assertThat(passive.session().listDbs().get()).contains(DB);
        }
    }

    @Test
    void locksCanBeWaitedForStolenAndReleased() throws Exception {
        OvsdbSession first = client.session();
        try (OvsdbClient other = OvsdbClient.connect(transport, server.unixEndpoint(), OpenVSwitch.newReplica())) {
            OvsdbSession second = other.awaitSynchronised(PATIENCE).session();
            List<String> heard = new CopyOnWriteArrayList<>();
            first.onLocks(new LockListener() {
                @Override
                public void locked(String lock) {
                    heard.add("first locked " + lock);
                }

                @Override
                public void stolen(String lock) {
                    heard.add("first lost " + lock);
                }
            });

            assertThat(second.lock("sb_lock").get()).isTrue();
            assertThat(first.lock("sb_lock").get()).isFalse();
            second.unlock("sb_lock").get();
            await().atMost(PATIENCE).until(() -> heard.contains("first locked sb_lock"));
            assertThat(second.steal("sb_lock").get()).isTrue();
            await().atMost(PATIENCE).until(() -> heard.contains("first lost sb_lock"));
        }
    }

    @Test
    void conditionalMonitorSendsOnlyMatchingRowsAndCanBeCancelled() throws Exception {
        server.vsctl("add-br", "sbwanted", "--", "add-br", "sbother");
        List<String> seen = new CopyOnWriteArrayList<>();
        OvsdbSession session = client.session();
        OvsdbSession.Monitor monitor = session.monitor(DB,
                Map.of("Bridge", new MonitorRequest(List.of("name"), List.of(Condition.eq("name", "sbwanted")))),
                RowLookup.NONE,
                updates -> updates.forEach(u -> seen.add(u.newRow() == null ? "deleted" : u.newRow().getString("name"))))
                .get();
        assertThat(seen).containsExactly("sbwanted");

        session.monitorCancel(monitor).get();
        server.vsctl("del-br", "sbwanted");
        await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> seen.size() == 1);
    }

    private Row rootRow() {
        return client.replica().snapshot().rows("Open_vSwitch").values().iterator().next();
    }

    private Operation rootBridges(Set<Object> bridges) {
        return new Mutate("Open_vSwitch", List.of(Condition.uuidIs(rootRow().uuid())),
                List.of(Mutation.insert("bridges", bridges)));
    }
}
