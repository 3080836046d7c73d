package dev.switchboard.controller.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An app's section of the configuration file, as the YAML tree it was written in. An app
 * binds it to a record of its own with {@link #bind}; keys are camelCase like the rest of
 * the file, durations are written {@code 500ms}, {@code 10s}, {@code 2m} or {@code 1h}, an
 * unknown key or a wrong type is an error naming the key, and a missing key is null for
 * the record's compact constructor to fill with its default.
 */
public final class AppConfig {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .build();
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final String section;
    private final Map<String, Object> tree;

    private AppConfig(String section, Map<String, Object> tree) {
        this.section = section;
        this.tree = tree;
    }

    /** @param section where the tree came from, for error messages, e.g. {@code apps.routing} */
    public static AppConfig of(String section, Map<String, ?> tree) {
        return new AppConfig(section, tree == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tree)));
    }

    public static AppConfig empty(String section) {
        return of(section, Map.of());
    }

    /**
     * @throws IllegalArgumentException naming the section and key that do not fit {@code type}
     */
    public <T> T bind(Class<T> type) {
        try {
            return MAPPER.convertValue(tree, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(section + ": " + describe(e), e);
        }
    }

    private static String describe(IllegalArgumentException e) {
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            return "unknown key '" + path(unknown) + "' (known: " + unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            String path = path(mapping);
            Throwable root = mapping;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String why = root instanceof JsonMappingException m ? m.getOriginalMessage() : root.getMessage();
            return path.isEmpty() ? why : "bad value at '" + path + "': " + why;
        }
        return e.getMessage();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** Durations as people write them in config files: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 10s, 2m or 1h");
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
            try {
                return parseDuration(parser.getValueAsString());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return section + tree;
    }
}
