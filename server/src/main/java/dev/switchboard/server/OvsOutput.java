package dev.switchboard.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ovsdb.vswitch.Views.BridgeView;
import dev.switchboard.ovsdb.vswitch.Views.ControllerView;
import dev.switchboard.ovsdb.vswitch.Views.InterfaceView;
import dev.switchboard.ovsdb.vswitch.Views.PortView;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@code switchboard ovs} prints: the text a person reads, laid out and quoted as
 * {@code ovs-vsctl show} does, and the JSON a script reads ({@code --json}), whose members
 * are the OVSDB column names. Stateless.
 */
final class OvsOutput {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** A string OVS prints without quotes: an identifier-like word (its {@code string_needs_quotes}). */
    private static final Pattern BARE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final String INDENT = "    ";

    private OvsOutput() {
    }

    /** What {@code show} prints, as text. */
    static String showText(List<BridgeView> bridges, List<String> managers, Optional<String> ovsVersion) {
        StringBuilder text = new StringBuilder();
        for (String manager : managers) {
            line(text, 0, "Manager " + quote(manager));
        }
        for (BridgeView bridge : bridges) {
            line(text, 0, "Bridge " + quote(bridge.name()));
            for (ControllerView controller : sortedControllers(bridge)) {
                line(text, 1, "Controller " + quote(controller.target()));
                line(text, 2, "is_connected: " + controller.connected());
            }
            bridge.failMode().ifPresent(mode -> line(text, 1, "fail_mode: " + quote(mode)));
            if (!bridge.datapathType().isEmpty()) {
                line(text, 1, "datapath_type: " + quote(bridge.datapathType()));
            }
            if (!bridge.protocols().isEmpty()) {
                line(text, 1, "protocols: " + set(bridge.protocols()));
            }
            for (PortView port : sortedPorts(bridge)) {
                line(text, 1, "Port " + quote(port.name()));
                port.tag().ifPresent(tag -> line(text, 2, "tag: " + tag));
                if (!port.trunks().isEmpty()) {
                    line(text, 2, "trunks: " + set(port.trunks()));
                }
                for (InterfaceView iface : sortedInterfaces(port)) {
                    line(text, 2, "Interface " + quote(iface.name()));
                    if (!iface.type().isEmpty()) {
                        line(text, 3, "type: " + quote(iface.type()));
                    }
                    if (!iface.options().isEmpty()) {
                        line(text, 3, "options: " + map(iface.options()));
                    }
                    iface.ofport().ifPresent(ofport -> line(text, 3, "ofport: " + ofport));
                    iface.error().ifPresent(error -> line(text, 3, "error: " + quote(error)));
                }
            }
        }
        ovsVersion.ifPresent(version -> line(text, 0, "ovs_version: " + quote(version)));
        return text.toString();
    }

    /**
     * What {@code show --json} prints: {@code {"bridges": [...], "managers": [...],
     * "ovs_version": ...}}, absent optional values as null.
     */
    static ObjectNode showJson(List<BridgeView> bridges, List<String> managers, Optional<String> ovsVersion) {
        ObjectNode json = JSON.objectNode();
        ArrayNode bridgesJson = json.putArray("bridges");
        for (BridgeView bridge : bridges) {
            bridgesJson.add(bridgeJson(bridge));
        }
        json.set("managers", strings(managers));
        json.put("ovs_version", ovsVersion.orElse(null));
        return json;
    }

    static ObjectNode bridgeJson(BridgeView bridge) {
        ObjectNode json = JSON.objectNode();
        json.put("name", bridge.name());
        json.put("uuid", bridge.uuid().toString());
        json.put("datapath_type", bridge.datapathType());
        json.put("datapath_id", bridge.datapathId().orElse(null));
        json.put("fail_mode", bridge.failMode().orElse(null));
        json.set("protocols", strings(new TreeSet<>(bridge.protocols())));
        json.set("other_config", stringMap(bridge.otherConfig()));
        json.set("external_ids", stringMap(bridge.externalIds()));
        ArrayNode controllers = json.putArray("controllers");
        for (ControllerView controller : sortedControllers(bridge)) {
            controllers.addObject().put("target", controller.target()).put("is_connected", controller.connected());
        }
        ArrayNode ports = json.putArray("ports");
        for (PortView port : sortedPorts(bridge)) {
            ports.add(portJson(port));
        }
        return json;
    }

    static ObjectNode portJson(PortView port) {
        ObjectNode json = JSON.objectNode();
        json.put("name", port.name());
        json.put("uuid", port.uuid().toString());
        json.put("tag", port.tag().orElse(null));
        ArrayNode trunks = json.putArray("trunks");
        new TreeSet<>(port.trunks()).forEach(trunks::add);
        ArrayNode interfaces = json.putArray("interfaces");
        for (InterfaceView iface : sortedInterfaces(port)) {
            ObjectNode ifaceJson = interfaces.addObject();
            ifaceJson.put("name", iface.name());
            ifaceJson.put("uuid", iface.uuid().toString());
            ifaceJson.put("type", iface.type());
            ifaceJson.set("options", stringMap(iface.options()));
            ifaceJson.put("ofport", iface.ofport().orElse(null));
            ifaceJson.put("error", iface.error().orElse(null));
        }
        return json;
    }

    /** The ports {@code list-ports} names: all but the bridge's own (local) port, as {@code ovs-vsctl}. */
    static List<String> portNames(BridgeView bridge) {
        return bridge.ports().stream().map(PortView::name).filter(name -> !name.equals(bridge.name())).sorted().toList();
    }

    static ArrayNode strings(Collection<String> values) {
        ArrayNode array = JSON.arrayNode();
        values.forEach(array::add);
        return array;
    }

    /** JSON as printed: indented, ending in a newline. */
    static String print(JsonNode json) {
        try {
            return MAPPER.writeValueAsString(json) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON", e);
        }
    }

    /** {@code value} as OVS prints a string atom: bare if it is a word, else in double quotes with escapes. */
    static String quote(String value) {
        if (BARE.matcher(value).matches() && !value.equals("true") && !value.equals("false")) {
            return value;
        }
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot quote a string", e);
        }
    }

    /** A map as OVS prints it: {@code {key="42", remote_ip="127.0.0.2"}}, keys in order. */
    static String map(Map<String, String> map) {
        return new TreeMap<>(map).entrySet().stream()
                .map(e -> quote(e.getKey()) + "=" + quote(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** A set as OVS prints it: {@code [1, 2]}, elements in order. */
    static String set(Collection<?> values) {
        return new TreeSet<>(values).stream()
                .map(v -> v instanceof String s ? quote(s) : String.valueOf(v))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static List<ControllerView> sortedControllers(BridgeView bridge) {
        return bridge.controllers().stream().sorted(Comparator.comparing(ControllerView::target)).toList();
    }

    private static List<PortView> sortedPorts(BridgeView bridge) {
        return bridge.ports().stream().sorted(Comparator.comparing(PortView::name)).toList();
    }

    private static List<InterfaceView> sortedInterfaces(PortView port) {
        return port.interfaces().stream().sorted(Comparator.comparing(InterfaceView::name)).toList();
    }

    private static ObjectNode stringMap(Map<String, String> map) {
        ObjectNode json = JSON.objectNode();
        new TreeMap<>(map).forEach(json::put);
        return json;
    }

    private static void line(StringBuilder text, int depth, String content) {
        text.append(INDENT.repeat(depth)).append(content).append(System.lineSeparator());
    }
}
