package dev.switchboard.controller.flows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.flows.FlowDefinition.Field;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;

/**
 * Reads flow files: the {@code ovs-ofctl add-flows} text format and a JSON equivalent (both in
 * {@code docs/flows.md}). Stateless; safe from any thread.
 *
 * <p>Text: one flow per line, {@code field=value} or shorthand words separated by commas or
 * spaces, then {@code actions=} and the comma-separated actions up to the end of the line.
 * {@code #} starts a comment line; blank lines are skipped; a leading {@code add} is allowed (the
 * {@code --bundle} form of ovs-ofctl).
 *
 * <p>JSON: {@code {"flows": [ {...}, ... ]}} or just the array; each flow an object
 * {@code {"priority": 100, "table": 0, "cookie": "0x1f", "idle_timeout": 0, "hard_timeout": 0,
 * "match": {"in_port": 1, "dl_type": "0x0800", "nw_dst": "10.0.0.0/24", "tcp": true},
 * "actions": ["output:2"]}}: the same names and values as the text format.
 */
public final class FlowFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FLOW_KEYS = List.of("priority", "table", "cookie", "idle_timeout", "hard_timeout");

    private FlowFiles() {
    }

    /** Text or JSON, told apart by the first character that is not blank ('{' or '[' is JSON). */
    public static List<OFFlowAdd> parse(String content, OFFactory factory) {
        return new FlowModBuilder(factory).build(definitions(content));
    }

    public static List<FlowDefinition> definitions(String content) {
        String trimmed = content.stripLeading();
        return trimmed.startsWith("{") || trimmed.startsWith("[") ? fromJson(content) : fromText(content);
    }

    public static List<FlowDefinition> fromText(String content) {
        List<FlowDefinition> flows = new ArrayList<>();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            flows.add(fromLine("line " + (i + 1), line));
        }
        return flows;
    }

    /** One line of the text format; {@code where} names it in errors. */
    public static FlowDefinition fromLine(String where, String line) {
        String text = line.strip();
        if (text.regionMatches(true, 0, "add ", 0, 4) || text.regionMatches(true, 0, "add\t", 0, 4)) {
            text = text.substring(4).strip();
        }
        int actionsAt = indexOfActions(text);
        if (actionsAt < 0) {
            throw new FlowParseException(where, text.length() > 60 ? text.substring(0, 60) + "…" : text,
                    "no actions= (write actions=drop for a flow that drops)");
        }
        List<Field> fields = new ArrayList<>();
        for (String token : text.substring(0, actionsAt).split("[,\\s]+")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            if (eq == 0 || eq == token.length() - 1) {
                throw new FlowParseException(where, token, "a field needs a name and a value (name=value)");
            }
            fields.add(eq < 0 ? new Field(token, null) : new Field(token.substring(0, eq), token.substring(eq + 1)));
        }
        return new FlowDefinition(where, fields, splitActions(where, text.substring(actionsAt + "actions=".length())));
    }

    /** Where {@code actions=} starts as a field of its own (not inside another word). */
    private static int indexOfActions(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int from = 0;
        while (true) {
            int at = lower.indexOf("actions=", from);
            if (at <= 0 || lower.charAt(at - 1) == ',' || Character.isWhitespace(lower.charAt(at - 1))) {
                return at;
            }
            from = at + 1;
        }
    }

    /** Commas split actions, except inside parentheses ({@code controller(reason=...)}). */
    private static List<String> splitActions(String where, String text) {
        List<String> actions = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                addAction(where, actions, current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        addAction(where, actions, current.toString());
        if (actions.size() > 1 && actions.contains("drop")) {
            throw new FlowParseException(where, "drop", "drop must be the only action");
        }
        return actions;
    }

    private static void addAction(String where, List<String> actions, String action) {
        String trimmed = action.strip();
        if (!trimmed.isEmpty()) {
            actions.add(trimmed);
        } else if (!actions.isEmpty()) {
            throw new FlowParseException(where, "", "an empty action between commas");
        }
    }

    public static List<FlowDefinition> fromJson(String content) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new FlowParseException("JSON line " + e.getLocation().getLineNr(), e.getOriginalMessage(), "not JSON");
        }
        JsonNode array = root.isObject() ? root.get("flows") : root;
        if (array == null || !array.isArray()) {
            throw new FlowParseException("JSON", root.isObject() ? "{...}" : root.getNodeType().toString(),
                    "expected {\"flows\": [...]} or an array of flows");
        }
        List<FlowDefinition> flows = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            flows.add(fromJson("flow " + (i + 1), array.get(i)));
        }
        return flows;
    }

    private static FlowDefinition fromJson(String where, JsonNode flow) {
        if (!flow.isObject()) {
            throw new FlowParseException(where, flow.toString(), "a flow is an object");
        }
        List<Field> fields = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        boolean hasActions = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = flow.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (FLOW_KEYS.contains(key)) {
                fields.add(new Field(key, scalar(where, key, value)));
            } else if (key.equals("match")) {
                if (!value.isObject()) {
                    throw new FlowParseException(where, "match", "an object of field names to values");
                }
                for (Iterator<Map.Entry<String, JsonNode>> m = value.fields(); m.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = m.next();
                    if (field.getValue().isBoolean()) {
                        if (field.getValue().booleanValue()) {
                            fields.add(new Field(field.getKey(), null)); // "tcp": true is the shorthand tcp
                        }
                    } else {
                        fields.add(new Field(field.getKey(), scalar(where, field.getKey(), field.getValue())));
                    }
                }
            } else if (key.equals("actions")) {
                hasActions = true;
                if (value.isTextual()) {
                    actions.addAll(splitActions(where, value.textValue()));
                } else if (value.isArray()) {
                    for (JsonNode action : value) {
                        if (!action.isTextual()) {
                            throw new FlowParseException(where, action.toString(), "an action is a string such as \"output:2\"");
                        }
                        actions.add(action.textValue().strip());
                    }
                } else {
                    throw new FlowParseException(where, "actions", "a list of strings such as [\"output:2\"]");
                }
            } else {
                throw new FlowParseException(where, key, "unknown key (flow keys: " + FLOW_KEYS + ", match, actions)");
            }
        }
        if (!hasActions) {
            throw new FlowParseException(where, "actions", "missing (write [] or [\"drop\"] for a flow that drops)");
        }
        actions.removeIf(action -> action.equals("drop"));
        return new FlowDefinition(where, fields, actions);
    }

    private static String scalar(String where, String key, JsonNode value) {
        if (value.isTextual() || value.isIntegralNumber()) {
            return value.asText();
        }
        throw new FlowParseException(where, key + "=" + value, "a string or an integer");
    }
}
