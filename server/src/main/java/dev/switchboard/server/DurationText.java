package dev.switchboard.server;

import dev.switchboard.controller.app.AppConfig;
import java.time.Duration;

/** Durations as people write them in config files: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; the apps' rule. */
final class DurationText {

    private DurationText() {
    }

    static Duration parse(String text) {
        return AppConfig.parseDuration(text);
    }
}
