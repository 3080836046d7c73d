package dev.switchboard.lab.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every value knows its line, built from Jackson's YAML
 * token stream (Jackson's own tree forgets lines and turns aliases into their names).
 * Duplicate keys and aliases are problems; so is a second document in the stream.
 */
final class YamlTree {

    /** A value and the line it starts on. */
    sealed interface Value permits Mapping, Sequence, Scalar {
        int line();
    }

    /** A mapping; keys in document order, each with the line of its key. */
    record Mapping(Map<String, Value> entries, Map<String, Integer> keyLines, int line) implements Value {
    }

    /** A sequence. */
    record Sequence(List<Value> items, int line) implements Value {
    }

    /**
     * A scalar as YAML 1.1 typed it.
     *
     * @param value a {@code String}, {@code Boolean}, integral {@code Number}, {@code Double}, or {@code null}
     */
    record Scalar(Object value, int line) implements Value {

        /** What YAML made of it, for "wrong type" messages. */
        String typeName() {
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

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private final List<Problem> problems;

    private YamlTree(List<Problem> problems) {
        this.problems = problems;
    }

    /**
     * Parses {@code yaml}; structural problems (duplicate keys, aliases, several documents)
     * are added to {@code problems}.
     *
     * @return the root value, or {@code null} for an empty document
     * @throws IOException on a YAML syntax error
     */
    static Value parse(String yaml, List<Problem> problems) throws IOException {
        try (JsonParser parser = FACTORY.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            YamlTree tree = new YamlTree(problems);
            Value root = tree.read(parser, "");
            JsonToken after = parser.nextToken();
            if (after != null) {
                problems.add(new Problem("", "the file holds more than one YAML document; a lab is one document")
                        .atLine(line(parser)));
            }
            return root;
        }
    }

    private Value read(JsonParser parser, String path) throws IOException {
        int line = line(parser);
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            problems.add(new Problem(path, "YAML aliases (*" + parser.getText() + ") are not supported; write the value out")
                    .atLine(line));
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
                        problems.add(new Problem(childPath, "the key " + key + " appears twice (first on line "
                                + keyLines.get(key) + ")").atLine(keyLine));
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
                problems.add(new Problem(path, "unsupported YAML value (" + token + ")").atLine(line));
                parser.skipChildren();
                return new Scalar(null, line);
            }
        }
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }
}
