package dev.switchboard.controller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding errors name file, line and key, in the form lab specs use ({@code FILE:LINE: KEY.PATH: message}). */
class AppConfigTest {

    record Settings(Duration idleTimeout, Integer priority, List<String> names) {
        Settings {
            if (priority != null && (priority < 0 || priority > 65535)) {
                throw new IllegalArgumentException("priority must be 0..65535: " + priority);
            }
        }
    }

    record Nested(List<Settings> rules) {
    }

    private static final ConfigSource FILE = new ConfigSource("sb.yaml", Map.of(
            "apps", 3, "apps.x", 4, "apps.x.idleTimeout", 5, "apps.x.priority", 6, "apps.x.rules", 7,
            "apps.x.rules[0]", 8, "apps.x.rules[0].idleTimeout", 8));

    @Test
    void aListWhereADurationBelongsIsAnErrorNamingTheKeyNotANullPointer() {
        // was: "apps.x: Cannot invoke "String.trim()" because "text" is null"
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of("idleTimeout", List.of("1s", "2s")), FILE).bind(Settings.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sb.yaml:5: apps.x.idleTimeout: expected a duration like 500ms, 10s, 2m or 1h, found a list");
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of("idleTimeout", Map.of("a", 1)), FILE).bind(Settings.class))
                .hasMessage("sb.yaml:5: apps.x.idleTimeout: expected a duration like 500ms, 10s, 2m or 1h, found a mapping");
    }

    @Test
    void wrongTypesNameFileLineAndKey() {
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of("priority", List.of(1)), FILE).bind(Settings.class))
                .hasMessage("sb.yaml:6: apps.x.priority: expected a whole number, found a list");
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of("names", "a"), FILE).bind(Settings.class))
                .hasMessageStartingWith("sb.yaml:4: apps.x.names: expected a list, found text 'a'");
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of("rules", List.of(Map.of("idleTimeout", "soon"))), FILE)
                .bind(Nested.class))
                .hasMessage("sb.yaml:8: apps.x.rules[0].idleTimeout: 'soon' is not a duration like 500ms, 10s, 2m or 1h");
    }

    @Test
    void unknownKeysListTheKnownOnes() {
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of("idle", "1s"), FILE).bind(Settings.class))
                .hasMessage("sb.yaml:4: apps.x.idle: unknown key; expected one of idleTimeout, names, priority");
    }

    @Test
    void aRefusingConstructorIsReportedAtTheKeyItNames() {
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of("priority", 70000), FILE).bind(Settings.class))
                .hasMessage("sb.yaml:6: apps.x.priority: priority must be 0..65535: 70000");
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of(), FILE).bind(Settings.class, s -> {
            throw new IllegalArgumentException("names[2]: missing");
        })).hasMessage("sb.yaml:4: apps.x.names[2]: missing");
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of(), FILE).bind(Settings.class, s -> {
            throw new IllegalArgumentException("something is off");
        })).hasMessage("sb.yaml:4: apps.x: something is off");
    }

    @Test
    void withoutAFileErrorsNameTheKey() {
        assertThatThrownBy(() -> AppConfig.of("apps.x", Map.of("priority", "high")).bind(Settings.class))
                .hasMessage("apps.x.priority: expected a whole number, found text 'high'");
        assertThat(AppConfig.of("apps.x", Map.of("idleTimeout", "2m", "priority", 7)).bind(Settings.class))
                .isEqualTo(new Settings(Duration.ofMinutes(2), 7, null));
    }

    @Test
    void aKeyNotInTheFileTakesItsParentsLine() {
        assertThat(FILE.line("apps.x.rules[3].priority")).isEqualTo(7);
        assertThat(FILE.line("ovsdb")).isZero();
        assertThat(FILE.describe("apps.x.rules[3].priority", "bad")).isEqualTo("sb.yaml:7: apps.x.rules[3].priority: bad");
    }
}
