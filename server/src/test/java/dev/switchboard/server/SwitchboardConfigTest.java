package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.switchboard.apps.l2.L2LearningConfig;
import dev.switchboard.server.SwitchboardConfig.ConfigException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every config error names file, line and key; pathological YAML is refused at once. */
class SwitchboardConfigTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return new ConfigFiles(dir).file(yaml);
    }

    private String error(String yaml) throws IOException {
        return new ConfigFiles(dir).error(yaml);
    }

    @Test
    void aBadDurationNamesFileLineAndKey() throws IOException {
        // was: "FILE: 'banana' is not a duration like 500ms, 10s, 2m or 1h" (no line, no key)
        assertThat(error("""
                openflow:
                  listen: ["127.0.0.1:6653"]
                  handshakeTimeout: banana
                """)).isEqualTo("sb.yaml:3: openflow.handshakeTimeout: 'banana' is not a duration like 500ms, 10s, 2m or 1h");
        assertThat(error("openflow:\n  echoInterval: [5s]\n"))
                .isEqualTo("sb.yaml:2: openflow.echoInterval: expected text, found a list");
    }

    @Test
    void duplicateKeysAreRefusedAtEveryDepth() throws IOException {
        // was: accepted, the second value silently winning
        assertThat(error("""
                openflow:
                  listen: ["127.0.0.1:6653"]
                apps:
                  l2-learning: {}
                openflow:
                  listen: ["127.0.0.1:6654"]
                """)).isEqualTo("sb.yaml:5: openflow: the key openflow appears twice (first on line 1)");
        assertThat(error("""
                openflow:
                  echoInterval: 5s
                  echoInterval: 6s
                apps:
                  routing:
                    interfaces: [{gateway: 10.0.1.1/24, gateway: 10.0.2.1/24}]
                """)).isEqualTo("sb.yaml:3: openflow.echoInterval: the key echoInterval appears twice (first on line 2)\n"
                + "sb.yaml:6: apps.routing.interfaces[0].gateway: the key gateway appears twice (first on line 6)");
    }

    @Test
    void unknownKeysAndWrongTypesNameTheirLine() throws IOException {
        assertThat(error("openflow:\n  listen: [\"127.0.0.1:6653\"]\n  handshakeTimout: 5s\n"))
                .startsWith("sb.yaml:3: openflow.handshakeTimout: unknown key; expected one of echoInterval, ")
                .contains(" handshakeTimeout, listen, ");
        assertThat(error("\n\nopenflow:\n  maxMissedEchoes: many\n"))
                .isEqualTo("sb.yaml:4: openflow.maxMissedEchoes: expected a whole number, found text 'many'");
        assertThat(error("openflow:\n  maxMissedEchoes: 0\n"))
                .isEqualTo("sb.yaml:2: openflow.maxMissedEchoes: maxMissedEchoes must be at least 1, was 0");
        assertThat(error("openflow:\n  listen:\n    - 127.0.0.1:6653\n    - 127.0.0.1:http\n"))
                .isEqualTo("sb.yaml:4: openflow.listen[1]: '127.0.0.1:http' is not an address like 0.0.0.0:6653");
        assertThat(error("openflow:\n  versions: [\"1.3\", \"2.0\"]\n"))
                .startsWith("sb.yaml:2: openflow.versions[1]: unknown OpenFlow version '2.0'");
        assertThat(error("openflow:\n  versions: [\"1.0\", \"1.1\"]\n"))
                .startsWith("sb.yaml:2: openflow.versions[1]: OpenFlow 1.1 ('1.1') is not supported: openflowj cannot"
                        + " build 1.1 matches");
        assertThat(error("ovsdb:\n  connect:\n    - unix:/run/db.sock\n    - ptcp:6640\n"))
                .isEqualTo("sb.yaml:4: ovsdb.connect[1]: 'ptcp:6640' is passive; put it under ovsdb.listen");
        assertThat(error("ovsdb:\n  bridges:\n    - datapathType: netdev\n"))
                .isEqualTo("sb.yaml:3: ovsdb.bridges[0]: every bridge under ovsdb.bridges needs a name");
        assertThat(error("- openflow\n")).isEqualTo("sb.yaml:1: the file must be a mapping of sections (openflow, ovsdb, apps, rest, cluster)");
        assertThat(error("openflow: {listen: [\n")).startsWith("sb.yaml:2: not valid YAML: ");
    }

    @Test
    void anAppSettingOfTheWrongShapeNamesFileLineAndKeyNotANullPointer() throws IOException {
        SwitchboardConfig config = SwitchboardConfig.load(file("""
                apps:
                  l2-learning:
                    priority: 10
                    idleTimeout: [30s, 60s]
                """));
        // was: "apps.l2-learning: Cannot invoke "String.trim()" because "text" is null"
        assertThatThrownBy(() -> config.appConfig("l2-learning").bind(L2LearningConfig.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.resolve("sb.yaml") + ":4: apps.l2-learning.idleTimeout: expected a duration like 500ms, 10s,"
                        + " 2m or 1h, found a list");
        SwitchboardConfig refused = SwitchboardConfig.load(file("apps:\n  l2-learning:\n    priority: 70000\n"));
        assertThatThrownBy(() -> refused.appConfig("l2-learning").bind(L2LearningConfig.class))
                .hasMessage(dir.resolve("sb.yaml") + ":3: apps.l2-learning.priority: priority must be 0..65535: 70000");
        assertThatThrownBy(() -> SwitchboardConfig.load(file("apps:\n  routing: [1, 2]\n")))
                .hasMessage(dir.resolve("sb.yaml") + ":2: apps.routing: expected a mapping, found a list");
    }

    @Test
    void aGoodFileStillBinds() throws IOException {
        SwitchboardConfig config = SwitchboardConfig.load(file("""
                # comment
                openflow:
                  listen: ["127.0.0.1:6653"]
                  handshakeTimeout: 3s
                  versions: ["1.3", OpenFlow15]
                ovsdb:
                  connect: ["unix:/run/db.sock"]
                  bridges:
                    - {name: br0, failMode: secure}
                apps:
                  l2-learning:
                  routing:
                    interfaces: [{gateway: 10.0.1.1/24}]
                """));
        assertThat(config.controllerConfig().build().handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.ovsdb().bridges()).singleElement().satisfies(b -> assertThat(b.failMode()).isEqualTo("secure"));
        assertThat(config.apps().keySet()).containsExactly("l2-learning", "routing");
        assertThat(config.appConfig("l2-learning").bind(L2LearningConfig.class).priority()).isEqualTo(1000);
        assertThat(SwitchboardConfig.load(file(""))).isEqualTo(SwitchboardConfig.defaults());
        assertThat(SwitchboardConfig.load(file("# nothing yet\n")).apps()).isEmpty();
        assertThat(SwitchboardConfig.load(file("openflow:\novsdb:\n")).ovsdb().isEmpty()).isTrue();
    }

    @Test
    void theExamplesLoad() {
        SwitchboardConfig routing = SwitchboardConfig.load(Path.of("..", "examples", "routing", "controller.yaml"));
        assertThat(routing.apps()).containsKey("routing");
        assertThat(routing.source().line("apps.routing")).isPositive();
    }

    @Test
    void aHugeScalarIsRefusedAtOnce() throws IOException {
        // was: more than 50 s and 1.2 GB before any answer
        Path file = dir.resolve("huge.yaml");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("openflow:\n  handshakeTimeout: ");
            char[] chunk = new char[1 << 16];
            java.util.Arrays.fill(chunk, 'x');
            for (int i = 0; i < 256; i++) {
                out.write(chunk);
            }
            out.write('\n');
        }
        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(() -> SwitchboardConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": the file is " + Files.size(file) + " bytes; a YAML file may have at most 1048576 bytes"
                        + " (1 MiB)"));
        System.out.printf("16 MB scalar refused in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void pathologicalYamlWithinTheSizeIsRefusedAtOnce() throws IOException {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(error("openflow:\n  handshakeTimeout: " + "x".repeat(900_000) + "\n"))
                    .isEqualTo("sb.yaml:2: the line is 900020 characters long; a line may have at most 16384"
                            + " (fold a long value over several lines)");
            assertThat(error("apps:\n  x: " + "[".repeat(5000) + "\n")).startsWith("sb.yaml:2: nested more than 64 levels deep");
            StringBuilder bomb = new StringBuilder("apps:\n  x:\n    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for (char c = 'b'; c <= 'k'; c++) {
                char p = (char) (c - 1);
                bomb.append("    ").append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p)
                        .append(", *").append(p).append(", *").append(p).append("]\n");
            }
            assertThat(error(bomb.toString())).startsWith("sb.yaml:4: apps.x.b[0]: YAML aliases (*a) are not supported");
        });
    }

    @Test
    void readsNoMoreThanTheLimitFromAPipeOrDevice() {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(() -> SwitchboardConfig.load(zero))
                .hasMessage("/dev/zero: the file is more than 1048576 bytes; a YAML file may have at most 1048576 bytes (1 MiB)"));
        assertThat(List.of()).isEmpty();
    }
}
