package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ovsdb.data.NamedUuid;
import dev.switchboard.ovsdb.ops.Abort;
import dev.switchboard.ovsdb.ops.Assert;
import dev.switchboard.ovsdb.ops.Comment;
import dev.switchboard.ovsdb.ops.Commit;
import dev.switchboard.ovsdb.ops.Condition;
import dev.switchboard.ovsdb.ops.Delete;
import dev.switchboard.ovsdb.ops.Function;
import dev.switchboard.ovsdb.ops.Insert;
import dev.switchboard.ovsdb.ops.Mutate;
import dev.switchboard.ovsdb.ops.Mutation;
import dev.switchboard.ovsdb.ops.Mutator;
import dev.switchboard.ovsdb.ops.Operation;
import dev.switchboard.ovsdb.ops.Select;
import dev.switchboard.ovsdb.ops.TransactionCodec;
import dev.switchboard.ovsdb.ops.Update;
import dev.switchboard.ovsdb.ops.Wait;
import dev.switchboard.ovsdb.schema.DatabaseSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Hand-written RFC 7047 operations become typed ones; mistakes are reported with where they are. */
class OvsOperationsJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A small cut of the Open_vSwitch schema: enough column kinds for every operation. */
    private static final DatabaseSchema SCHEMA = DatabaseSchema.parse(json("""
            {"name": "Open_vSwitch", "version": "8.3.1", "tables": {
              "Open_vSwitch": {"isRoot": true, "maxRows": 1, "columns": {
                "bridges": {"type": {"key": {"type": "uuid", "refTable": "Bridge"}, "min": 0, "max": "unlimited"}},
                "next_cfg": {"type": "integer"}}},
              "Bridge": {"columns": {
                "name": {"type": "string", "mutable": false},
                "fail_mode": {"type": {"key": {"type": "string", "enum": ["set", ["standalone", "secure"]]},
                                       "min": 0, "max": 1}},
                "ports": {"type": {"key": {"type": "uuid", "refTable": "Port"}, "min": 0, "max": "unlimited"}},
                "external_ids": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}}}},
              "Port": {"columns": {
                "name": {"type": "string", "mutable": false},
                "tag": {"type": {"key": {"type": "integer", "minInteger": 0, "maxInteger": 4095}, "min": 0, "max": 1}},
                "trunks": {"type": {"key": {"type": "integer", "minInteger": 0, "maxInteger": 4095},
                                    "min": 0, "max": 4096}}}}}}
            """));

    @Test
    void readsEveryOperation() {
        List<Operation> ops = OvsOperationsJson.parse(SCHEMA, json("""
                [{"op": "insert", "table": "Port", "row": {"name": "p1", "trunks": ["set", [1, 2]]}, "uuid-name": "p"},
                 {"op": "insert", "table": "Bridge", "row": {"name": "br1", "ports": ["named-uuid", "p"],
                                                             "external_ids": ["map", [["owner", "me"]]]}},
                 {"op": "select", "table": "Bridge", "where": [["name", "==", "br1"]], "columns": ["name", "fail_mode"]},
                 {"op": "update", "table": "Bridge", "where": [["_uuid", "==", ["uuid", "6a1d1c4e-0000-4000-8000-000000000001"]]],
                  "row": {"fail_mode": "secure"}},
                 {"op": "mutate", "table": "Open_vSwitch", "where": [], "mutations": [["next_cfg", "+=", 1]]},
                 {"op": "delete", "table": "Port", "where": [["tag", "!=", ["set", []]]]},
                 {"op": "wait", "timeout": 0, "table": "Bridge", "where": [], "columns": ["name"], "until": "!=",
                  "rows": [{"name": "x"}]},
                 {"op": "commit", "durable": false},
                 {"op": "comment", "comment": "by hand"},
                 {"op": "assert", "lock": "mine"},
                 {"op": "abort"}]
                """));

        assertThat(ops).containsExactly(
                new Insert("Port", Map.of("name", "p1", "trunks", Set.of(1L, 2L)), "p"),
                new Insert("Bridge", Map.of("name", "br1", "ports", Set.of(new NamedUuid("p")),
                        "external_ids", Map.of("owner", "me"))),
                new Select("Bridge", List.of(Condition.eq("name", "br1")), List.of("name", "fail_mode")),
                new Update("Bridge", List.of(Condition.uuidIs(UUID.fromString("6a1d1c4e-0000-4000-8000-000000000001"))),
                        Map.of("fail_mode", Set.of("secure"))),
                new Mutate("Open_vSwitch", List.of(), List.of(Mutation.add("next_cfg", 1))),
                new Delete("Port", List.of(Condition.ne("tag", Set.of()))),
                new Wait("Bridge", List.of(), List.of("name"), false, List.of(Map.of("name", "x")), 0L),
                new Commit(false),
                new Comment("by hand"),
                new Assert("mine"),
                new Abort());
        // and the codec takes them as they are
        assertThat(TransactionCodec.encode(SCHEMA, ops)).hasSize(ops.size() + 1);
    }

    @Test
    void mutationsGetTheOperandTypeOfTheirMutator() {
        List<Operation> ops = OvsOperationsJson.parse(SCHEMA, json("""
                [{"op": "mutate", "table": "Bridge", "where": [["external_ids", "includes", ["map", [["a", "1"]]]]],
                  "mutations": [["external_ids", "delete", ["set", ["a", "b"]]],
                                ["external_ids", "delete", ["map", [["c", "3"]]]],
                                ["external_ids", "insert", ["map", [["d", "4"]]]]]},
                 {"op": "mutate", "table": "Port", "where": [],
                  "mutations": [["trunks", "insert", 7], ["trunks", "+=", 1]]}]
                """));

        Mutate bridge = (Mutate) ops.get(0);
        assertThat(bridge.where()).containsExactly(new Condition("external_ids", Function.INCLUDES, Map.of("a", "1")));
        assertThat(bridge.mutations()).containsExactly(
                new Mutation("external_ids", Mutator.DELETE, Set.of("a", "b")),
                new Mutation("external_ids", Mutator.DELETE, Map.of("c", "3")),
                new Mutation("external_ids", Mutator.INSERT, Map.of("d", "4")));
        assertThat(((Mutate) ops.get(1)).mutations()).containsExactly(
                new Mutation("trunks", Mutator.INSERT, Set.of(7L)), Mutation.add("trunks", 1));
        assertThat(TransactionCodec.encode(SCHEMA, ops)).hasSize(3);
    }

    @Test
    void namesTheOperationAndColumnOfAMistake() {
        assertError("[{\"op\": \"insert\", \"table\": \"Bridge\", \"row\": {\"nme\": \"x\"}}]",
                "operation 0 (insert Bridge): Bridge.nme: no such column in table Bridge (did you mean name?)");
        assertError("[{\"op\": \"comment\", \"comment\": \"ok\"}, {\"op\": \"select\", \"table\": \"Brige\", \"where\": []}]",
                "operation 1 (select Brige): unknown table 'Brige' in database Open_vSwitch");
        assertError("[{\"op\": \"update\", \"table\": \"Port\", \"where\": [], \"row\": {\"tag\": \"ten\"}}]",
                "operation 0 (update Port): Port.tag: expected an integer, got \"ten\"");
        assertError("[{\"op\": \"delete\", \"table\": \"Port\"}]", "operation 0 (delete Port): no \"where\"");
        assertError("[{\"op\": \"delete\", \"table\": \"Port\", \"where\": [], \"row\": {}}]",
                "operation 0 (delete Port): unknown member row (it has table, where)");
        assertError("[{\"op\": \"abort\", \"why\": 1}]", "operation 0 (abort): unknown member why (it has none but \"op\")");
        assertError("[{\"op\": \"upsert\", \"table\": \"Port\"}]", "operation 0 (upsert Port): unknown operation \"upsert\"");
        assertError("[{\"op\": \"select\", \"table\": \"Port\", \"where\": [[\"tag\", \"=\", 1]]}]",
                "unknown function \"=\"");
        assertError("[{\"op\": \"mutate\", \"table\": \"Port\", \"where\": [], \"mutations\": [[\"tag\", \"++\", 1]]}]",
                "unknown mutator \"++\"");
        assertError("[{\"op\": \"wait\", \"table\": \"Port\", \"where\": [], \"columns\": [], \"until\": \"<\", \"rows\": []}]",
                "\"until\" is \"==\" or \"!=\"");
        assertError("[{\"op\": \"insert\", \"table\": \"Port\", \"row\": {}, \"uuid-name\": \"1x\"}]",
                "operation 0 (insert Port): uuid-name '1x' is not an OVSDB id");
        assertError("[\"insert\"]", "operation 0 (no op): an operation is a JSON object");
        assertError("{\"op\": \"insert\"}", "expected a JSON array of OVSDB operations");
    }

    private static void assertError(String operations, String message) {
        assertThatThrownBy(() -> OvsOperationsJson.parse(SCHEMA, json(operations)))
                .isInstanceOf(UserFacingException.class)
                .hasMessageContaining(message);
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
