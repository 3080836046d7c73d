package dev.switchboard.ovsdb.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseSchemaTest {

    private final DatabaseSchema schema = VswitchSchema.parse();

    @Test
    void readsTheInstalledSchema() {
        assertThat(schema.name()).isEqualTo("Open_vSwitch");
        assertThat(schema.version()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(schema.tables()).containsKeys("Open_vSwitch", "Bridge", "Port", "Interface", "Controller");
    }

    @Test
    void failModeIsAnOptionalEnum() {
        ColumnType type = schema.table("Bridge").column("fail_mode").type();
        assertThat(type.isOptional()).isTrue();
        assertThat(type.isSet()).isTrue();
        assertThat(type.isScalar()).isFalse();
        assertThat(type.key().type()).isEqualTo(AtomicType.STRING);
        assertThat(type.key().enumValues()).containsExactlyInAnyOrder("secure", "standalone");
        assertThat(type.describe()).isEqualTo("optional string (one of \"standalone\", \"secure\")");
    }

    @Test
    void ofportIsAnOptionalInteger() {
        ColumnType type = schema.table("Interface").column("ofport").type();
        assertThat(type).isEqualTo(ColumnType.optional(BaseType.of(AtomicType.INTEGER)));
        ColumnType request = schema.table("Interface").column("ofport_request").type();
        assertThat(request.key().minInteger()).isEqualTo(1);
        assertThat(request.key().maxInteger()).isEqualTo(65279);
    }

    @Test
    void portsAreASetOfStrongReferences() {
        ColumnType type = schema.table("Bridge").column("ports").type();
        assertThat(type.isSet()).isTrue();
        assertThat(type.min()).isZero();
        assertThat(type.max()).isEqualTo(ColumnType.UNLIMITED);
        assertThat(type.key()).isEqualTo(BaseType.ref("Port", RefType.STRONG));
        assertThat(type.key().isRef()).isTrue();
    }

    @Test
    void weakReferencesAndMaps() {
        BaseType mirrorPort = schema.table("Mirror").column("select_src_port").type().key();
        assertThat(mirrorPort.refTable()).isEqualTo("Port");
        assertThat(mirrorPort.refType()).isEqualTo(RefType.WEAK);
        ColumnType externalIds = schema.table("Bridge").column("external_ids").type();
        assertThat(externalIds.isMap()).isTrue();
        assertThat(externalIds.isSet()).isFalse();
        assertThat(externalIds.value().type()).isEqualTo(AtomicType.STRING);
    }

    @Test
    void nextCfgIsAnInteger() {
        ColumnSchema column = schema.table("Open_vSwitch").column("next_cfg");
        assertThat(column.type().isScalar()).isTrue();
        assertThat(column.type()).isEqualTo(ColumnType.scalar(AtomicType.INTEGER));
        assertThat(column.mutable()).isTrue();
        assertThat(column.ephemeral()).isFalse();
    }

    @Test
    void tableFlags() {
        TableSchema root = schema.table("Open_vSwitch");
        assertThat(root.isRoot()).isTrue();
        assertThat(root.maxRows()).isEqualTo(1);
        TableSchema bridge = schema.table("Bridge");
        assertThat(bridge.isRoot()).isFalse();
        assertThat(bridge.maxRows()).isEqualTo(Long.MAX_VALUE);
        assertThat(bridge.indexes()).containsExactly(List.of("name"));
        assertThat(bridge.column("name").mutable()).isFalse();
        assertThat(bridge.column("datapath_id").ephemeral()).isTrue();
    }

    @Test
    void knowsTheImplicitColumns() {
        TableSchema bridge = schema.table("Bridge");
        assertThat(bridge.column("_uuid").type()).isEqualTo(ColumnType.scalar(AtomicType.UUID));
        assertThat(bridge.column("_version").isImplicit()).isTrue();
        assertThat(bridge.columns()).doesNotContainKeys("_uuid", "_version");
    }

    @Test
    void unknownNamesAreNamed() {
        assertThatThrownBy(() -> schema.table("Bridges"))
                .isInstanceOf(OvsdbSchemaException.class)
                .hasMessage("unknown table 'Bridges' in database Open_vSwitch");
        assertThatThrownBy(() -> schema.table("Bridge").column("fail_mod"))
                .isInstanceOf(OvsdbSchemaException.class)
                .hasMessage("Bridge.fail_mod: no such column in table Bridge (did you mean fail_mode?)");
        assertThatThrownBy(() -> schema.table("Bridge").column("colour"))
                .hasMessage("Bridge.colour: no such column in table Bridge");
    }

    @Test
    void everyTableIsARootInASchemaWithoutRoots() {
        DatabaseSchema old = DatabaseSchema.parse(VswitchSchema.json(
                "{'name': 'Old', 'tables': {'A': {'columns': {'b': {'type': {'key': {'type': 'uuid', 'refTable': 'B'}}}}},"
                        + " 'B': {'columns': {}}}}"));
        assertThat(old.version()).isNull();
        assertThat(old.tables().values()).allMatch(TableSchema::isRoot);
    }

    @Test
    void parsesConstraintsAndDefaults() {
        ColumnType type = ColumnType.parse(VswitchSchema.json(
                "{'key': {'type': 'real', 'minReal': -1.5, 'maxReal': 2}, 'min': 1, 'max': 3}"));
        assertThat(type.key().minReal()).isEqualTo(-1.5);
        assertThat(type.key().maxReal()).isEqualTo(2.0);
        assertThat(type.isSet()).isTrue();
        assertThat(ColumnType.parse(VswitchSchema.json("'boolean'")).isScalar()).isTrue();
        BaseType name = BaseType.parse(VswitchSchema.json("{'type': 'string', 'minLength': 1, 'maxLength': 15}"));
        assertThat(name.minLength()).isEqualTo(1);
        assertThat(name.maxLength()).isEqualTo(15);
        BaseType levels = BaseType.parse(VswitchSchema.json("{'type': 'integer', 'enum': ['set', [1, 2, 3]]}"));
        assertThat(levels.enumValues()).containsExactly(1L, 2L, 3L);
        BaseType single = BaseType.parse(VswitchSchema.json("{'type': 'string', 'enum': 'only'}"));
        assertThat(single.enumValues()).containsExactly("only");
    }

    @Test
    void malformedSchemasAreReported() {
        assertThatThrownBy(() -> ColumnType.parse(VswitchSchema.json("{'key': 'text'}")))
                .hasMessageContaining("unknown atomic type 'text'");
        assertThatThrownBy(() -> ColumnType.parse(VswitchSchema.json("{'key': 'string', 'min': 2, 'max': 1}")))
                .hasMessageContaining("bad element count min 2, max 1");
        ObjectNode json = (ObjectNode) VswitchSchema.json();
        ((ObjectNode) json.get("tables").get("Bridge").get("columns").get("ports").get("type").get("key"))
                .put("refTable", "Nowhere");
        assertThatThrownBy(() -> DatabaseSchema.parse(json))
                .isInstanceOf(OvsdbSchemaException.class)
                .hasMessage("malformed schema Open_vSwitch: Bridge.ports refers to unknown table Nowhere");
        ((ObjectNode) json.get("tables").get("Bridge").get("columns").get("ports").get("type").get("key"))
                .put("type", "pointer");
        assertThatThrownBy(() -> DatabaseSchema.parse(json))
                .hasMessageStartingWith("malformed schema Open_vSwitch: Bridge.ports: unknown atomic type 'pointer'");
    }
}
