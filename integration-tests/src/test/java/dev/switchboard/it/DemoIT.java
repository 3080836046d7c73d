package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./switchboard demo --once} runs the seed's three labs (veth, Linux bridge, OVS
 * controlled by Switchboard), every ping passes, and nothing is left behind.
 */
@RunsAlone("the default labs directory /var/lib/switchboard/labs and its shared private OVS, fixed lab names (seed1..3, rt)")
class DemoIT {
    private static final Path ROOT = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();

    @Test
    void demoOnceConnectsOvsAndCleansUp() throws Exception {
        boolean datapathDeviceBefore = Files.exists(Path.of("/sys/class/net/ovs-netdev"));
        String output = demoOnce();
        assertThat(output).contains("is_connected: true, fail_mode: secure").contains("Demo check passed")
                .contains("=== seed1").contains("=== seed2").contains("=== seed3")
                .contains("cookie=0x534204"); // l2-learning's flows, learned while the lab pinged
        Matcher results = Pattern.compile("\\*\\*\\* Results: 0% dropped \\(2/2 received\\)").matcher(output);
        assertThat(results.results().count()).as("three labs pinged fully:%n%s", output).isEqualTo(3);
        String labOvs = "/var/lib/switchboard/labs/ovs";
        if (output.contains("(OVS: unix:" + labOvs + "/db.sock)")) {
            // the private OVS runs in a namespace of its own: the controller listened on its uplink too
            assertThat(output).containsPattern("reach the controller on 169\\.254\\.\\d+\\.\\d+:\\d+");
        }
        assertThat(Path.of(labOvs)).doesNotExist();
        assertThat(processesMentioning(labOvs)).isEmpty();
        for (String lab : List.of("seed1", "seed2", "seed3")) {
            assertThat(Path.of("/var/lib/switchboard/labs", lab + ".json")).doesNotExist();
            assertThat(Path.of("/run/netns", lab + "-net0")).doesNotExist();
        }
        try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            assertThat(links.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("seed"));
        }
        if (!datapathDeviceBefore) {
            assertThat(Path.of("/sys/class/net/ovs-netdev")).doesNotExist();
        }
    }

    @Test
    void theRoutingExampleComesUpWithOneCommandAndEveryHostReachesEveryOther() throws Exception {
        String output = demoOnce("examples/routing");
        assertThat(output).contains("apps: topology, hosts, forwarding, routing")
                .contains("*** Results: 0% dropped (12/12 received)")
                .contains("cookie=0x534206") // the routing app's flows
                .contains("dec_ttl");
        assertThat(Path.of("/var/lib/switchboard/labs", "rt.json")).doesNotExist();
        assertThat(Path.of("/run/netns", "rt-h1")).doesNotExist();
    }

    /**
     * The first pings start once the topology took the switch up, not as soon as the apps serve
     * it: until its ports are out of quarantine the learning switch drops the hosts' first ARPs.
     * A quarantine far longer than connecting takes makes that window certain (with the default
     * 1 s, only a lab whose OVS connects fast, as the host's does, fell into it).
     */
    @Test
    void theFirstPingsWaitForTheSwitchsPortsToLeaveQuarantine() throws Exception {
        String lab = RunNames.PREFIX; // a lab name is at most six characters: the run's prefix alone
        Path example = Files.createTempDirectory("sb-demo-quarantine");
        try {
            Files.writeString(example.resolve("lab.yaml"), """
                    name: %s
                    hosts:
                      h1: {}
                      h2: {}
                    switches:
                      s1: {kind: ovs, protocols: [OpenFlow13], controller: "tcp:127.0.0.1:6653"}
                    links:
                      - {a: {node: h1, addresses: [10.0.9.1/24]}, b: s1}
                      - {a: {node: h2, addresses: [10.0.9.2/24]}, b: s1}
                    """.formatted(lab));
            Files.writeString(example.resolve("controller.yaml"), """
                    apps:
                      topology: {quarantine: 5s}
                      l2-learning: {}
                    """);
            String output = demoOnce(example.toString());
            assertThat(output).contains("topology: every port of the lab's switches out of quarantine")
                    .contains("*** Results: 0% dropped (2/2 received)");
            assertThat(Path.of("/var/lib/switchboard/labs", lab + ".json")).doesNotExist();
            assertThat(Path.of("/run/netns", lab + "-h1")).doesNotExist();
        } finally {
            try (Stream<Path> files = Files.list(example)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(example);
        }
    }

    /** Runs {@code ./switchboard demo --once} on a free port with {@code args}; its output, after checking it passed. */
    private static String demoOnce(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("switchboard").toString(), "demo", "--once",
                "--port", String.valueOf(freePort())));
        command.addAll(List.of(args));
        // into a file, not a pipe: a pipe nobody reads while we wait fills up and stops the demo
        Path log = Files.createTempFile("sb-demo-it", ".out");
        try {
            Process demo = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            demo.getOutputStream().close();
            boolean finished;
            try {
                finished = demo.waitFor(180, TimeUnit.SECONDS);
            } finally {
                if (demo.isAlive()) {
                    demo.descendants().forEach(ProcessHandle::destroyForcibly);
                    demo.destroyForcibly();
                    demo.waitFor(10, TimeUnit.SECONDS);
                }
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(finished).as("demo finished in time; output:%n%s", output).isTrue();
            assertThat(demo.exitValue()).as("exit status; output:%n%s", output).isZero();
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Stream<String> processesMentioning(String text) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(text)).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""));
    }
}
