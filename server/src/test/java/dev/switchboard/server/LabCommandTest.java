package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lab up} reads a spec within the YAML limits and names the file in its errors; nothing is made. */
class LabCommandTest {

    @TempDir
    Path dir;

    private String up(Path spec) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("lab", "up", spec.toString());
        assertThat(exit).isEqualTo(1);
        return err.toString().strip();
    }

    @Test
    void aSpecBeyondTheSizeLimitIsRefusedAtOnce() throws Exception {
        // was: read whole (no limit), then more than 50 s in the YAML parser
        Path spec = dir.resolve("huge.yaml");
        try (Writer out = Files.newBufferedWriter(spec, StandardCharsets.UTF_8)) {
            out.write("name: x\nhosts: {h1: {gateway: ");
            char[] chunk = new char[1 << 16];
            java.util.Arrays.fill(chunk, '1');
            for (int i = 0; i < 256; i++) {
                out.write(chunk);
            }
            out.write("}}\n");
        }
        String error = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> up(spec));
        assertThat(error).isEqualTo("switchboard: " + spec + ": the file is " + Files.size(spec)
                + " bytes; a YAML file may have at most 1048576 bytes (1 MiB)");
    }

    @Test
    void specErrorsNameTheFile() throws Exception {
        Path spec = dir.resolve("lab.yaml");
        Files.writeString(spec, "name: x\nhosts:\n  h1: {gw: 10.0.0.1}\n");
        // was: "<yaml>:3: hosts.h1.gw: …"
        assertThat(up(spec)).isEqualTo("switchboard: " + spec + ":3: hosts.h1.gw: unknown key; expected one of gateway, routes,"
                + " forwarding");
    }
}
