package dev.switchboard.ovsdb.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The installed Open vSwitch schema, which the tests check the codecs against. */
public final class VswitchSchema {

    public static final Path FILE = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private VswitchSchema() {
    }

    public static JsonNode json() {
        try {
            return MAPPER.readTree(FILE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DatabaseSchema parse() {
        return DatabaseSchema.parse(json());
    }

    /** Parses JSON written with single quotes, which reads better inside Java strings. */
    public static JsonNode json(String singleQuoted) {
        try {
            return MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
