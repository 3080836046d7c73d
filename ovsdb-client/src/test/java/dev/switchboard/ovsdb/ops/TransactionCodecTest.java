package dev.switchboard.ovsdb.ops;

import static dev.switchboard.ovsdb.schema.VswitchSchema.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.ovsdb.data.NamedUuid;
import dev.switchboard.ovsdb.data.Row;
import dev.switchboard.ovsdb.schema.DatabaseSchema;
import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import dev.switchboard.ovsdb.schema.VswitchSchema;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TransactionCodecTest {

    private static final DatabaseSchema SCHEMA = VswitchSchema.parse();
    private static final UUID BRIDGE = UUID.fromString("17000e55-18df-4d19-995f-c6173963ca49");
    private static final UUID PORT = UUID.fromString("b25d0b6b-da54-4100-a493-470a8f97a403");

    /** Expected JSON, written with single quotes; compared as text, so member order counts. */
    private static String expected(String singleQuoted) {
        return json(singleQuoted).toString();
    }

    private static String encode(Operation... ops) {
        return TransactionCodec.encode(SCHEMA, List.of(ops)).toString();
    }

    private static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    @Test
    void encodesABridgeWithAPort() {
        Insert iface = new Insert("Interface", row("name", "p0", "type", "internal"), "i0");
        Insert port = new Insert("Port", row("name", "p0", "interfaces", iface.ref()), "p0");
        Insert bridge = new Insert("Bridge", row("name", "br0", "ports", Set.of(port.ref()), "fail_mode", "secure",
                "other_config", Map.of("hwaddr", "00:11:22:33:44:55")), "br0");
        Mutate attach = new Mutate("Open_vSwitch", List.of(),
                List.of(Mutation.insert("bridges", bridge.ref()), Mutation.add("next_cfg", 1)));
        ArrayNode params = TransactionCodec.encode(SCHEMA, List.of(iface, port, bridge, attach));
        assertThat(params.toString()).isEqualTo(expected("['Open_vSwitch',"
                + "{'op': 'insert', 'table': 'Interface', 'row': {'name': 'p0', 'type': 'internal'}, 'uuid-name': 'i0'},"
                + "{'op': 'insert', 'table': 'Port', 'row': {'name': 'p0', 'interfaces': ['named-uuid', 'i0']},"
                + " 'uuid-name': 'p0'},"
                + "{'op': 'insert', 'table': 'Bridge', 'row': {'name': 'br0', 'ports': ['named-uuid', 'p0'],"
                + " 'fail_mode': 'secure', 'other_config': ['map', [['hwaddr', '00:11:22:33:44:55']]]}, 'uuid-name': 'br0'},"
                + "{'op': 'mutate', 'table': 'Open_vSwitch', 'where': [],"
                + " 'mutations': [['bridges', 'insert', ['named-uuid', 'br0']], ['next_cfg', '+=', 1]]}]"));
    }

    @Test
    void encodesSelect() {
        assertThat(encode(new Select("Interface", List.of(Condition.eq("name", "p0"), Condition.gt("ofport", 0)),
                List.of("_uuid", "name", "ofport"))))
                .isEqualTo(expected("['Open_vSwitch', {'op': 'select', 'table': 'Interface',"
                        + " 'where': [['name', '==', 'p0'], ['ofport', '>', 0]], 'columns': ['_uuid', 'name', 'ofport']}]"));
        assertThat(encode(new Select("Bridge", List.of())))
                .isEqualTo(expected("['Open_vSwitch', {'op': 'select', 'table': 'Bridge', 'where': []}]"));
    }

    @Test
    void encodesUpdate() {
        assertThat(encode(new Update("Bridge", List.of(Condition.uuidIs(BRIDGE)),
                row("fail_mode", Set.of(), "flood_vlans", List.of(10, 20)))))
                .isEqualTo(expected("['Open_vSwitch', {'op': 'update', 'table': 'Bridge',"
                        + " 'where': [['_uuid', '==', ['uuid', '" + BRIDGE + "']]],"
                        + " 'row': {'fail_mode': ['set', []], 'flood_vlans': ['set', [10, 20]]}}]"));
    }

    @Test
    void encodesMutateWithEveryMutatorKind() {
        assertThat(encode(new Mutate("Interface", List.of(Condition.includes("options", Map.of("key", "flow"))), List.of(
                Mutation.sub("ofport_request", 1),
                new Mutation("ofport_request", Mutator.MOD, 7),
                Mutation.insert("external_ids", Map.of("owner", "sb")),
                Mutation.delete("options", new LinkedHashSet<>(List.of("key", "remote_ip"))),
                Mutation.delete("other_config", Map.of("a", "1"))))))
                .isEqualTo(expected("['Open_vSwitch', {'op': 'mutate', 'table': 'Interface',"
                        + " 'where': [['options', 'includes', ['map', [['key', 'flow']]]]],"
                        + " 'mutations': [['ofport_request', '-=', 1], ['ofport_request', '%=', 7],"
                        + " ['external_ids', 'insert', ['map', [['owner', 'sb']]]],"
                        + " ['options', 'delete', ['set', ['key', 'remote_ip']]],"
                        + " ['other_config', 'delete', ['map', [['a', '1']]]]]}]"));
    }

    @Test
    void encodesDeleteWaitAndTheRest() {
        assertThat(encode(new Delete("Port", List.of(Condition.eq("name", "old"), Condition.excludes("trunks", List.of(1, 2))))))
                .isEqualTo(expected("['Open_vSwitch', {'op': 'delete', 'table': 'Port',"
                        + " 'where': [['name', '==', 'old'], ['trunks', 'excludes', ['set', [1, 2]]]]}]"));
        assertThat(encode(new Wait("Bridge", List.of(Condition.eq("name", "br0")), List.of("fail_mode"), false,
                List.of(Map.of("fail_mode", "secure")), 1000L)))
                .isEqualTo(expected("['Open_vSwitch', {'op': 'wait', 'timeout': 1000, 'table': 'Bridge',"
                        + " 'where': [['name', '==', 'br0']], 'columns': ['fail_mode'], 'until': '!=',"
                        + " 'rows': [{'fail_mode': 'secure'}]}]"));
        assertThat(encode(new Wait("Bridge", List.of(), List.of("name"), true, List.of(), null)))
                .isEqualTo(expected("['Open_vSwitch', {'op': 'wait', 'table': 'Bridge', 'where': [],"
                        + " 'columns': ['name'], 'until': '==', 'rows': []}]"));
        assertThat(encode(new Commit(true), new Abort(), new Comment("switchboard: add br0"), new Assert("sb-lock")))
                .isEqualTo(expected("['Open_vSwitch', {'op': 'commit', 'durable': true}, {'op': 'abort'},"
                        + " {'op': 'comment', 'comment': 'switchboard: add br0'}, {'op': 'assert', 'lock': 'sb-lock'}]"));
    }

    @Test
    void encodesMonitorConditionsAlone() {
        assertThat(TransactionCodec.encodeConditions(SCHEMA.table("Port"), List.of(Condition.ne("tag", Set.of()))).toString())
                .isEqualTo(expected("[['tag', '!=', ['set', []]]]"));
        assertThatThrownBy(() -> TransactionCodec.encodeConditions(SCHEMA.table("Port"),
                List.of(Condition.eq("interfaces", new NamedUuid("x")))))
                .hasMessage("Port.interfaces: named-uuid x is not the uuid-name of any insert in this transaction");
    }

    private static void rejects(Operation op, String message) {
        assertThatThrownBy(() -> TransactionCodec.encode(SCHEMA, List.of(new Comment("first"), op)))
                .isInstanceOf(OvsdbSchemaException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsUnknownNamesAndBadValues() {
        rejects(new Insert("Bridges", Map.of()), "operation 1 (insert Bridges): unknown table 'Bridges' in database Open_vSwitch");
        rejects(new Insert("Bridge", Map.of("nam", "br0")),
                "operation 1 (insert Bridge): Bridge.nam: no such column in table Bridge (did you mean name?)");
        rejects(new Insert("Bridge", row("name", "br0", "fail_mode", "open")),
                "operation 1 (insert Bridge): Bridge.fail_mode: \"open\" is not one of \"standalone\", \"secure\"");
        rejects(new Select("Bridge", List.of(), List.of("name", "colour")),
                "operation 1 (select Bridge): Bridge.colour: no such column in table Bridge");
        rejects(new Delete("Interface", List.of(Condition.eq("ofport_request", 70000))),
                "operation 1 (delete Interface): Interface.ofport_request: 70000 is above the maximum 65279");
        rejects(new Wait("Bridge", List.of(), List.of("name"), true, List.of(Map.of("fail_mode", "secure")), null),
                "operation 1 (wait Bridge): Bridge.fail_mode: a wait row may hold only the waited-for columns [name]");
    }

    @Test
    void rejectsChangesToColumnsThatCannotChange() {
        rejects(new Update("Bridge", List.of(), Map.of("name", "br1")),
                "operation 1 (update Bridge): Bridge.name: immutable (\"mutable\": false); only an insert sets it, "
                        + "it cannot be updated");
        rejects(new Update("Bridge", List.of(), Map.of("_uuid", BRIDGE)),
                "operation 1 (update Bridge): Bridge._uuid: set by the server; cannot be updated");
        rejects(new Mutate("Port", List.of(), List.of(Mutation.insert("name", "x"))),
                "operation 1 (mutate Port): Port.name: immutable (\"mutable\": false); only an insert sets it, "
                        + "it cannot be mutated");
        rejects(new Insert("Bridge", Map.of("_version", BRIDGE)),
                "operation 1 (insert Bridge): Bridge._version: set by the server; a row may not give it");
    }

    @Test
    void rejectsMutatorsThatDoNotFitTheColumn() {
        rejects(new Mutate("Bridge", List.of(), List.of(Mutation.add("datapath_type", 1))),
                "operation 1 (mutate Bridge): Bridge.datapath_type: mutator \"+=\" applies only to integers or reals "
                        + "(or sets of them), not to a column of type string");
        rejects(new Mutate("Interface", List.of(), List.of(Mutation.add("statistics", 1))),
                "operation 1 (mutate Interface): Interface.statistics: mutator \"+=\" applies only to integers or reals "
                        + "(or sets of them), not to a column of type map of string to integer with 0 or more pairs");
        rejects(new Mutate("Open_vSwitch", List.of(), List.of(Mutation.insert("next_cfg", 1))),
                "operation 1 (mutate Open_vSwitch): Open_vSwitch.next_cfg: mutator \"insert\" applies only to sets and maps, "
                        + "not to a column of type integer");
        rejects(new Mutate("Open_vSwitch", List.of(), List.of(new Mutation("next_cfg", Mutator.DIV, 0))),
                "operation 1 (mutate Open_vSwitch): Open_vSwitch.next_cfg: division by zero");
        rejects(new Mutate("Open_vSwitch", List.of(), List.of(Mutation.insert("bridges", "br0"))),
                "operation 1 (mutate Open_vSwitch): Open_vSwitch.bridges: expected a uuid (java.util.UUID or NamedUuid), "
                        + "got \"br0\" (String)");
        DatabaseSchema reals = DatabaseSchema.parse(json("{'name': 'R', 'tables': {'T': {'columns':"
                + " {'x': {'type': {'key': {'type': 'real', 'maxReal': 1}}}}}}}"));
        assertThatThrownBy(() -> TransactionCodec.encode(reals,
                List.of(new Mutate("T", List.of(), List.of(new Mutation("x", Mutator.MOD, 2))))))
                .hasMessage("operation 0 (mutate T): T.x: mutator \"%=\" applies only to integers (or sets of them), not to a column of type real <= 1.0");
        // The operand of arithmetic is unconstrained, like ovsdb-server's.
        assertThat(TransactionCodec.encode(reals, List.of(new Mutate("T", List.of(), List.of(Mutation.add("x", 5))))).toString())
                .isEqualTo(expected("['R', {'op': 'mutate', 'table': 'T', 'where': [], 'mutations': [['x', '+=', 5.0]]}]"));
    }

    @Test
    void rejectsConditionsThatDoNotFitTheColumn() {
        rejects(new Select("Bridge", List.of(Condition.lt("name", "m"))),
                "operation 1 (select Bridge): Bridge.name: condition \"<\" applies only to an integer or real of at most "
                        + "one element, not to a column of type string");
        rejects(new Select("Port", List.of(Condition.ge("trunks", 5))),
                "operation 1 (select Port): Port.trunks: condition \">=\" applies only to an integer or real of at most "
                        + "one element, not to a column of type set of 0 to 4096 integers in [0, 4095]");
        rejects(new Select("Bridge", List.of(Condition.eq("fail_mode", List.of("secure", "standalone")))),
                "operation 1 (select Bridge): Bridge.fail_mode: 2 elements, but optional string (one of \"standalone\","
                        + " \"secure\") allows at most 1");
        // includes and excludes relax the element count, as ovsdb-server does
        assertThat(encode(new Select("sFlow", List.of(Condition.includes("targets", Set.of())))))
                .contains("[\"targets\",\"includes\",[\"set\",[]]]");
        assertThat(encode(new Select("Bridge", List.of(Condition.excludes("fail_mode", List.of("secure", "standalone"))))))
                .contains("[\"fail_mode\",\"excludes\",[\"set\",[\"secure\",\"standalone\"]]]");
    }

    @Test
    void checksNamedUuids() {
        rejects(new Insert("Port", Map.of("name", "p", "interfaces", new NamedUuid("nope"))),
                "operation 1 (insert Port): Port.interfaces: named-uuid nope is not the uuid-name of any insert "
                        + "in this transaction");
        assertThatThrownBy(() -> TransactionCodec.encode(SCHEMA, List.of(
                new Insert("Interface", Map.of("name", "a"), "x"), new Insert("Interface", Map.of("name", "b"), "x"))))
                .hasMessage("operation 1 (insert Interface): uuid-name x is already used by an earlier insert");
        assertThatThrownBy(() -> new Insert("Interface", Map.of(), "not-an-id")).isInstanceOf(IllegalArgumentException.class);
        // A reference may come before the insert that declares it.
        Insert iface = new Insert("Interface", Map.of("name", "p"), "i");
        assertThat(encode(new Insert("Port", Map.of("name", "p", "interfaces", iface.ref())), iface))
                .contains("[\"named-uuid\",\"i\"]");
    }

    @Test
    void decodesResults() {
        List<Operation> ops = List.of(
                new Insert("Bridge", Map.of("name", "br0")),
                new Select("Bridge", List.of(), List.of("_uuid", "name", "fail_mode", "ports")),
                new Update("Bridge", List.of(), Map.of("fail_mode", "secure")),
                new Mutate("Open_vSwitch", List.of(), List.of(Mutation.add("next_cfg", 1))),
                new Delete("Port", List.of()),
                new Comment("c"),
                new Commit(false));
        List<OperationResult> results = TransactionCodec.decode(SCHEMA, ops, json("[{'uuid': ['uuid', '" + BRIDGE + "']},"
                + " {'rows': [{'_uuid': ['uuid', '" + BRIDGE + "'], 'fail_mode': 'secure', 'name': 'br0', 'ports': ['set', []]}]},"
                + " {'count': 1}, {'count': 1}, {'count': 0}, {}, {}]"));
        assertThat(results).extracting(OperationResult::operation).isEqualTo(ops);
        assertThat(results.get(0).uuid()).isEqualTo(BRIDGE);
        assertThat(results.get(1).rows()).containsExactly(new Row(BRIDGE, Map.of("_uuid", BRIDGE,
                "fail_mode", Set.of("secure"), "name", "br0", "ports", Set.of())));
        assertThat(results).extracting(OperationResult::count).containsExactly(null, null, 1L, 1L, 0L, null, null);
        assertThat(results.get(5)).isEqualTo(new OperationResult(ops.get(5), null, null, null));
    }

    @Test
    void reportsTheFailedOperation() {
        List<Operation> ops = List.of(new Comment("x"), new Update("Bridge", List.of(), Map.of("fail_mode", "secure")),
                new Select("Bridge", List.of()));
        // As ovsdb-server 3.1 answered a transaction whose update broke a constraint.
        assertThatThrownBy(() -> TransactionCodec.decode(SCHEMA, ops, json("[{}, {'details': 'bogus is not one of the "
                + "allowed values ([secure, standalone])', 'error': 'constraint violation'}, null]")))
                .isInstanceOfSatisfying(OvsdbTransactionException.class, e -> {
                    assertThat(e.operationIndex()).isEqualTo(1);
                    assertThat(e.operation()).isSameAs(ops.get(1));
                    assertThat(e.error()).isEqualTo("constraint violation");
                    assertThat(e.details()).isEqualTo("bogus is not one of the allowed values ([secure, standalone])");
                })
                .hasMessage("operation 1 (update Bridge) failed: constraint violation: "
                        + "bogus is not one of the allowed values ([secure, standalone])");
    }

    @Test
    void reportsACommitTimeFailure() {
        List<Operation> ops = List.of(new Insert("Port", Map.of("name", "p", "interfaces", PORT)));
        assertThatThrownBy(() -> TransactionCodec.decode(SCHEMA, ops, json("[{'uuid': ['uuid', '" + PORT + "']},"
                + " {'details': 'Table Port column interfaces row " + PORT + " references nonexistent row', "
                + "'error': 'referential integrity violation'}]")))
                .isInstanceOfSatisfying(OvsdbTransactionException.class, e -> {
                    assertThat(e.operationIndex()).isEqualTo(1);
                    assertThat(e.operation()).isNull();
                    assertThat(e.error()).isEqualTo("referential integrity violation");
                })
                .hasMessage("transaction failed at commit (after 1 operations): referential integrity violation: "
                        + "Table Port column interfaces row " + PORT + " references nonexistent row");
        assertThatThrownBy(() -> TransactionCodec.decode(SCHEMA, List.of(new Abort()), json("[{'error': 'aborted'}]")))
                .isInstanceOfSatisfying(OvsdbTransactionException.class, e -> assertThat(e.details()).isNull())
                .hasMessage("operation 0 (abort) failed: aborted");
    }

    @Test
    void rejectsMalformedResults() {
        List<Operation> ops = List.of(new Comment("a"), new Comment("b"));
        assertThatThrownBy(() -> TransactionCodec.decode(SCHEMA, ops, json("[{}]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a transact result of 1 elements for 2 operations, without an error");
        assertThatThrownBy(() -> TransactionCodec.decode(SCHEMA, ops, json("{}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransactionCodec.decode(SCHEMA, List.of(new Insert("Bridge", Map.of())), json("[{}]")))
                .isInstanceOf(OvsdbSchemaException.class)
                .hasMessage("result of operation 0 (insert Bridge): no \"uuid\" in {}");
    }
}
