package dev.switchboard.ovsdb.data;

import static dev.switchboard.ovsdb.schema.VswitchSchema.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ovsdb.schema.DatabaseSchema;
import dev.switchboard.ovsdb.schema.OvsdbSchemaException;
import dev.switchboard.ovsdb.schema.VswitchSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The notifications here were captured from ovsdb-server 3.1 ({@code ovsdb-client -vjsonrpc
 * monitor-cond} and {@code monitor} on Bridge while {@code ovsdb-client transact} changed it).
 */
class TableUpdatesTest {

    private static final DatabaseSchema SCHEMA = VswitchSchema.parse();
    private static final String ID = "56ccf61c-b031-4dd3-8de3-b3d6c36b1ef3";
    private static final UUID BR1 = UUID.fromString(ID);
    private static final Map<String, List<String>> MONITORED = Map.of("Bridge",
            List.of("name", "fail_mode", "ports", "other_config", "datapath_id", "flood_vlans", "stp_enable"));

    /** A one-table replica, updated the way a client's would be. */
    private final Map<UUID, Row> bridges = new HashMap<>();
    private final RowLookup replica = (table, uuid) -> "Bridge".equals(table) ? bridges.get(uuid) : null;

    private RowUpdate update2(String bridgeUpdate) {
        List<RowUpdate> updates = TableUpdates.parseUpdate2(SCHEMA,
                json("{'Bridge': {'" + ID + "': " + bridgeUpdate + "}}"), replica, MONITORED);
        assertThat(updates).hasSize(1);
        RowUpdate update = updates.get(0);
        assertThat(update.table()).isEqualTo("Bridge");
        assertThat(update.uuid()).isEqualTo(BR1);
        if (update.isDelete()) {
            bridges.remove(update.uuid());
        } else {
            bridges.put(update.uuid(), update.newRow());
        }
        return update;
    }

    @Test
    void update2InsertsFillInDefaults() {
        RowUpdate insert = update2("{'insert': {'name': 'br1', 'other_config': ['map', [['a', '1'], ['b', '2']]],"
                + " 'flood_vlans': ['set', [1, 2]]}}");
        assertThat(insert.isInsert()).isTrue();
        assertThat(insert.isModify()).isFalse();
        assertThat(insert.oldRow()).isNull();
        Row row = insert.newRow();
        assertThat(row.uuid()).isEqualTo(BR1);
        assertThat(row.columns()).isEqualTo(Map.of(
                "name", "br1",
                "other_config", Map.of("a", "1", "b", "2"),
                "flood_vlans", Set.of(1L, 2L),
                "fail_mode", Set.of(),
                "ports", Set.of(),
                "datapath_id", Set.of(),
                "stp_enable", false));
        assertThat(row.columns().keySet()).doesNotContain("external_ids");
    }

    @Test
    void update2ModifiesApplyDiffsToTheCurrentRow() {
        update2("{'insert': {'name': 'br1', 'other_config': ['map', [['a', '1'], ['b', '2']]],"
                + " 'flood_vlans': ['set', [1, 2]]}}");
        Row inserted = bridges.get(BR1);

        // scalar, optional from empty, map (one pair replaced, one added), set (1 removed, 3 added)
        RowUpdate first = update2("{'modify': {'stp_enable': true, 'fail_mode': 'secure',"
                + " 'other_config': ['map', [['b', '3'], ['c', '4']]], 'flood_vlans': ['set', [1, 3]]}}");
        assertThat(first.isModify()).isTrue();
        assertThat(first.oldRow()).isEqualTo(inserted);
        Row row = first.newRow();
        assertThat(row.getBoolean("stp_enable")).isTrue();
        assertThat(row.getOptional("fail_mode", String.class)).contains("secure");
        assertThat(row.getMap("other_config", String.class, String.class)).isEqualTo(Map.of("a", "1", "b", "3", "c", "4"));
        assertThat(List.copyOf(row.getMap("other_config", String.class, String.class).keySet()))
                .isEqualTo(List.of("a", "b", "c"));
        assertThat(row.getSet("flood_vlans", Long.class)).isEqualTo(Set.of(2L, 3L));
        assertThat(row.getString("name")).isEqualTo("br1");

        // optional replaced by another value; map pairs equal to the old ones removed
        row = update2("{'modify': {'fail_mode': 'standalone', 'other_config': ['map', [['a', '1'], ['b', '3']]]}}").newRow();
        assertThat(row.getOptional("fail_mode", String.class)).contains("standalone");
        assertThat(row.getMap("other_config", String.class, String.class)).isEqualTo(Map.of("c", "4"));

        // optional cleared
        row = update2("{'modify': {'fail_mode': ['set', []]}}").newRow();
        assertThat(row.getOptional("fail_mode", String.class)).isEmpty();
        assertThat(row.getSet("flood_vlans", Long.class)).isEqualTo(Set.of(2L, 3L));

        RowUpdate delete = update2("{'delete': null}");
        assertThat(delete.isDelete()).isTrue();
        assertThat(delete.oldRow()).isEqualTo(row);
        assertThat(bridges).isEmpty();
    }

    @Test
    void update2OptionalDiffsAlsoReadAsSymmetricDifferences() {
        bridges.put(BR1, new Row(BR1, Map.of("fail_mode", Set.of("secure"))));
        Row row = update2("{'modify': {'fail_mode': ['set', ['secure', 'standalone']]}}").newRow();
        assertThat(row.get("fail_mode")).isEqualTo(Set.of("standalone"));
        row = update2("{'modify': {'fail_mode': 'standalone'}}").newRow();
        assertThat(row.get("fail_mode")).isEqualTo(Set.of());
    }

    @Test
    void update2InitialRowsAndUnknownCurrentRows() {
        List<RowUpdate> updates = TableUpdates.parseUpdate2(SCHEMA, json("{'Bridge': {'" + ID + "': {'initial':"
                + " {'name': 'br1', 'fail_mode': 'standalone', 'other_config': ['map', [['c', '4']]],"
                + " 'flood_vlans': ['set', [2, 3]]}}}}"), RowLookup.NONE);
        assertThat(updates.get(0).isInsert()).isTrue();
        Row initial = updates.get(0).newRow();
        // every column is assumed monitored without a column list
        assertThat(initial.columns()).hasSize(SCHEMA.table("Bridge").columns().size());
        assertThat(initial.get("external_ids")).isEqualTo(Map.of());
        assertThat(initial.get("fail_mode")).isEqualTo(Set.of("standalone"));

        RowUpdate modify = TableUpdates.parseUpdate2(SCHEMA, json("{'Bridge': {'" + ID + "': {'modify':"
                + " {'stp_enable': true, 'fail_mode': 'secure', 'flood_vlans': ['set', [1, 3]]}}}}"), RowLookup.NONE).get(0);
        assertThat(modify.isModify()).isTrue();
        assertThat(modify.oldRow().columns()).isEmpty();
        // a set diff means nothing without the old set, so only the columns of one element are known
        assertThat(modify.newRow().columns()).isEqualTo(Map.of("stp_enable", true, "fail_mode", Set.of("secure")));

        RowUpdate delete = TableUpdates.parseUpdate2(SCHEMA, json("{'Bridge': {'" + ID + "': {'delete': null}}}"),
                RowLookup.NONE).get(0);
        assertThat(delete.isDelete()).isTrue();
        assertThat(delete.oldRow()).isEqualTo(new Row(BR1, Map.of()));
    }

    @Test
    void updateModifiesOverlayTheChangedColumns() {
        List<RowUpdate> initial = TableUpdates.parseUpdate(SCHEMA, json("{'Bridge': {'" + ID + "': {'new':"
                + " {'name': 'br1', 'fail_mode': 'standalone', 'other_config': ['map', [['c', '4']]],"
                + " 'flood_vlans': ['set', [2, 3]]}}}}"), replica);
        assertThat(initial.get(0).isInsert()).isTrue();
        Row before = initial.get(0).newRow();
        assertThat(before.columns()).hasSize(4);
        bridges.put(BR1, before);

        String modifyJson = "{'Bridge': {'" + ID + "': {"
                + "'new': {'name': 'br1', 'fail_mode': 'secure', 'other_config': ['map', [['a', '2'], ['z', '9']]],"
                + " 'flood_vlans': ['set', [3, 4]]},"
                + "'old': {'fail_mode': 'standalone', 'other_config': ['map', [['c', '4']]], 'flood_vlans': ['set', [2, 3]]}}}}";
        Row after = new Row(BR1, Map.of("name", "br1", "fail_mode", Set.of("secure"),
                "other_config", Map.of("a", "2", "z", "9"), "flood_vlans", Set.of(3L, 4L)));
        RowUpdate modify = TableUpdates.parseUpdate(SCHEMA, json(modifyJson), replica).get(0);
        assertThat(modify.isModify()).isTrue();
        assertThat(modify.oldRow()).isEqualTo(before);
        assertThat(modify.newRow()).isEqualTo(after);

        // without a current copy, "new" is the whole row and "old" overlays it
        RowUpdate blind = TableUpdates.parseUpdate(SCHEMA, json(modifyJson), RowLookup.NONE).get(0);
        assertThat(blind.oldRow()).isEqualTo(before);
        assertThat(blind.newRow()).isEqualTo(after);

        bridges.put(BR1, after);
        RowUpdate delete = TableUpdates.parseUpdate(SCHEMA, json("{'Bridge': {'" + ID + "': {'old':"
                + " {'name': 'br1', 'fail_mode': 'secure', 'other_config': ['map', [['a', '2'], ['z', '9']]],"
                + " 'flood_vlans': ['set', [3, 4]]}}}}"), replica).get(0);
        assertThat(delete.isDelete()).isTrue();
        assertThat(delete.oldRow()).isEqualTo(after);
    }

    @Test
    void updatesAreReturnedInOrderAcrossTables() {
        String port = "11111111-2222-3333-4444-555555555555";
        List<RowUpdate> updates = TableUpdates.parseUpdate2(SCHEMA, json("{'Port': {'" + port + "': {'insert':"
                + " {'name': 'p1'}}}, 'Bridge': {'" + ID + "': {'insert': {'name': 'br1', 'ports': ['uuid', '" + port + "']}}}}"),
                RowLookup.NONE);
        assertThat(updates).extracting(RowUpdate::table).containsExactly("Port", "Bridge");
        assertThat(updates.get(1).newRow().getSet("ports", UUID.class)).containsExactly(UUID.fromString(port));
    }

    @Test
    void malformedUpdatesAreReported() {
        assertThatThrownBy(() -> TableUpdates.parseUpdate2(SCHEMA, json("{'Bridges': {}}"), RowLookup.NONE))
                .isInstanceOf(OvsdbSchemaException.class).hasMessage("unknown table 'Bridges' in database Open_vSwitch");
        assertThatThrownBy(() -> TableUpdates.parseUpdate2(SCHEMA, json("{'Bridge': {'br1': {'delete': null}}}"),
                RowLookup.NONE)).hasMessage("Bridge: row key br1 is not a uuid");
        assertThatThrownBy(() -> TableUpdates.parseUpdate2(SCHEMA, json("{'Bridge': {'" + ID + "': {'upsert': {}}}}"),
                RowLookup.NONE)).hasMessage("Bridge row " + ID + ": unknown update2 kind \"upsert\"");
        assertThatThrownBy(() -> TableUpdates.parseUpdate(SCHEMA, json("{'Bridge': {'" + ID + "': {'new': {'name': 5}}}}"),
                RowLookup.NONE)).hasMessage("Bridge.name: expected a string, got 5");
    }
}
