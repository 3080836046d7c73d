package dev.switchboard.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's JSON object, read field by field: a missing required field, a wrong type, a
 * value out of its pattern and an unknown key are each a 400 naming the field.
 */
final class JsonBody {
    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    /** @param keys the keys the route knows; any other is refused */
    static JsonBody parse(ObjectMapper mapper, String text, Set<String> keys) {
        JsonNode root;
        try {
            root = text == null || text.isBlank() ? null : mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "the body is not JSON: " + PathParams.Printable.of(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("body", "the body must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!keys.contains(name)) {
                throw ApiException.badRequest(name, name + ": unknown key; expected one of " + String.join(", ", keys.stream().sorted().toList()));
            }
        }
        return new JsonBody(root);
    }

    String string(String field, Pattern pattern, String expected, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badRequest(field, field + ": missing; expected " + expected);
            }
            return null;
        }
        if (!node.isTextual() || !pattern.matcher(node.asText()).matches()) {
            throw ApiException.badRequest(field, field + ": expected " + expected + ", found "
                    + PathParams.Printable.of(node.toString()));
        }
        return node.asText();
    }

    List<String> strings(String field, Pattern pattern, String expected) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest(field, field + ": expected a list of " + expected);
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || !pattern.matcher(item.asText()).matches()) {
                throw ApiException.badRequest(field, field + ": expected a list of " + expected + ", found "
                        + PathParams.Printable.of(item.toString()));
            }
            values.add(item.asText());
        }
        return List.copyOf(values);
    }

    Map<String, String> stringMap(String field, Pattern keys, Pattern values) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(field, field + ": expected an object of string values");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!keys.matcher(e.getKey()).matches() || !(e.getValue().isTextual() || e.getValue().isNumber())
                    || !values.matcher(e.getValue().asText()).matches()) {
                throw ApiException.badRequest(field, field + "." + PathParams.Printable.of(e.getKey())
                        + ": expected a key of letters, digits and '_' and a value without spaces or control characters");
            }
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }

    Long number(String field, long min, long max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw ApiException.badRequest(field, field + ": expected a whole number " + min + ".." + max + ", found "
                    + PathParams.Printable.of(node.toString()));
        }
        return node.asLong();
    }

    List<Long> numbers(String field, long min, long max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiException.badRequest(field, field + ": expected a list of whole numbers " + min + ".." + max);
        }
        List<Long> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isIntegralNumber() || item.asLong() < min || item.asLong() > max) {
                throw ApiException.badRequest(field, field + ": expected a list of whole numbers " + min + ".." + max);
            }
            values.add(item.asLong());
        }
        return List.copyOf(values);
    }

    boolean flag(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiException.badRequest(field, field + ": expected true or false");
        }
        return node.asBoolean();
    }
}
