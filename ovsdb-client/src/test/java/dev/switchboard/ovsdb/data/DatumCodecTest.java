package dev.switchboard.ovsdb.data;

import static dev.switchboard.ovsdb.schema.VswitchSchema.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ovsdb.schema.AtomicType;
import dev.switchboard.ovsdb.schema.BaseType;
import dev.switchboard.ovsdb.schema.ColumnType;
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

class DatumCodecTest {

    private static final DatabaseSchema SCHEMA = VswitchSchema.parse();
    private static final UUID U1 = UUID.fromString("6e5c3a8b-7a1e-4b8a-9d3c-2f1e0d9c8b7a");
    private static final UUID U2 = UUID.fromString("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");

    private static ColumnType column(String table, String column) {
        return SCHEMA.table(table).column(column).type();
    }

    /** Encodes, compares with the expected JSON text, decodes and compares with the canonical value. */
    private static void roundTrip(ColumnType type, Object value, String expectedJson, Object canonical) {
        JsonNode encoded = DatumCodec.encode(type, value);
        assertThat(encoded.toString()).isEqualTo(expectedJson);
        Object decoded = DatumCodec.decode(type, encoded);
        assertThat(decoded).isEqualTo(canonical);
        assertThat(DatumCodec.normalize(type, value)).isEqualTo(canonical);
    }

    @Test
    void scalarsOfEveryAtomicType() {
        roundTrip(ColumnType.scalar(AtomicType.INTEGER), 42L, "42", 42L);
        roundTrip(ColumnType.scalar(AtomicType.INTEGER), 42, "42", 42L);
        roundTrip(ColumnType.scalar(AtomicType.REAL), 2.5, "2.5", 2.5);
        roundTrip(ColumnType.scalar(AtomicType.REAL), 3, "3.0", 3.0);
        roundTrip(ColumnType.scalar(AtomicType.BOOLEAN), true, "true", true);
        roundTrip(ColumnType.scalar(AtomicType.STRING), "br0", "\"br0\"", "br0");
        roundTrip(ColumnType.scalar(AtomicType.UUID), U1, "[\"uuid\",\"" + U1 + "\"]", U1);
        roundTrip(ColumnType.scalar(AtomicType.UUID), new NamedUuid("row1"), "[\"named-uuid\",\"row1\"]",
                new NamedUuid("row1"));
        assertThat(DatumCodec.decode(column("Open_vSwitch", "next_cfg"), json("7"))).isEqualTo(7L);
    }

    @Test
    void optionalColumnsAreSets() {
        ColumnType failMode = column("Bridge", "fail_mode");
        roundTrip(failMode, Set.of(), "[\"set\",[]]", Set.of());
        roundTrip(failMode, Set.of("secure"), "\"secure\"", Set.of("secure"));
        roundTrip(failMode, "secure", "\"secure\"", Set.of("secure"));
        roundTrip(column("Interface", "ofport"), 3, "3", Set.of(3L));
        assertThat(DatumCodec.decode(failMode, json("['set', ['standalone']]"))).isEqualTo(Set.of("standalone"));
    }

    @Test
    void setsKeepTheirOrder() {
        ColumnType ports = column("Bridge", "ports");
        roundTrip(ports, List.of(U1, U2), "[\"set\",[[\"uuid\",\"" + U1 + "\"],[\"uuid\",\"" + U2 + "\"]]]",
                new LinkedHashSet<>(List.of(U1, U2)));
        roundTrip(ports, Set.of(U1), "[\"uuid\",\"" + U1 + "\"]", Set.of(U1));
        roundTrip(ports, List.of(new NamedUuid("p"), U2), "[\"set\",[[\"named-uuid\",\"p\"],[\"uuid\",\"" + U2 + "\"]]]",
                Set.of(new NamedUuid("p"), U2));
        Object trunks = DatumCodec.decode(column("Port", "trunks"), json("['set', [30, 10, 20]]"));
        assertThat(List.copyOf((Set<?>) trunks)).isEqualTo(List.of(30L, 10L, 20L));
        assertThatThrownBy(() -> ((Set<?>) trunks).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void mapsKeepTheirOrder() {
        ColumnType otherConfig = column("Bridge", "other_config");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("z", "1");
        config.put("a", "2");
        roundTrip(otherConfig, config, "[\"map\",[[\"z\",\"1\"],[\"a\",\"2\"]]]", config);
        roundTrip(otherConfig, Map.of(), "[\"map\",[]]", Map.of());
        ColumnType statistics = column("Interface", "statistics");
        roundTrip(statistics, Map.of("rx_packets", 5), "[\"map\",[[\"rx_packets\",5]]]", Map.of("rx_packets", 5L));
        ColumnType queues = column("QoS", "queues");
        roundTrip(queues, Map.of(0, U1), "[\"map\",[[0,[\"uuid\",\"" + U1 + "\"]]]]", Map.of(0L, U1));
        Object decoded = DatumCodec.decode(otherConfig, json("['map', [['b', 'x'], ['a', 'y']]]"));
        assertThat(List.copyOf(((Map<?, ?>) decoded).keySet())).isEqualTo(List.of("b", "a"));
    }

    @Test
    void encodesAndDecodesSingleAtoms() {
        BaseType port = BaseType.ref("Port", dev.switchboard.ovsdb.schema.RefType.STRONG);
        assertThat(DatumCodec.encodeAtom(port, U1).toString()).isEqualTo("[\"uuid\",\"" + U1 + "\"]");
        assertThat(DatumCodec.decodeAtom(port, json("['uuid', '" + U2 + "']"))).isEqualTo(U2);
        assertThat(DatumCodec.decodeAtom(BaseType.of(AtomicType.REAL), json("1"))).isEqualTo(1.0);
        assertThat(DatumCodec.encodeAtom(BaseType.of(AtomicType.REAL), 1.0f).toString()).isEqualTo("1.0");
    }

    @Test
    void defaults() {
        assertThat(DatumCodec.defaultValue(column("Bridge", "fail_mode"))).isEqualTo(Set.of());
        assertThat(DatumCodec.defaultValue(column("Bridge", "other_config"))).isEqualTo(Map.of());
        assertThat(DatumCodec.defaultValue(column("Bridge", "stp_enable"))).isEqualTo(false);
        assertThat(DatumCodec.defaultValue(column("Open_vSwitch", "next_cfg"))).isEqualTo(0L);
        assertThat(DatumCodec.defaultValue(column("Bridge", "name"))).isEqualTo("");
        assertThat(DatumCodec.defaultValue(column("sFlow", "targets"))).isEqualTo(Set.of(""));
        assertThat(DatumCodec.defaultValue(ColumnType.scalar(AtomicType.UUID))).isEqualTo(new UUID(0, 0));
    }

    private static void rejects(ColumnType type, Object value, String message) {
        assertThatThrownBy(() -> DatumCodec.encode(type, value))
                .isInstanceOf(OvsdbSchemaException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsWrongAtomicTypes() {
        rejects(column("Bridge", "name"), 3, "expected a string, got 3 (Integer)");
        rejects(column("Open_vSwitch", "next_cfg"), "3", "expected an integer, got \"3\" (String)");
        rejects(column("Open_vSwitch", "next_cfg"), 3.0, "expected an integer, got 3.0 (Double)");
        rejects(column("Bridge", "stp_enable"), "true", "expected a boolean, got \"true\" (String)");
        rejects(column("Bridge", "ports"), U1.toString(),
                "expected a uuid (java.util.UUID or NamedUuid), got \"" + U1 + "\" (String)");
        rejects(ColumnType.scalar(AtomicType.REAL), Double.NaN, "NaN is not a finite real (JSON has no such number)");
    }

    @Test
    void rejectsValuesOutsideTheConstraints() {
        rejects(column("Bridge", "fail_mode"), "bogus", "\"bogus\" is not one of \"standalone\", \"secure\"");
        rejects(column("Interface", "ofport_request"), 70000, "70000 is above the maximum 65279");
        rejects(column("Interface", "ofport_request"), 0, "0 is below the minimum 1");
        ColumnType real = ColumnType.parse(json("{'key': {'type': 'real', 'minReal': 0, 'maxReal': 1}}"));
        rejects(real, 1.5, "1.5 is above the maximum 1.0");
        rejects(real, -0.5, "-0.5 is below the minimum 0.0");
        ColumnType name = ColumnType.parse(json("{'key': {'type': 'string', 'minLength': 2, 'maxLength': 4}}"));
        rejects(name, "a", "\"a\" is shorter than the minimum length 2");
        rejects(name, "abcde", "\"abcde\" (5 characters) is longer than the maximum length 4");
        // Characters, not UTF-16 units: four emoji are 8 chars in Java but 4 in OVSDB.
        assertThat(DatumCodec.encode(name, "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00")).isNotNull();
    }

    @Test
    void rejectsWrongShapesAndCounts() {
        rejects(column("Bridge", "fail_mode"), List.of("secure", "standalone"),
                "2 elements, but optional string (one of \"standalone\", \"secure\") allows at most 1");
        rejects(column("Flow_Table", "prefixes"), List.of("a", "b", "c", "d"),
                "4 elements, but set of 0 to 3 strings allows at most 3");
        rejects(column("sFlow", "targets"), Set.of(), "0 elements, but set of 1 or more strings needs at least 1");
        rejects(column("Bridge", "flood_vlans"), List.of(5, 5L), "set has 5 twice");
        rejects(column("Bridge", "name"), Set.of("br0"), "expected a single string, got a Set of 1 elements");
        rejects(column("Bridge", "ports"), Map.of(), "expected a Set (or a single atom) for a set of 0 or more "
                + "uuids (strong reference to Port), got a Map of 0 pairs");
        rejects(column("Bridge", "other_config"), Set.of(), "expected a Map for a map of string to string with "
                + "0 or more pairs, got a Set of 0 elements");
        rejects(column("Bridge", "other_config"), Map.of("a", 1), "value of key \"a\": expected a string, got 1 (Integer)");
        rejects(column("QoS", "queues"), Map.of("0", U1), "map key: expected an integer, got \"0\" (String)");
        rejects(column("Bridge", "name"), null,
                "null is not a value; an empty set or optional is Set.of(), an empty map Map.of()");
        Map<Object, Object> withNull = new LinkedHashMap<>();
        withNull.put("a", null);
        rejects(column("Bridge", "other_config"), withNull, "value of key \"a\": null is not a string");
    }

    @Test
    void namedUuidsAreIds() {
        assertThat(new NamedUuid("_row_1").name()).isEqualTo("_row_1");
        assertThatThrownBy(() -> new NamedUuid("1row")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'1row' is not an OVSDB id");
        assertThatThrownBy(() -> new NamedUuid("a-b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(NamedUuid.referencedBy(Map.of(new NamedUuid("k"), List.of(new NamedUuid("v"), U1))))
                .containsExactlyInAnyOrder(new NamedUuid("k"), new NamedUuid("v"));
    }

    @Test
    void decodingChecksTypesButNotConstraints() {
        assertThat(DatumCodec.decode(column("Bridge", "fail_mode"), json("'neither'"))).isEqualTo(Set.of("neither"));
        assertThatThrownBy(() -> DatumCodec.decode(column("Bridge", "name"), json("5")))
                .isInstanceOf(OvsdbSchemaException.class).hasMessage("expected a string, got 5");
        assertThatThrownBy(() -> DatumCodec.decode(column("Bridge", "other_config"), json("['set', []]")))
                .hasMessageStartingWith("expected [\"map\", [...]] for a map of string to string");
        assertThatThrownBy(() -> DatumCodec.decode(column("Bridge", "ports"), json("['uuid', 'nope']")))
                .hasMessage("malformed uuid [\"uuid\",\"nope\"]");
        assertThatThrownBy(() -> DatumCodec.decode(column("Open_vSwitch", "next_cfg"), json("1.5")))
                .hasMessage("expected an integer, got 1.5");
    }
}
