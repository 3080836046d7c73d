package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher script itself: run from a directory other than its checkout, relative paths
 * given to it are that directory's; {@code SWITCHBOARD_JAVA_OPTS} is split as a shell splits
 * words, quotes kept, nothing expanded. Nothing here starts OVS or makes a namespace: the specs
 * and configs are refused before anything is made.
 */
class LauncherIT {
    private static final Path ROOT = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
    /** Generous: the first run may build the jar. */
    private static final Duration RUN_LIMIT = Duration.ofSeconds(300);

    /** A directory of this test, outside the checkout, with a blank in its name. */
    private Path elsewhere;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void directoryElsewhere() throws IOException {
        elsewhere = Files.createTempDirectory(Path.of("/tmp"), "sb launcher-");
    }

    @AfterEach
    void removeIt() throws IOException {
        try (Stream<Path> files = Files.walk(elsewhere)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void aRelativeLabSpecIsReadFromTheCallersDirectory() throws Exception {
        Files.writeString(elsewhere.resolve("bad.yaml"), "name: bad\nhosts: {h1: {}, h2: {}}\n"
                + "links: [{a: {node: h1, addresses: [10.0.8.300/24]}, b: h2}]\n");
        Run run = launcher(Map.of("SWITCHBOARD_JAVA_OPTS", "-Dswitchboard.labs=\"" + elsewhere.resolve("labs") + "\""),
                "lab", "up", "bad.yaml", "--name", "lnch");
        assertThat(run.status()).as("exit status; stderr:%n%s", run.err()).isEqualTo(1);
        assertThat(run.err()).contains("switchboard: bad.yaml:3: links[0].a.addresses[0]: '10.0.8.300/24' is not")
                .doesNotContain("no such file", "NoSuchFile");
    }

    @Test
    void aRelativeConfigIsReadFromTheCallersDirectory() throws Exception {
        Files.writeString(elsewhere.resolve("cfg.yaml"), "openflow: {}\nopenflow: {}\n");
        Run run = launcher(Map.of(), "controller", "--config", "cfg.yaml", "--address", "127.0.0.1", "--port", "0");
        assertThat(run.status()).as("exit status; stderr:%n%s", run.err()).isNotZero();
        assertThat(run.err()).contains("cfg.yaml:2: openflow: the key openflow appears twice (first on line 1)")
                .doesNotContain("no such file");
    }

    @Test
    void javaOptionsKeepQuotedBlanksAndReachJava() throws Exception {
        Path labs = Files.createDirectories(elsewhere.resolve("labs dir"));
        Files.writeString(labs.resolve("zz1.json"), "{}");
        Run run = launcher(Map.of("SWITCHBOARD_JAVA_OPTS", "-Xmx256m -Dswitchboard.labs=\"" + labs + "\""), "lab", "list");
        assertThat(run.status()).as("exit status; stderr:%n%s", run.err()).isZero();
        assertThat(run.out().lines()).containsExactly("zz1");
    }

    @Test
    void javaOptionsAreSplitAsAShellSplitsWordsWithoutExpandingAnything() throws Exception {
        String opts = "-Xmx1g  -Dx=\"a b\" -Dy='c d'\t-Dz=e\\ f -Dhome=$HOME -Dcmd=$(id) -Dglob=*";
        Run run = bash(Map.of("SWITCHBOARD_JAVA_OPTS", opts),
                "source \"$1\"; java_options; printf '[%s]\\n' \"${java_opts[@]}\"", "bash", ROOT.resolve("switchboard").toString());
        assertThat(run.status()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out().lines()).containsExactly("[-Xmx1g]", "[-Dx=a b]", "[-Dy=c d]", "[-Dz=e f]",
                "[-Dhome=$HOME]", "[-Dcmd=$(id)]", "[-Dglob=*]");

        Run unmatched = bash(Map.of("SWITCHBOARD_JAVA_OPTS", "-Dx=\"a b"), "source \"$1\"; java_options; echo split",
                "bash", ROOT.resolve("switchboard").toString());
        assertThat(unmatched.status()).isEqualTo(1);
        assertThat(unmatched.out()).isEmpty();
        assertThat(unmatched.err()).isEqualTo("switchboard: SWITCHBOARD_JAVA_OPTS cannot be split into words "
                + "(unmatched double quote): -Dx=\"a b\n");
    }

    /** {@code ROOT/switchboard args...} run in {@link #elsewhere}. */
    private Run launcher(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("switchboard").toString()));
        command.addAll(List.of(args));
        return run(command, environment);
    }

    /** {@code bash -c SCRIPT ARGS...}: the first of ARGS is the script's {@code $0}. */
    private Run bash(Map<String, String> environment, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c", script));
        command.addAll(List.of(args));
        return run(command, environment);
    }

    /** Output goes to files, read after a bounded wait, so a child that keeps a pipe open cannot hang the test. */
    private Run run(List<String> command, Map<String, String> environment) throws Exception {
        Path out = Files.createTempFile("sb-launcher-it", ".out");
        Path err = Files.createTempFile("sb-launcher-it", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(elsewhere.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().remove("SWITCHBOARD_JAVA_OPTS");
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + RUN_LIMIT);
            }
            // the launcher's own notice when sources changed since the jar was built is not the command's
            String stderr = Files.readString(err, StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("switchboard: building ")).map(line -> line + "\n")
                    .reduce("", String::concat);
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
