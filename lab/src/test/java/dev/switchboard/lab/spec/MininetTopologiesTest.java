package dev.switchboard.lab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in topologies against Mininet's own topology classes, run by Debian's
 * {@code /usr/bin/python3} (or {@code -Dswitchboard.mininet.python=…}) without starting a
 * network (no root, no OVS): same hosts and addresses, switches and datapath ids, links and
 * port numbers. Skipped, saying why, where that interpreter cannot import Mininet.
 */
class MininetTopologiesTest {

    /** Debian's interpreter has Mininet; the first python3 on PATH may not. */
    private static final Path PYTHON = Path.of(System.getProperty("switchboard.mininet.python", "/usr/bin/python3"));
    private static String script;
    /** Why the comparison cannot run here, or null if it can. */
    private static String unavailable;

    @BeforeAll
    static void findMininet() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            unavailable = "skipped: " + PYTHON + " is missing, so Mininet cannot be asked";
        } else if (run(List.of(PYTHON.toString(), "-c", "import mininet.topo, mininet.topolib")) == null) {
            unavailable = "skipped: " + PYTHON + " cannot import mininet (install Debian's mininet package,"
                    + " or point -Dswitchboard.mininet.python at an interpreter that has it)";
        }
        try (InputStream in = MininetTopologiesTest.class.getResourceAsStream("mininet_describe.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"single,4", "linear,4", "tree,2,3", "tree,3,2", "minimal", "single", "linear", "tree",
            "linear,3,2", "linear,k=2,n=3", "tree,depth=2,fanout=4", "single,12", "tree,1,11"})
    void sameAsMininet(String topo) throws Exception {
        assumeTrue(unavailable == null, unavailable);
        List<String> output = run(List.of(PYTHON.toString(), "-c", script, topo));
        assertThat(output).as("mininet_describe.py %s failed", topo).isNotNull();
        List<String> hosts = new ArrayList<>();
        List<String> switches = new ArrayList<>();
        List<String> links = new ArrayList<>();
        for (String line : output) {
            String[] f = line.split(" ", 2);
            switch (f[0]) {
                case "host" -> hosts.add(f[1]);
                case "switch" -> switches.add(f[1]);
                case "link" -> {
                    String[] ends = f[1].split(" ");
                    links.add(Description.link(ends[0], ends[1]));
                }
                default -> throw new AssertionError("unexpected line from Mininet: " + line);
            }
        }
        Description mininet = new Description(hosts, switches, links);

        Description ours = Topologies.parse(topo).describe();

        assertThat(ours.lines()).containsExactlyElementsOf(mininet.lines());
        assertThat(links).isNotEmpty();
    }

    /** The command's standard output lines, or null if it failed. */
    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? out.lines().toList() : null;
    }
}
