package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Valid OVSDB JSON-RPC messages as ovsdb-server sends them (RFC 7047 and its monitor_cond
 * extension): the seeds the fuzzer mutates. They speak of a small Open_vSwitch schema
 * ({@link #SCHEMA}) and answer the calls {@link JsonRpcFuzzHarness}'s session makes: ids 1
 * ({@code get_schema}) and 2 ({@code monitor_cond} of monitor {@value #MONITOR}), then the
 * still pending 3 ({@code list_dbs}), 4 ({@code transact}), 5 ({@code lock}) and 6 ({@code echo}).
 */
public final class JsonFuzzCorpus {
    public static final String MONITOR = "sb-monitor-1";
    static final String BRIDGE = "4f0ae8b4-2d3b-4c6e-9d6a-0b1f2a3c4d5e";
    static final String PORT = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    static final String IFACE = "0b1c2d3e-4f5a-4b6c-8d7e-8f9a0b1c2d3e";

    /** A small Open_vSwitch schema: enough types (sets, maps, enums, references, bounds) to exercise the parsers. */
    public static final String SCHEMA = """
            {"name":"Open_vSwitch","version":"8.3.0","cksum":"1 2","tables":{
             "Open_vSwitch":{"columns":{
               "bridges":{"type":{"key":{"type":"uuid","refTable":"Bridge"},"min":0,"max":"unlimited"}},
               "cur_cfg":{"type":"integer"},"next_cfg":{"type":"integer"}},"isRoot":true,"maxRows":1},
             "Bridge":{"columns":{
               "name":{"type":"string","mutable":false},
               "ports":{"type":{"key":{"type":"uuid","refTable":"Port"},"min":0,"max":"unlimited"}},
               "fail_mode":{"type":{"key":{"type":"string","enum":["set",["secure","standalone"]]},"min":0,"max":1}},
               "external_ids":{"type":{"key":"string","value":"string","min":0,"max":"unlimited"}}},
              "isRoot":true,"indexes":[["name"]]},
             "Port":{"columns":{
               "name":{"type":"string","mutable":false},
               "interfaces":{"type":{"key":{"type":"uuid","refTable":"Interface"},"min":1,"max":"unlimited"}},
               "tag":{"type":{"key":{"type":"integer","minInteger":0,"maxInteger":4095},"min":0,"max":1}},
               "trunks":{"type":{"key":{"type":"integer","minInteger":0,"maxInteger":4095},"min":0,"max":4096}}},
              "indexes":[["name"]]},
             "Interface":{"columns":{
               "name":{"type":"string","mutable":false},
               "type":{"type":"string"},
               "ofport":{"type":{"key":"integer","min":0,"max":1}},
               "admin_state":{"type":{"key":{"type":"string","enum":["set",["down","up"]]},"min":0,"max":1}},
               "link_speed":{"type":{"key":"integer","min":0,"max":1}},
               "ingress_policing_rate":{"type":{"key":{"type":"integer","minInteger":0}}},
               "statistics":{"type":{"key":"string","value":"integer","min":0,"max":"unlimited"}},
               "options":{"type":{"key":"string","value":"string","min":0,"max":"unlimited"}},
               "bfd_status":{"type":{"key":"string","value":"string","min":0,"max":"unlimited"}},
               "mtu":{"type":{"key":"integer","min":0,"max":1}},
               "ratio":{"type":{"key":"real","min":0,"max":1}},
               "up":{"type":{"key":"boolean","min":0,"max":1}}},
              "indexes":[["name"]]}}}""";

    private static final String ROWS = """
            {"Bridge":{"%1$s":{"name":"br0","ports":["set",[["uuid","%2$s"]]],"fail_mode":"secure",
                "external_ids":["map",[["owner","switchboard"],["é","☃"]]]}},
             "Port":{"%2$s":{"name":"p1","interfaces":["uuid","%3$s"],"tag":42,"trunks":["set",[1,2,4095]]}},
             "Interface":{"%3$s":{"name":"p1","type":"system","ofport":1,"admin_state":"up","link_speed":1000000000,
                "ingress_policing_rate":0,"statistics":["map",[["rx_packets",12],["tx_bytes",9007199254740993]]],
                "options":["map",[]],"bfd_status":["map",[]],"mtu":1500,"ratio":0.5,"up":true}}}"""
            .formatted(BRIDGE, PORT, IFACE);

    /** The seeds: notifications, responses and requests, one JSON text each. */
    public static final List<String> MESSAGES = List.of(
            // update2 of monitor_cond: insert, modify (diffs of a set, a map, an optional), delete
            """
            {"method":"update2","params":["%s",%s],"id":null}""".formatted(MONITOR, rows("insert")),
            """
            {"method":"update2","params":["%s",{"Bridge":{"%s":{"modify":{"ports":["set",[["uuid","%s"]]],
              "external_ids":["map",[["owner","other"],["new","1"]]],"fail_mode":["set",[]]}}},
              "Interface":{"%s":{"modify":{"ofport":7,"statistics":["map",[["rx_packets",13]]]}}}}],"id":null}"""
                    .formatted(MONITOR, BRIDGE, PORT, IFACE),
            """
            {"method":"update2","params":["%s",{"Port":{"%s":{"delete":null}},"Interface":{"%s":{"delete":null}}}],"id":null}"""
                    .formatted(MONITOR, PORT, IFACE),
            // update of plain monitor: new and old rows
            """
            {"method":"update","params":["%s",{"Bridge":{"%s":{"new":{"name":"br0","ports":["set",[]],
              "fail_mode":["set",[]],"external_ids":["map",[]]},"old":{"ports":["uuid","%s"]}}}}],"id":null}"""
                    .formatted(MONITOR, BRIDGE, PORT),
            """
            {"method":"locked","params":["switchboard"],"id":null}""",
            """
            {"method":"stolen","params":["switchboard"],"id":null}""",
            """
            {"method":"echo","params":[],"id":"echo"}""",
            """
            {"method":"echo","params":["payload",{"nested":[1,2.5,null,true]}],"id":17}""",
            """
            {"id":"echo","result":[],"error":null}""",
            """
            {"id":3,"result":["Open_vSwitch","_Server"],"error":null}""",
            """
            {"id":4,"result":[{"uuid":["uuid","%s"]},{"count":1},{"rows":[{"name":"br0","_uuid":["uuid","%s"],
              "_version":["uuid","%s"]}]},{}],"error":null}""".formatted(BRIDGE, BRIDGE, PORT),
            """
            {"id":4,"result":[{"error":"constraint violation","details":"Bridge \\"br0\\" exists"},null],"error":null}""",
            """
            {"id":5,"result":{"locked":true},"error":null}""",
            """
            {"id":6,"result":["x"],"error":null}""",
            """
            {"id":3,"error":{"error":"unknown method","details":"no such method"}}""",
            """
            {"id":1,"result":%s,"error":null}""".formatted(SCHEMA),
            """
            {"id":2,"result":%s,"error":null}""".formatted(rows("initial")),
            """
            {"method":"list_dbs","params":[],"id":99}""");

    private JsonFuzzCorpus() {
    }

    /** The rows as table updates of monitor_cond: each row wrapped as {@code {"insert": row}} or {@code {"initial": row}}. */
    private static String rows(String kind) {
        try {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode tables = (ObjectNode) mapper.readTree(ROWS);
            tables.properties().forEach(table -> ((ObjectNode) table.getValue()).properties()
                    .forEach(row -> row.setValue(mapper.createObjectNode().set(kind, row.getValue()))));
            return mapper.writeValueAsString(tables);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
