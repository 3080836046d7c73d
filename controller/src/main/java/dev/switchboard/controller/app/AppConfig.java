package dev.switchboard.controller.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An app's section of the configuration file, as the YAML tree it was written in. An app
 * binds it to a record of its own with {@link #bind}; keys are camelCase like the rest of
 * the file, durations are written {@code 500ms}, {@code 10s}, {@code 2m} or {@code 1h}, and a
 * missing key is null for the record's compact constructor to fill with its default.
 *
 * <p>An unknown key, a wrong type, or a value the record's constructor refuses is an
 * {@link IllegalArgumentException} reading {@code FILE:LINE: apps.NAME.KEY: message} (see
 * {@link ConfigSource}). A constructor names the key it refuses by starting its message with
 * it ({@code "priority must be 0..65535: 70000"}). The server binds its own sections the same
 * way, so every config error has one form.
 */
public final class AppConfig {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            // "key:" with nothing after it is an empty string in YAML: where a mapping or list
            // belongs it means "not given", so the default applies
            .withCoercionConfig(LogicalType.Map, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.AsNull))
            .withCoercionConfig(LogicalType.POJO, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.AsNull))
            .withCoercionConfig(LogicalType.Collection, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.AsNull))
            .build();
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final String DURATION_FORM = "a duration like 500ms, 10s, 2m or 1h";
    /** The key a refusing constructor's message starts with: {@code priority}, {@code routes[1].via}. */
    private static final Pattern LEADING_KEY = Pattern.compile("^([A-Za-z][A-Za-z0-9_-]*)((?:\\[\\d+]|\\.[A-Za-z][A-Za-z0-9_-]*)*)(:? )");

    private final String section;
    private final Map<String, Object> tree;
    private final ConfigSource source;

    private AppConfig(String section, Map<String, Object> tree, ConfigSource source) {
        this.section = section;
        this.tree = tree;
        this.source = source;
    }

    /** @param section where the tree came from, for error messages, e.g. {@code apps.routing} */
    public static AppConfig of(String section, Map<String, ?> tree) {
        return of(section, tree, ConfigSource.none());
    }

    /**
     * @param section where the tree came from, e.g. {@code apps.routing}; {@code ""} for a whole file
     * @param source  the file and lines its keys were written on
     */
    public static AppConfig of(String section, Map<String, ?> tree, ConfigSource source) {
        return new AppConfig(section, tree == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tree)),
                source);
    }

    public static AppConfig empty(String section) {
        return of(section, Map.of());
    }

    /**
     * @throws IllegalArgumentException naming the file, line and key that do not fit {@code type}
     */
    public <T> T bind(Class<T> type) {
        return bind(type, bound -> { });
    }

    /**
     * Binds, then runs {@code check} on the result: for checks that must come after binding
     * (Jackson builds a record before it reports unknown keys, and a misspelt key should be
     * reported as such rather than as a missing one).
     *
     * @param check throws {@link IllegalArgumentException} starting with the key it refuses
     * @throws IllegalArgumentException naming the file, line and key at fault
     */
    public <T> T bind(Class<T> type, Consumer<? super T> check) {
        T bound;
        try {
            bound = MAPPER.convertValue(tree, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
        try {
            check.accept(bound);
        } catch (IllegalArgumentException e) {
            throw refused("", type, e.getMessage(), e);
        }
        return bound;
    }

    /** An error at {@code key} of this section: {@code FILE:LINE: SECTION.KEY: message}. */
    public IllegalArgumentException error(String key, String message) {
        return new IllegalArgumentException(source.describe(keyPath(key), message));
    }

    private String keyPath(String key) {
        if (section.isEmpty()) {
            return key;
        }
        return key.isEmpty() ? section : key.startsWith("[") ? section + key : section + "." + key;
    }

    private String describe(IllegalArgumentException e) {
        if (!(e.getCause() instanceof JsonMappingException mapping)) {
            return source.describe(section, e.getMessage());
        }
        String path = path(mapping.getPath());
        if (mapping instanceof UnrecognizedPropertyException unknown) {
            return source.describe(keyPath(path), "unknown key; expected one of " + unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        }
        if (mapping instanceof ValueInstantiationException refused && refused.getType() != null) {
            return refused(path, refused.getType().getRawClass(), rootCause(refused).getMessage(), e).getMessage();
        }
        if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return source.describe(keyPath(path), "expected " + expected(mismatch.getTargetType()) + ", found "
                    + found(mapping.getPath()));
        }
        Throwable root = rootCause(mapping);
        String why = root instanceof JsonMappingException m ? m.getOriginalMessage() : root.getMessage();
        return source.describe(keyPath(path), why);
    }

    /**
     * A value refused by a record's constructor or check: at the key its message starts with
     * when that names one of the record's components, else at the record itself.
     */
    private IllegalArgumentException refused(String recordPath, Class<?> type, String message, Throwable cause) {
        String text = String.valueOf(message);
        Matcher key = LEADING_KEY.matcher(text);
        if (type.isRecord() && key.find() && Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName).anyMatch(key.group(1)::equals)) {
            String inRecord = key.group(1) + key.group(2);
            String keyPath = recordPath.isEmpty() ? inRecord : recordPath + "." + inRecord;
            String rest = key.group(3).equals(": ") ? text.substring(key.end()) : text;
            return new IllegalArgumentException(source.describe(keyPath(keyPath), rest), cause);
        }
        return new IllegalArgumentException(source.describe(keyPath(recordPath), text), cause);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** What was written at the path, in the user's words. */
    private String found(List<JsonMappingException.Reference> refs) {
        Object value = tree;
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null && value instanceof Map<?, ?> map) {
                value = map.get(ref.getFieldName());
            } else if (ref.getIndex() >= 0 && value instanceof List<?> list && ref.getIndex() < list.size()) {
                value = list.get(ref.getIndex());
            } else {
                return "something else";
            }
        }
        if (value == null) {
            return "nothing (null)";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof Collection<?>) {
            return "a list";
        }
        if (value instanceof Boolean) {
            return "a boolean (" + value + ")";
        }
        if (value instanceof Number) {
            return "a number (" + value + ")";
        }
        String text = value.toString();
        return "text '" + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "'";
    }

    private static String expected(Class<?> type) {
        if (type == Duration.class) {
            return DURATION_FORM;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "text";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping";
    }

    /** Durations as people write them in config files: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not " + DURATION_FORM);
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken().isNumeric()) {
                return Duration.ofSeconds(parser.getLongValue());
            }
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (Duration) context.handleUnexpectedToken(Duration.class, parser); // a list, a mapping: "expected … found"
            }
            try {
                return parseDuration(parser.getText());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage());
            }
        }
    }

    /** The section as written (a read-only tree of maps, lists and scalars), e.g. for the REST API's app list. */
    public Map<String, Object> settings() {
        return tree;
    }

    @Override
    public String toString() {
        return section + tree;
    }
}
