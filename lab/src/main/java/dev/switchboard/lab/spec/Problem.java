package dev.switchboard.lab.spec;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One thing wrong with a lab spec.
 *
 * @param path    the YAML key path of the offending value, e.g. {@code links[1].a.addresses[0]}
 *                or {@code hosts.net0.gateway}; {@code ""} for the document itself
 * @param message what is wrong, naming the object and, where it helps, the fix
 * @param line    the 1-based line in the YAML source, when the spec was loaded from YAML
 */
public record Problem(String path, String message, OptionalInt line) {

    public Problem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(line, "line");
    }

    /** A problem without a line. */
    public Problem(String path, String message) {
        this(path, message, OptionalInt.empty());
    }

    Problem atLine(int newLine) {
        return new Problem(path, message, OptionalInt.of(newLine));
    }

    /** {@code path: message}, or the message alone when there is no path. */
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
