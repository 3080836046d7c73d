package dev.switchboard.server;

import dev.switchboard.server.SwitchboardConfig.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The config section tests' files: {@code sb.yaml} in a test's directory, and what a bad one is refused with. */
record ConfigFiles(Path dir) {

    Path file(String yaml) throws IOException {
        Path file = dir.resolve("sb.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** The refusal of {@code yaml}, its path shortened to {@code sb.yaml}; fails the test if it is accepted. */
    String error(String yaml) throws IOException {
        Path file = file(yaml);
        try {
            SwitchboardConfig.load(file);
        } catch (ConfigException e) {
            return e.getMessage().replace(file.toString(), "sb.yaml");
        }
        throw new AssertionError("accepted: " + yaml);
    }
}
