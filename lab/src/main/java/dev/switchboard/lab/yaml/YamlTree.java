package dev.switchboard.lab.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML document as a tree whose every value knows its line, built from Jackson's YAML
 * token stream (Jackson's own tree forgets lines and turns aliases into their names), within
 * {@link YamlLimits}. Duplicate keys (at any depth) and aliases are problems; so is a second
 * document in the stream. The one YAML reader of lab specs and the server's config.
 */
public final class YamlTree {

    /** A value and the line it starts on. */
    public sealed interface Value permits Mapping, Sequence, Scalar {
        int line();
    }

    /** A mapping; keys in document order, each with the line of its key. */
    public record Mapping(Map<String, Value> entries, Map<String, Integer> keyLines, int line) implements Value {
    }

    /** A sequence. */
    public record Sequence(List<Value> items, int line) implements Value {
    }

    /**
     * A scalar as YAML 1.1 typed it.
     *
     * @param value a {@code String}, {@code Boolean}, integral {@code Number}, {@code Double}, or {@code null}
     */
    public record Scalar(Object value, int line) implements Value {

        /** What YAML made of it, for "wrong type" messages. */
        public String typeName() {
            if (value == null) {
                return "nothing (null)";
            }
            if (value instanceof String) {
                return "text";
            }
            if (value instanceof Boolean) {
                return "a boolean";
            }
            return value instanceof Double ? "a decimal number" : "a whole number";
        }
    }

    /**
     * A parsed document.
     *
     * @param root   the root value, or {@code null} for an empty document
     * @param issues duplicate keys, aliases and further documents, in file order; the tree
     *               keeps a duplicate key's first value and an alias as a null scalar
     */
    public record Document(Value root, List<YamlIssue> issues) {
        public Document {
            issues = List.copyOf(issues);
        }
    }

    private static final YAMLFactory FACTORY = YamlLimits.factory();

    private final List<YamlIssue> issues = new ArrayList<>();

    private YamlTree() {
    }

    /**
     * Parses {@code yaml} within {@link YamlLimits}.
     *
     * @throws YamlException the text is beyond the limits or is not YAML
     */
    public static Document parse(String yaml) throws YamlException {
        YamlLimits.check(yaml);
        YamlTree tree = new YamlTree();
        try (JsonParser parser = FACTORY.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Document(null, List.of());
            }
            Value root;
            JsonToken after;
            try {
                root = tree.read(parser, "");
                after = parser.nextToken();
            } catch (StreamConstraintsException e) {
                throw new YamlException(new YamlIssue("", line(parser), e.getOriginalMessage().contains("nesting depth")
                        ? "nested more than " + YamlLimits.MAX_DEPTH + " levels deep" : "beyond a limit: " + e.getOriginalMessage()));
            }
            if (after != null) {
                tree.issues.add(new YamlIssue("", line(parser), "the file holds more than one YAML document; it must be one document"));
            }
            return new Document(root, tree.issues);
        } catch (JsonProcessingException e) {
            throw new YamlException(syntaxIssue(e));
        } catch (IOException e) {
            throw new YamlException(new YamlIssue("", 0, "cannot read: " + e.getMessage()));
        }
    }

    /** The tree as plain Java values (maps, lists, scalars), for a data binder. */
    public static Object plain(Value value) {
        if (value instanceof Mapping mapping) {
            Map<String, Object> map = new LinkedHashMap<>();
            mapping.entries().forEach((key, child) -> map.put(key, plain(child)));
            return map;
        }
        if (value instanceof Sequence sequence) {
            List<Object> list = new ArrayList<>();
            sequence.items().forEach(item -> list.add(plain(item)));
            return list;
        }
        return value == null ? null : ((Scalar) value).value();
    }

    /**
     * The line of every key path in the tree ({@code openflow.listen[1]}): a mapping entry's
     * is its key's line, an item's its own.
     */
    public static Map<String, Integer> lines(Value root) {
        Map<String, Integer> lines = new HashMap<>();
        if (root != null) {
            lines.put("", root.line());
            addLines(root, "", lines);
        }
        return lines;
    }

    private static void addLines(Value value, String path, Map<String, Integer> lines) {
        if (value instanceof Mapping mapping) {
            mapping.entries().forEach((key, child) -> {
                String childPath = path.isEmpty() ? key : path + "." + key;
                lines.put(childPath, mapping.keyLines().get(key));
                addLines(child, childPath, lines);
            });
        } else if (value instanceof Sequence sequence) {
            for (int i = 0; i < sequence.items().size(); i++) {
                String childPath = path + "[" + i + "]";
                lines.put(childPath, sequence.items().get(i).line());
                addLines(sequence.items().get(i), childPath, lines);
            }
        }
    }

    private Value read(JsonParser parser, String path) throws IOException {
        int line = line(parser);
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            issues.add(new YamlIssue(path, line, "YAML aliases (*" + parser.getText() + ") are not supported; write the value out"));
        }
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Value> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = line(parser);
                    parser.nextToken();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    Value value = read(parser, childPath);
                    if (entries.containsKey(key)) {
                        issues.add(new YamlIssue(childPath, keyLine, "the key " + key + " appears twice (first on line "
                                + keyLines.get(key) + ")"));
                        continue;
                    }
                    entries.put(key, value);
                    keyLines.put(key, keyLine);
                }
                return new Mapping(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(keyLines), line);
            }
            case START_ARRAY -> {
                List<Value> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, path + "[" + items.size() + "]"));
                }
                return new Sequence(List.copyOf(items), line);
            }
            case VALUE_STRING -> {
                return new Scalar(parser.getText(), line);
            }
            case VALUE_NUMBER_INT -> {
                return new Scalar(parser.getNumberValue(), line);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Scalar(parser.getDoubleValue(), line);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(token == JsonToken.VALUE_TRUE, line);
            }
            case VALUE_NULL -> {
                return new Scalar(null, line);
            }
            default -> {
                issues.add(new YamlIssue(path, line, "unsupported YAML value (" + token + ")"));
                parser.skipChildren();
                return new Scalar(null, line);
            }
        }
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

    /**
     * One line out of SnakeYAML's multi-line report ("while parsing…", a snippet, a caret,
     * "expected…"), at the line of its last mark: where the parser gave up.
     */
    private static YamlIssue syntaxIssue(JsonProcessingException e) {
        List<String> parts = new ArrayList<>();
        int line = e.getLocation() != null ? e.getLocation().getLineNr() : 0;
        String column = null;
        for (String text : String.valueOf(e.getOriginalMessage()).split("\n")) {
            Matcher mark = MARK.matcher(text);
            if (text.strip().startsWith("in '") && mark.find()) {
                line = Integer.parseInt(mark.group(1));
                column = mark.group(2);
            } else if (!text.isBlank() && !text.startsWith("    ") && !text.strip().equals("^")) {
                parts.add(text.strip());
            }
        }
        return new YamlIssue("", Math.max(line, 0), "not valid YAML: " + String.join("; ", parts)
                + (column == null ? "" : " (column " + column + ")"));
    }
}
