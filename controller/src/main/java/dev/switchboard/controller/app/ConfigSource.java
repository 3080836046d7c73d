package dev.switchboard.controller.app;

import java.util.Map;
import java.util.Objects;

/**
 * Where configuration keys were written: a file and the line of every key path in it, so an
 * error reads {@code FILE:LINE: KEY.PATH: message} (the form lab specs use too).
 *
 * @param file  the file's name as the user gave it, or {@code null} for settings not from a file
 * @param lines the line of each key path ({@code apps.routing.interfaces[0].gateway}); a path
 *              not written in the file (a missing key) takes the line of its nearest parent
 */
public record ConfigSource(String file, Map<String, Integer> lines) {

    public ConfigSource {
        lines = Map.copyOf(Objects.requireNonNull(lines, "lines"));
    }

    /** Settings that did not come from a file: errors name the key only. */
    public static ConfigSource none() {
        return new ConfigSource(null, Map.of());
    }

    /** {@code FILE:LINE: KEY.PATH: message}, leaving out what is unknown. */
    public String describe(String keyPath, String message) {
        StringBuilder where = new StringBuilder();
        if (file != null) {
            where.append(file);
            int line = line(keyPath);
            if (line > 0) {
                where.append(':').append(line);
            }
            where.append(": ");
        }
        if (!keyPath.isEmpty()) {
            where.append(keyPath).append(": ");
        }
        return where.append(message).toString();
    }

    /** The line of the key, or of its nearest parent written in the file; 0 when none is. */
    public int line(String keyPath) {
        String path = keyPath;
        while (true) {
            Integer line = lines.get(path);
            if (line != null) {
                return line;
            }
            if (path.isEmpty()) {
                return 0;
            }
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            path = cut < 0 ? "" : path.substring(0, cut);
        }
    }
}
