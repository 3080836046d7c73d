package dev.switchboard.it;

import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.server.SwitchboardConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Set-up steps several integration tests share: a config from YAML text, a host in a namespace. */
final class TestSetup {
    private static final Duration IP_PATIENCE = Duration.ofSeconds(60);

    private TestSetup() {
    }

    /** The config the YAML text describes, read as the server reads its file. */
    static SwitchboardConfig config(String yaml) throws Exception {
        Path file = Files.createTempFile("sb-config", ".yaml");
        try {
            Files.writeString(file, yaml);
            return SwitchboardConfig.load(file);
        } finally {
            Files.delete(file);
        }
    }

    /** A namespace with {@code address} on one end of a veth; the other end, {@code veth}, stays in the root namespace, up. */
    static void hostBehind(String namespace, String veth, String address) {
        ip("netns", "add", namespace);
        ip("link", "add", veth, "type", "veth", "peer", "name", veth + "i");
        ip("link", "set", veth + "i", "netns", namespace);
        ip("-n", namespace, "addr", "add", address, "dev", veth + "i");
        ip("-n", namespace, "link", "set", veth + "i", "up");
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("link", "set", veth, "up");
    }

    /** Runs {@code ip ARGS}, failing the test if it fails. */
    static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Commands.check(command, Map.of(), IP_PATIENCE);
    }
}
