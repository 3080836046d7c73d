package dev.switchboard.ovsdb.data;

import static dev.switchboard.ovsdb.schema.VswitchSchema.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import dev.switchboard.ovsdb.schema.TableSchema;
import dev.switchboard.ovsdb.schema.VswitchSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowTest {

    private static final TableSchema INTERFACE = VswitchSchema.parse().table("Interface");
    private static final UUID ID = UUID.fromString("96edc441-5833-4748-818e-f728d72cb471");

    private final Row row = RowCodec.decode(INTERFACE, json("{'_uuid': ['uuid', '" + ID + "'], 'name': 'eth0',"
            + " 'ofport': 3, 'ofport_request': ['set', []], 'link_speed': ['set', []], 'admin_state': 'up',"
            + " 'options': ['map', [['key', 'flow']]], 'statistics': ['map', [['rx_packets', 10]]],"
            + " 'lldp': ['map', []], 'from_a_newer_schema': 1}"), null);

    @Test
    void decodesWithTheUuidFromTheRow() {
        assertThat(row.uuid()).isEqualTo(ID);
        assertThat(row.getUuid("_uuid")).isEqualTo(ID);
        assertThat(row.has("from_a_newer_schema")).isFalse();
        assertThat(new Row(ID, Map.of()).getUuid("_uuid")).isEqualTo(ID);
    }

    @Test
    void typedGetters() {
        assertThat(row.getString("name")).isEqualTo("eth0");
        assertThat(row.getOptional("ofport", Long.class)).contains(3L);
        assertThat(row.getOptional("ofport_request", Long.class)).isEmpty();
        assertThat(row.getSet("admin_state", String.class)).containsExactly("up");
        assertThat(row.getMap("options", String.class, String.class)).containsEntry("key", "flow");
        assertThat(row.getMap("statistics", String.class, Long.class)).containsEntry("rx_packets", 10L);
        assertThat(row.get("type")).isNull();
    }

    @Test
    void wrongGettersSayWhichToUse() {
        assertThatThrownBy(() -> row.getLong("ofport")).isInstanceOf(ClassCastException.class)
                .hasMessage("column ofport holds a Set, not a Long; an optional or set column is read with getOptional or getSet");
        assertThatThrownBy(() -> row.getString("options")).isInstanceOf(ClassCastException.class)
                .hasMessage("column options holds a Map, not a String; use getMap");
        assertThatThrownBy(() -> row.getSet("admin_state", Long.class)).isInstanceOf(ClassCastException.class)
                .hasMessage("column admin_state holds up (String), not a Long");
        assertThatThrownBy(() -> row.getString("type")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("row " + ID + " has no column type (not selected, not monitored, or misspelt?)");
        Row multi = row.with("admin_state", Set.of("up", "down"));
        assertThatThrownBy(() -> multi.getOptional("admin_state", String.class)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withReplacesAColumn() {
        Row changed = row.with("name", "eth1");
        assertThat(changed.getString("name")).isEqualTo("eth1");
        assertThat(row.getString("name")).isEqualTo("eth0");
        assertThat(changed.uuid()).isEqualTo(ID);
        assertThatThrownBy(() -> row.columns().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void encodesARowInOrder() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("name", "eth0");
        columns.put("ofport_request", 5);
        columns.put("options", Map.of("peer", "eth1"));
        assertThat(RowCodec.encode(INTERFACE, columns).toString())
                .isEqualTo("{\"name\":\"eth0\",\"ofport_request\":5,\"options\":[\"map\",[[\"peer\",\"eth1\"]]]}");
    }

    @Test
    void encodingNamesTheColumn() {
        assertThatThrownBy(() -> RowCodec.encode(INTERFACE, Map.of("ofport_request", 0)))
                .isInstanceOf(OvsdbSchemaException.class)
                .hasMessage("Interface.ofport_request: 0 is below the minimum 1");
        assertThatThrownBy(() -> RowCodec.encode(INTERFACE, Map.of("nmae", "x")))
                .hasMessage("Interface.nmae: no such column in table Interface (did you mean name?)");
        assertThatThrownBy(() -> RowCodec.encode(INTERFACE, Map.of("_uuid", ID)))
                .hasMessage("Interface._uuid: set by the server; a row may not give it");
    }
}
