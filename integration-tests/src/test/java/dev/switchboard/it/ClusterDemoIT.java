package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./switchboard demo examples/cluster --once}: a three-server ZooKeeper ensemble ({@code switchboard
 * zookeeper}), three instances, the lab's three bridges connected to all of them with one master each (OVS and
 * every instance's REST API agree), pings, a master killed with SIGKILL, its bridge taken over, pings again, and
 * nothing left behind. The takeover times are printed, not asserted.
 */
@RunsAlone("the default labs directory and its shared private OVS, the fixed lab name cl, seven JVMs and a kill -9 timed")
class ClusterDemoIT {
    private static final Path ROOT = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();

    @Test
    void theClusterDemoShowsMastershipKillsAMasterAndShowsTheTakeover() throws Exception {
        String output = demoOnce("examples/cluster");
        assertThat(output).containsPattern("zk\\d: 127\\.0\\.0\\.1:\\d+, leader")
                .containsPattern("zk\\d: 127\\.0\\.0\\.1:\\d+, follower")
                .contains("n1: OpenFlow port", "n2: OpenFlow port", "n3: OpenFlow port")
                .contains("=== Mastership: one master per bridge");
        // before the kill: each bridge one master and two slaves by OVS, and all three REST APIs name the same master
        Matcher row = Pattern.compile("(cl-s\\d) +[0-9a-f]{16} +(n\\d) +n1 (\\w+), n2 (\\w+), n3 (\\w+) +(n\\d), (n\\d), (n\\d)")
                .matcher(output);
        int rows = 0;
        while (row.find()) {
            rows++;
            List<String> roles = List.of(row.group(3), row.group(4), row.group(5));
            assertThat(roles).as(row.group()).containsExactlyInAnyOrder("master", "slave", "slave");
            assertThat(List.of(row.group(6), row.group(7), row.group(8))).as(row.group()).containsOnly(row.group(2));
        }
        assertThat(rows).as("a row per bridge with all three instances:%n%s", output).isEqualTo(3);

        Matcher kill = Pattern.compile("=== Killing (n\\d) \\(kill -9 \\d+\\), master of (cl-s\\d)").matcher(output);
        assertThat(kill.find()).as(output).isTrue();
        String victim = kill.group(1);
        Matcher takeover = Pattern.compile("takeover: " + kill.group(2) + " mastered by (n\\d) \\(was " + victim
                + "\\): \\d+ ms after the kill by n\\d's /api/v1/cluster, \\d+ ms by OVS's Controller table").matcher(output);
        assertThat(takeover.find()).as(output).isTrue();
        assertThat(takeover.group(1)).isNotEqualTo(victim);
        // after the kill: the tables list only the two survivors, each bridge with a master among them
        String afterKill = output.substring(takeover.end());
        Matcher survivorRow = Pattern.compile("(cl-s\\d) +[0-9a-f]{16} +(n\\d) +n\\d (\\w+), n\\d (\\w+) +(n\\d), (n\\d)")
                .matcher(afterKill);
        int survivorRows = 0;
        while (survivorRow.find()) {
            survivorRows++;
            assertThat(survivorRow.group(2)).isNotEqualTo(victim);
            assertThat(List.of(survivorRow.group(3), survivorRow.group(4))).containsExactlyInAnyOrder("master", "slave");
            assertThat(List.of(survivorRow.group(5), survivorRow.group(6))).containsOnly(survivorRow.group(2));
        }
        assertThat(survivorRows).as(afterKill).isEqualTo(3);
        Matcher pings = Pattern.compile("\\*\\*\\* Results: 0% dropped \\(6/6 received\\)").matcher(output);
        assertThat(pings.results().count()).as("all pinged before and after the kill:%n%s", output).isEqualTo(2);
        assertThat(output).containsPattern("pings h1 -> h3 \\(10\\.0\\.0\\.3\\) every 100 ms across the kill: \\d+ sent, \\d+ answered; "
                + "longest silence \\d+ ms, answered again \\d+ ms after the kill");
        assertThat(output).contains("Cluster demo check passed; tearing down.");
        output.lines().filter(line -> line.contains("takeover:") || line.contains("longest silence"))
                .forEach(line -> System.out.println("cluster demo:" + line));

        assertThat(Path.of("/var/lib/switchboard/labs", "cl.json")).doesNotExist();
        for (String host : List.of("h1", "h2", "h3")) {
            assertThat(Path.of("/run/netns", "cl-" + host)).doesNotExist();
        }
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains("switchboard-cluster-demo"))).as("no ZooKeeper or instance left").isEmpty();
    }

    /** Runs {@code ./switchboard demo --once ARGS}; its output, after checking it passed. */
    private static String demoOnce(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("switchboard").toString(), "demo", "--once"));
        command.addAll(List.of(args));
        // into a file, not a pipe: a pipe nobody reads while we wait fills up and stops the demo
        Path log = Files.createTempFile("sb-cluster-demo-it", ".out");
        try {
            Process demo = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            demo.getOutputStream().close();
            boolean finished;
            try {
                finished = demo.waitFor(300, TimeUnit.SECONDS);
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
}
