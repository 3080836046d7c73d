package dev.switchboard.lab.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.switchboard.lab.spec.LabSpecException;
import dev.switchboard.lab.spec.LabSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oversized and pathological YAML is refused at once, naming the file and the limit. */
class YamlLimitsTest {

    private static final Duration GENEROUS = Duration.ofSeconds(5);

    @Test
    void aSixteenMegabyteScalarIsRefusedAtOnce(@TempDir Path dir) throws Exception {
        // was: more than 50 s and 1.2 GB of heap in SnakeYAML's scanner
        String huge = "name: " + "x".repeat(16 * 1024 * 1024) + "\n";
        long start = System.nanoTime();
        assertTimeoutPreemptively(GENEROUS, () -> assertThatThrownBy(() -> LabSpecs.parse(huge, "lab.yaml"))
                .isInstanceOf(LabSpecException.class)
                .hasMessage("lab.yaml: the file is 16777223 characters; a YAML file may have at most 1048576 bytes (1 MiB)"));
        long parsed = System.nanoTime();
        Path file = dir.resolve("huge.yaml");
        Files.writeString(file, huge);
        assertTimeoutPreemptively(GENEROUS, () -> assertThatThrownBy(() -> LabSpecs.load(file))
                .isInstanceOf(LabSpecException.class)
                .hasMessage(file + ": the file is 16777223 bytes; a YAML file may have at most 1048576 bytes (1 MiB)"));
        System.out.printf("16 MB scalar refused in %d ms (text), %d ms (file)%n", (parsed - start) / 1_000_000,
                (System.nanoTime() - parsed) / 1_000_000);
    }

    @Test
    void aLongLineIsRefusedBeforeTheParserSeesIt() {
        // a 900 kB line alone takes SnakeYAML seconds: its look-ahead window is copied per 1024 characters
        String text = "name: x\nhosts:\n  h1: {gateway: " + "1".repeat(900_000) + "}\n";
        assertTimeoutPreemptively(GENEROUS, () -> assertThatThrownBy(() -> YamlTree.parse(text))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.issue()).isEqualTo(new YamlIssue("", 3,
                        "the line is 900017 characters long; a line may have at most 16384 (fold a long value over several lines)"))));
        String crlf = "a: 1\r\nb: 2\r\nc: " + "x".repeat(20_000) + "\r\n";
        assertThatThrownBy(() -> YamlTree.parse(crlf))
                .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.issue().line()).isEqualTo(3));
        assertThat(YamlLimits.MAX_LINE_CHARS).isEqualTo(16 * 1024);
    }

    @Test
    void deepNestingIsRefusedAtOnce() {
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            block.append(" ".repeat(i)).append("k:\n");
        }
        assertTimeoutPreemptively(GENEROUS, () -> {
            assertThatThrownBy(() -> YamlTree.parse(block.toString()))
                    .isInstanceOfSatisfying(YamlException.class, e -> assertThat(e.issue().message())
                            .isEqualTo("nested more than 64 levels deep"));
            assertThatThrownBy(() -> LabSpecs.parse("name: x\nhosts: " + "[".repeat(10_000) + "\n", "lab.yaml"))
                    .hasMessage("lab.yaml:2: nested more than 64 levels deep");
        });
    }

    @Test
    void aliasesAreRefusedNotExpanded() {
        StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p)
                    .append(", *").append(p).append(", *").append(p).append("]\n");
        }
        YamlTree.Document document = assertTimeoutPreemptively(GENEROUS, () -> YamlTree.parse(bomb.toString()));
        assertThat(document.issues()).hasSize(25 * 5).first()
                .isEqualTo(new YamlIssue("b[0]", 2, "YAML aliases (*a) are not supported; write the value out"));
    }

    @Test
    void duplicateKeysAtAnyDepthAreIssues() throws Exception {
        YamlTree.Document document = YamlTree.parse("a:\n  b: 1\n  c:\n    - {d: 1, d: 2}\n  b: 3\na: 4\n");
        assertThat(document.issues()).containsExactly(
                new YamlIssue("a.c[0].d", 4, "the key d appears twice (first on line 4)"),
                new YamlIssue("a.b", 5, "the key b appears twice (first on line 2)"),
                new YamlIssue("a", 6, "the key a appears twice (first on line 1)"));
    }

    @Test
    void theExampleLabsAreWithinTheLimits() throws Exception {
        try (var files = Files.list(Path.of("..", "examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                assertThat(LabSpecs.load(file).name()).as(file.toString()).isNotEmpty();
            }
        }
        assertThat(LabSpecs.load(Path.of("..", "examples", "routing", "lab.yaml")).name()).isNotEmpty();
    }

    @Test
    void everyKeyPathHasItsLine() throws Exception {
        YamlTree.Value root = YamlTree.parse("openflow:\n  listen:\n    - a\n    - b\napps:\n  x: {k: 1}\n").root();
        assertThat(YamlTree.lines(root)).containsEntry("openflow", 1).containsEntry("openflow.listen", 2)
                .containsEntry("openflow.listen[1]", 4).containsEntry("apps.x.k", 6);
    }
}
