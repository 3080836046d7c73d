package dev.switchboard.lab.yaml;

import java.util.Objects;

/**
 * One thing wrong with a YAML document itself (rather than with what it describes).
 *
 * @param path    the key path of the offending value, e.g. {@code links[1].a}; {@code ""} for the document
 * @param line    the 1-based line, or 0 when the problem has none (the file is too large, not UTF-8)
 * @param message what is wrong
 */
public record YamlIssue(String path, int line, String message) {

    public YamlIssue {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code SOURCE:LINE: PATH: MESSAGE}, leaving out the line and path when there are none. */
    public String format(String source) {
        return source + (line > 0 ? ":" + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
