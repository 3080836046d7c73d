package dev.switchboard.controller.flows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.flows.FlowDefinition.Field;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowMod;

/**
 * Reads flow files: the {@code ovs-ofctl add-flows} text format and a JSON equivalent (both in
 * {@code docs/flows.md}). Stateless; safe from any thread.
 *
 * <p>Text: one flow per line, {@code field=value} or shorthand words separated by commas or
 * spaces, then {@code actions=} and the comma-separated actions up to the end of the line.
 * {@code #} starts a comment, on a line of its own or after a flow; blank lines are skipped; a
 * line ending in {@code \} continues on the next (errors name the line the flow starts on); a
 * leading {@code add} is allowed (the {@code --bundle} form of ovs-ofctl).
 *
 * <p>JSON: {@code {"flows": [ {...}, ... ]}} or just the array; each flow an object
 * {@code {"priority": 100, "table": 0, "cookie": "0x1f", "idle_timeout": 0, "hard_timeout": 0,
 * "match": {"in_port": 1, "dl_type": "0x0800", "nw_dst": "10.0.0.0/24", "tcp": true},
 * "actions": ["output:2"]}}: the same names and values as the text format.
 */
public final class FlowFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    // compiled once: a flow file may have 100,000 lines
    private static final Pattern FIELD_SEPARATOR = Pattern.compile("[,\\s]+");
    private static final String ACTIONS = "actions=";
    private static final List<String> FLOW_KEYS = List.of("priority", "table", "cookie", "idle_timeout", "hard_timeout");

    private FlowFiles() {
    }

    /** Text or JSON, told apart by the first character that is not blank ('{' or '[' is JSON). */
    public static List<OFFlowAdd> parse(String content, OFFactory factory) {
        return new FlowModBuilder(factory).build(definitions(content));
    }

    /** As {@link #parse(String, OFFactory)}, as FLOW_MODs of {@code command} (PUT's modify). */
    public static List<OFFlowMod> parse(String content, OFFactory factory, FlowModBuilder.Command command) {
        return new FlowModBuilder(factory).build(definitions(content), command);
    }

    public static List<FlowDefinition> definitions(String content) {
        String trimmed = content.stripLeading();
        return trimmed.startsWith("{") || trimmed.startsWith("[") ? fromJson(content) : fromText(content);
    }

    public static List<FlowDefinition> fromText(String content) {
        List<FlowDefinition> flows = new ArrayList<>();
        try {
            readText(new StringReader(content), flows::add);
        } catch (IOException e) {
            throw new UncheckedIOException("a string cannot fail to read", e);
        }
        return flows;
    }

    /**
     * The text format read line by line: each flow goes to {@code each} as soon as its line is
     * read, so a caller can send it on while later lines still arrive, and nothing holds the whole
     * file. A {@link FlowParseException} (thrown by this method, or by {@code each}) ends the read;
     * the flows handed over before it are the caller's to undo.
     */
    public static void readText(Reader in, Consumer<FlowDefinition> each) throws IOException {
        Lines lines = new Lines(in);
        StringBuilder continued = new StringBuilder();
        int firstLine = 0;
        String raw;
        for (int number = 1; (raw = lines.next()) != null; number++) {
            String line = withoutComment(raw).stripTrailing();
            if (continued.isEmpty()) {
                firstLine = number;
            }
            if (line.endsWith("\\")) {
                // as ovs-ofctl: the backslash and the line break vanish, the next line carries on
                continued.append(line, 0, line.length() - 1);
                continue;
            }
            String flow;
            if (continued.isEmpty()) {
                flow = line.strip();
            } else {
                flow = continued.append(line).toString().strip();
                continued.setLength(0);
            }
            if (!flow.isEmpty()) {
                each.accept(fromLine("line " + firstLine, firstLine, flow));
            }
        }
        if (!continued.isEmpty()) {
            throw new FlowParseException("line " + firstLine, "\\", "the file ends inside a continued line (a line ending in \\)");
        }
    }

    /**
     * Lines split at \n (a \r before it goes too); what follows the last line break is a line
     * only when it is not empty. Unlike {@link java.io.BufferedReader#readLine}, a lone \r stays
     * in its line (where the flow syntax reads it as a blank).
     */
    private static final class Lines {
        private final Reader in;
        private final char[] buffer = new char[64 * 1024];
        private final StringBuilder partial = new StringBuilder();
        private int at;
        private int end;

        Lines(Reader in) {
            this.in = in;
        }

        String next() throws IOException {
            while (true) {
                for (int i = at; i < end; i++) {
                    if (buffer[i] == '\n') {
                        String line;
                        if (partial.isEmpty()) {
                            line = new String(buffer, at, trimCr(at, i) - at);
                        } else {
                            partial.append(buffer, at, i - at);
                            if (!partial.isEmpty() && partial.charAt(partial.length() - 1) == '\r') {
                                partial.setLength(partial.length() - 1);
                            }
                            line = partial.toString();
                            partial.setLength(0);
                        }
                        at = i + 1;
                        return line;
                    }
                }
                partial.append(buffer, at, end - at);
                at = 0;
                end = in.read(buffer);
                if (end < 0) {
                    end = 0;
                    if (partial.isEmpty()) {
                        return null;
                    }
                    String last = partial.toString();
                    partial.setLength(0);
                    return last;
                }
            }
        }

        private int trimCr(int from, int newline) {
            return newline > from && buffer[newline - 1] == '\r' ? newline - 1 : newline;
        }
    }

    /** {@code #} starts a comment, on a line of its own or after a flow (the flow syntax has no {@code #}). */
    private static String withoutComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    /** One line of the text format; {@code where} names it in errors. */
    public static FlowDefinition fromLine(String where, String line) {
        return fromLine(where, 0, line);
    }

    private static FlowDefinition fromLine(String where, int position, String line) {
        String text = line.strip();
        if (text.regionMatches(true, 0, "add ", 0, 4) || text.regionMatches(true, 0, "add\t", 0, 4)) {
            text = text.substring(4).strip();
        }
        int actionsAt = indexOfActions(text);
        if (actionsAt < 0) {
            throw new FlowParseException(where, text.length() > 60 ? text.substring(0, 60) + "…" : text,
                    "no actions= (write actions=drop for a flow that drops)");
        }
        List<Field> fields = fields(where, text.substring(0, actionsAt));
        return new FlowDefinition(where, position, text, fields,
                splitActions(where, text.substring(actionsAt + "actions=".length())));
    }

    /**
     * A match in the text format's syntax, without actions ({@code priority=100,tcp,tp_dst=80}),
     * for modifying or deleting the flows it selects; blank selects every flow.
     */
    public static FlowDefinition match(String where, String text) {
        String match = text == null ? "" : text.strip();
        if (indexOfActions(match) >= 0) {
            throw new FlowParseException(where, "actions=", "a match has no actions");
        }
        return new FlowDefinition(where, 0, match, fields(where, match), List.of());
    }

    private static List<Field> fields(String where, String text) {
        List<Field> fields = new ArrayList<>();
        for (String token : FIELD_SEPARATOR.split(text)) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            if (eq == 0 || eq == token.length() - 1) {
                throw new FlowParseException(where, token, "a field needs a name and a value (name=value)");
            }
            fields.add(eq < 0 ? new Field(token, null) : new Field(token.substring(0, eq), token.substring(eq + 1)));
        }
        return fields;
    }

    /** Where {@code actions=} starts as a field of its own (not inside another word). */
    private static int indexOfActions(String text) {
        for (int at = 0; at + ACTIONS.length() <= text.length(); at++) {
            if (text.regionMatches(true, at, ACTIONS, 0, ACTIONS.length())
                    && (at == 0 || text.charAt(at - 1) == ',' || Character.isWhitespace(text.charAt(at - 1)))) {
                return at;
            }
        }
        return -1;
    }

    /**
     * Commas split actions, except inside parentheses ({@code controller(reason=...)}); a
     * parenthesis left open or closed without an opening one is an error naming the action.
     */
    private static List<String> splitActions(String where, String text) {
        List<String> actions = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                throw new FlowParseException(where, shortened(current.append(c).toString().strip()),
                        "')' without a '(' before it (unbalanced parentheses)");
            }
            if (c == ',' && depth == 0) {
                addAction(where, actions, current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (depth > 0) {
            throw new FlowParseException(where, shortened(current.toString().strip()),
                    depth + " '(' never closed (unbalanced parentheses; an action ends at the end of its line, "
                            + "or continues on the next one after a \\)");
        }
        addAction(where, actions, current.toString());
        if (actions.size() > 1 && actions.contains("drop")) {
            throw new FlowParseException(where, "drop", "drop must be the only action");
        }
        return actions;
    }

    private static String shortened(String token) {
        return token.length() > 60 ? token.substring(0, 60) + "…" : token;
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
            flows.add(fromJson("flow " + (i + 1), i + 1, array.get(i)));
        }
        return flows;
    }

    private static FlowDefinition fromJson(String where, int position, JsonNode flow) {
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
        return new FlowDefinition(where, position, flow.toString(), fields, actions);
    }

    private static String scalar(String where, String key, JsonNode value) {
        if (value.isTextual() || value.isIntegralNumber()) {
            return value.asText();
        }
        throw new FlowParseException(where, key + "=" + value, "a string or an integer");
    }
}
