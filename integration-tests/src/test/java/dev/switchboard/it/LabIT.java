package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.hostnet.HostNetwork;
import dev.switchboard.lab.run.LabRunner;
import dev.switchboard.lab.run.LabState;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./switchboard lab ...} through the real launcher, on the real kernel and a real
 * (userspace) OVS, checked from outside: {@code ip -json}, {@code ovs-vsctl} on the OVS the lab
 * used, pings. Labs live in a labs directory of their own ({@code -Dswitchboard.labs}), with
 * per-run lab names, and every test takes its labs down again, also when it fails, so the
 * labs' shared private OVS stops. With nothing of the default labs directory used, it runs beside
 * other test classes. The examples,
 * every {@code up} and the kill run the launcher; repeated looks ({@code status}, {@code ping}
 * until it passes) and the cleanup use {@link LabRunner} in this JVM, which is quicker.
 */
class LabIT {
    private static final Path ROOT = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
    /** Generous: the first run may build the jar. */
    private static final Duration RUN_LIMIT = Duration.ofSeconds(300);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lab names of this run: a letter and two hex digits, then a suffix of up to three characters. */
    private static final String RUN = "l" + String.format("%02x", new SecureRandom().nextInt(256));

    private static Path labs;
    /** Every lab name a test used, to take down after it even without a state file. */
    private static final Set<String> USED = new ConcurrentSkipListSet<>();
    /** Every namespace the labs' private OVS had during the run. */
    private static final Set<String> SEEN_OVS_NAMESPACES = new ConcurrentSkipListSet<>();

    @BeforeAll
    static void labsDirectory() throws IOException {
        labs = Files.createTempDirectory(Path.of("/tmp"), "sblabs-");
        System.setProperty("switchboard.labs", labs.toString()); // for LabRunner in this JVM
    }

    @AfterEach
    void everyLabDown() {
        Set<String> names = new TreeSet<>(USED);
        names.addAll(LabState.labs());
        USED.clear();
        AssertionError failed = null;
        for (String lab : names) {
            try {
                runner().down(lab); // false when there is nothing of it
            } catch (RuntimeException e) {
                failed = failed == null ? new AssertionError("cannot take the test's labs down") : failed;
                failed.addSuppressed(e);
            }
        }
        PrivateOvs.attach(labs.resolve("ovs")).ifPresent(PrivateOvs::close);
        if (failed != null) {
            throw failed;
        }
    }

    @AfterAll
    static void removeLabsDirectory() throws IOException {
        System.clearProperty("switchboard.labs");
        if (labs != null) {
            PrivateOvs.attach(labs.resolve("ovs")).ifPresent(PrivateOvs::close);
            try (Stream<Path> files = Files.walk(labs)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    // ---- the examples

    @ParameterizedTest(name = "{0}")
    @CsvSource({"seed-veth.yaml, v", "seed-linux-bridge.yaml, lb", "seed-tap.yaml, tap"})
    void anExampleComesUpPingsAndGoesDownLeavingNothing(String example, String suffix) throws Exception {
        String name = RUN + suffix;
        Run up = lab("up", "examples/" + example, "--name", name).succeeded();
        assertThat(up.out()).as("the summary ends the output")
                .containsPattern("(?m)^lab " + name + " up: 2 hosts, \\d+ switch(es)?, \\d+ links.* in \\d+\\.\\d s$");
        assertThat(stateFile(name)).exists();

        Run ping = lab("ping", name).succeeded();
        assertThat(ping.out()).contains("net0 -> net1", "net1 -> net0", "*** Results: 0% dropped (2/2 received)");
        Run status = lab("status", name).succeeded();
        assertThat(status.out()).contains("namespace " + name + "-net0", "namespace " + name + "-net1")
                .doesNotContain("MISSING", "DOWN");
        assertThat(lab("exec", "--lab", name, "net0", "--", "ip", "-br", "addr", "show", "eth0").succeeded().out())
                .contains("10.0.8.1/24");
        assertThat(namespaces(name)).containsExactlyInAnyOrder(name + "-net0", name + "-net1");

        if (example.equals("seed-tap.yaml")) {
            JsonNode tap = link(name + "-tap0").orElseThrow();
            assertThat(tap.path("linkinfo").path("info_kind").asText()).isEqualTo("tun");
            assertThat(tap.path("linkinfo").path("info_data").path("type").asText()).isEqualTo("tap");
            assertThat(tap.path("linkinfo").path("info_data").path("persist").asBoolean()).isTrue();
            assertThat(tap.path("master").asText()).isEqualTo(name + "-br0");
            assertThat(status.out()).containsPattern("tap +tap0 +tap " + name + "-tap0 on br0:3 +ok, no program attached");
        }

        Run down = lab("down", name).succeeded();
        assertThat(down.out()).containsPattern("(?m)^lab " + name + " down: 2 namespaces, \\d+ links, \\d+ OVS bridges"
                + " removed in \\d+\\.\\d s$");
        assertNothingLeft(name);
    }

    // ---- Mininet-named topologies

    @Test
    void treeTwoThreeHasMininetsHostsSwitchesAndPortNumbers() throws Exception {
        String name = RUN + "t";
        lab("up", "--topo", "tree,2,3", "--name", name).succeeded();
        Ovs ovs = ovsOf(name);

        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            hosts.add(name + "-h" + i);
        }
        assertThat(namespaces(name)).containsExactlyInAnyOrderElementsOf(hosts);
        assertThat(ovs.bridges(name)).containsExactly(name + "-s1", name + "-s2", name + "-s3", name + "-s4");
        // s1's ports 1..3 go to s2..s4; s2's port 1 to h1, its port 4 to s1 (Mininet's numbering) …
        for (String sw : List.of("s1", "s2", "s3", "s4")) {
            for (String port : ovs.vsctl("list-ports", name + "-" + sw).lines().toList()) {
                assertThat(ovs.vsctl("get", "interface", port, "ofport")).as(port)
                        .isEqualTo(port.substring(port.lastIndexOf("-e") + 2));
            }
        }
        assertThat(ovs.vsctl("get", "bridge", name + "-s3", "other_config:datapath-id")).isEqualTo("\"0000000000000003\"");
        assertThat(run("ip", "-n", name + "-h1", "-br", "addr", "show", "eth0")).contains("10.0.0.1/8");

        assertThat(lab("ping", name).succeeded().out()).contains("*** Results: 0% dropped (72/72 received)");
        // TCP too: host interfaces towards OVS compute their own checksums, which the userspace
        // datapath would otherwise leave unfinished (ping passes either way, TCP stalls)
        assertThat(run("ip", "netns", "exec", name + "-h1", "ethtool", "-k", "eth0")).contains("tx-checksumming: off");
        lab("exec", "--lab", name, "h9", "--", "sh", "-c", "timeout 15 iperf -s -p 5001 >/dev/null 2>&1 & sleep 0.5").succeeded();
        assertThat(lab("exec", "--lab", name, "h1", "--", "timeout", "20", "iperf", "-c", "10.0.0.9", "-p", "5001",
                "-t", "1").succeeded().out()).containsPattern("[0-9.]+ [KMG]?bits/sec");
        lab("down", name).succeeded();
        assertNothingLeft(name, ovs);
    }

    /**
     * A ring of standalone switches without a controller floods forever (verified: pingall
     * 92% dropped, ovs-vswitchd at 100% CPU), so {@code up} refuses it, naming the way out;
     * Mininet has no ring. With {@code stp: true} in a YAML spec OVS runs RSTP and the same
     * ring works.
     */
    @Test
    void aRingWithoutControllerIsRefusedBeforeAnythingIsMade() throws Exception {
        String name = RUN + "r";
        Run refused = lab("up", "--topo", "ring,4", "--name", name);
        refused.failedWith("switches s1, s2, s3, s4 are joined in a loop and would flood without STP or a controller");
        assertThat(refused.err()).contains("--controller HOST:PORT", "stp: true", "Nothing was changed");
        assertNothingLeft(name);
        assertThat(labs.resolve("ovs")).doesNotExist();
    }

    @Test
    void aRingWithStpComesUpAndPings() throws Exception {
        String name = RUN + "rs";
        Path spec = Files.writeString(labs.resolve("ring.yaml"), """
                name: ring
                hosts: {h1: {}, h2: {}}
                switches: {s1: {stp: true}, s2: {stp: true}, s3: {stp: true}}
                links:
                  - {a: {node: h1, addresses: [10.0.0.1/24]}, b: s1}
                  - {a: {node: h2, addresses: [10.0.0.2/24]}, b: s2}
                  - {a: s1, b: s2}
                  - {a: s2, b: s3}
                  - {a: s3, b: s1}
                """);
        lab("up", spec.toString(), "--name", name).succeeded();
        Ovs ovs = ovsOf(name);
        assertThat(ovs.vsctl("get", "bridge", name + "-s1", "rstp_enable")).isEqualTo("true");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> pingsAll(name));
        assertThat(status(name)).contains("ok, RSTP").doesNotContain("MISSING");
        lab("down", name).succeeded();
        assertNothingLeft(name, ovs);
    }

    // ---- converging

    private static final String MIXED = """
            name: mixed
            hosts:
              h1: {gateway: 10.0.0.254}
              h2: {}
              h3: {routes: [{to: 10.9.0.0/16, via: 10.0.0.254}]}
            switches:
              br0: {kind: linux-bridge}
              s1: {}
            links:
              - {a: {node: h1, addresses: [10.0.0.1/24]}, b: br0}
              - {a: {node: h2, addresses: [10.0.0.2/24]}, b: s1}
              - {a: br0, b: s1}
              - {a: {node: h3, addresses: [10.0.0.3/24]}, b: s1}
            taps:
              tap0: {bridge: s1}
            """;

    @Test
    void upAgainChangesNothingAndRepairsWhatWasDeletedByHand() throws Exception {
        String name = RUN + "m";
        Path spec = Files.writeString(labs.resolve("mixed.yaml"), MIXED);
        lab("up", spec.toString(), "--name", name).succeeded();
        Ovs ovs = ovsOf(name);
        Map<String, Integer> before = ifindexes(name);
        String bridgeUuid = ovs.vsctl("get", "bridge", name + "-s1", "_uuid");
        String controllerColumn = ovs.vsctl("get", "bridge", name + "-s1", "controller");

        Run again = lab("up", spec.toString(), "--name", name).succeeded();
        assertThat(again.out()).doesNotContain("kernel:", "ovs:");
        assertThat(ifindexes(name)).isEqualTo(before);
        assertThat(ovs.vsctl("get", "bridge", name + "-s1", "_uuid")).isEqualTo(bridgeUuid);
        assertThat(ovs.vsctl("get", "bridge", name + "-s1", "controller")).isEqualTo(controllerColumn);
        assertThat(ovs.vsctl("get", "interface", name + "-tap0", "ofport")).isEqualTo("4");

        run("ip", "netns", "del", name + "-h1");
        deleteSwitchPort(name + "-s1-e1"); // h2's link, and its eth0 with it
        Run broken = lab("status", name);
        assertThat(broken.status()).as("lab status exits 1 when something is missing").isEqualTo(1);
        assertThat(broken.out()).containsPattern("host +h1 +namespace " + name + "-h1 +MISSING")
                .containsPattern("link +h2:eth0 <-> s1:1 +" + name + "-s1-e1 +.*MISSING");

        Run repair = lab("up", spec.toString(), "--name", name).succeeded();
        assertThat(repair.out()).contains("kernel:").contains("ovs:");
        assertThat(status(name)).doesNotContain("MISSING", "DOWN");
        assertThat(ovs.vsctl("get", "interface", name + "-s1-e1", "ofport")).isEqualTo("1");
        assertThat(run("ip", "-n", name + "-h1", "route", "show", "default")).contains("default via 10.0.0.254 dev eth0");
        assertThat(run("ip", "-n", name + "-h3", "route", "show")).contains("10.9.0.0/16 via 10.0.0.254 dev eth0");
        // a remade interface has the MAC it had (derived from its names): its neighbours' ARP caches stay right
        assertThat(runner().ping(name).summary()).isEqualTo("*** Results: 0% dropped (6/6 received)");
        Map<String, Integer> after = ifindexes(name);
        assertThat(after.get(name + "-s1-e3")).isEqualTo(before.get(name + "-s1-e3")); // h3's link was left alone

        lab("down", name).succeeded();
        assertNothingLeft(name, ovs);
    }

    @Test
    void twoLabsWhoseNamesShareAPrefixNeverCollide() throws Exception {
        String a = RUN + "a";
        String ab = RUN + "ab";
        lab("up", "--topo", "linear,2", "--name", a).succeeded();
        lab("up", "--topo", "linear,2", "--name", ab).succeeded();
        Ovs ovs = ovsOf(ab);
        assertThat(namespaces(a)).containsExactlyInAnyOrder(a + "-h1", a + "-h2");
        assertThat(namespaces(ab)).containsExactlyInAnyOrder(ab + "-h1", ab + "-h2");
        Map<String, Integer> abBefore = ifindexes(ab);
        assertThat(lab("list").succeeded().out().lines()).contains(a, ab);

        lab("down", a).succeeded();
        assertNothingLeft(a, ovs);
        assertThat(ifindexes(ab)).isEqualTo(abBefore);
        assertThat(ovs.bridges(ab)).containsExactly(ab + "-s1", ab + "-s2");
        assertThat(status(ab)).doesNotContain("MISSING", "DOWN");
        assertThat(runner().ping(ab).summary()).isEqualTo("*** Results: 0% dropped (2/2 received)");

        lab("down", ab).succeeded();
        assertNothingLeft(ab, ovs);
    }

    /**
     * A lab's controller on 127.0.0.1 is reached wherever the lab's OVS runs: the host's OVS, in the root namespace,
     * connects there; the private OVS runs in a namespace of its own and is given its uplink address instead, where
     * a controller listening on every address (as {@code switchboard controller} does by default) accepts it.
     */
    @Test
    void aControllerOnLoopbackIsReachedFromTheLabsOvs() throws Exception {
        String name = RUN + "c";
        try (ServerSocket controller = new ServerSocket(0)) { // every address, as switchboard controller listens
            controller.setSoTimeout(30_000);
            int port = controller.getLocalPort();
            lab("up", "--topo", "single,2", "--name", name, "--controller", "127.0.0.1:" + port).succeeded();
            String target = ovsOf(name).vsctl("get-controller", name + "-s1");
            boolean isPrivate = JSON.readTree(stateFile(name).toFile()).path("privateOvs").asBoolean();
            if (isPrivate) {
                assertThat(target).matches("tcp:169\\.254\\.\\d+\\.\\d+:" + port);
            } else {
                assertThat(target).isEqualTo("tcp:127.0.0.1:" + port);
            }
            try (Socket fromOvs = controller.accept()) {
                assertThat("tcp:" + fromOvs.getLocalAddress().getHostAddress() + ":" + port)
                        .as("the OVS connected to the address it was given").isEqualTo(target);
            }
        }
        lab("down", name).succeeded();
        assertNothingLeft(name);
    }

    // ---- kill -9 in the middle of up

    @ParameterizedTest(name = "killed when {0}")
    @CsvSource({"namespaces, k", "bridges, kb"})
    void downAfterKillNineDuringUpLeavesNothing(String when, String suffix) throws Exception {
        String name = RUN + suffix;
        // another lab keeps the private OVS running after the down, to look into it for leftovers
        String keeper = RUN + "kk";
        USED.add(keeper);
        runner().up(LabRunner.specOf("topo:single,1", keeper, null), "topo:single,1", null);
        Process up = launch(List.of("lab", "up", "--topo", "tree,2,8", "--name", name));
        Optional<Ovs> ovs = Optional.empty();
        try {
            if (when.equals("namespaces")) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> !namespaces(name).isEmpty() || !up.isAlive());
            } else {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> !up.isAlive() || !ovsBridgesOrNone(name).isEmpty());
            }
            ovs = stateOvs(name);
            assertThat(up.isAlive()).as("lab up still runs when killed").isTrue();
        } finally {
            up.destroyForcibly(); // SIGKILL
            up.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(stateFile(name)).exists();

        lab("down", name).succeeded();
        Ovs used = ovs.orElseGet(() -> ovsOf(keeper));
        assertThat(used.runs()).as("the keeper's OVS runs").isTrue();
        assertNothingLeft(name, used);
        assertThat(used.bridges(keeper)).containsExactly(keeper + "-s1");
    }

    // ---- errors: refused before anything is made

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "a name too long | hosts: {abcdefghijklmnop: {}, h2: {}}\\nlinks: [{a: abcdefghijklmnop, b: h2}]"
            + " | node name 'abcdefghijklmnop' must be 1..15",
        "a derived name too long | hosts: {abcdefghijk: {}, h2: {}}\\nlinks: [{a: abcdefghijk, b: h2}]"
            + " | would be named bad-abcdefghijk-e0, 18 characters; Linux allows 15",
        "an address that does not parse | hosts: {h1: {}, h2: {}}\\nlinks: [{a: {node: h1, addresses: [10.0.8.300/24]}, b: h2}]"
            + " | '10.0.8.300/24' is not an IPv4 or IPv6 address with a prefix length",
        "a link to an unknown node | hosts: {h1: {}}\\nlinks: [{a: h1, b: ghost}]"
            + " | no host or switch is named ghost (nodes: h1)",
        "a delay without netem | hosts: {h1: {}, h2: {}}\\nlinks: [{a: {node: h1, addresses: [10.0.8.1/24]}, b: h2, delay: 10ms}]"
            + " | asks for delay 10ms, which needs the kernel feature netem (tc qdisc netem), and this kernel"})
    void aRefusedSpecLeavesNothingBehind(String what, String body, String message) throws Exception {
        String name = RUN + "e";
        Path spec = Files.writeString(labs.resolve("bad.yaml"), "name: bad\n" + body.replace("\\n", "\n") + "\n");
        Run refused = lab("up", spec.toString(), "--name", name);
        assertThat(refused.status()).as("exit status; stdout:%n%s%nstderr:%n%s", refused.out(), refused.err()).isEqualTo(1);
        assertThat(refused.err()).startsWith("switchboard: ").contains(message);
        assertNothingLeft(name);
        assertThat(LabState.labs()).isEmpty();
    }

    // ---- in this JVM

    private static LabRunner runner() {
        return new LabRunner(new HostNetwork(), new PrintStream(OutputStream.nullOutputStream()));
    }

    /** Whether {@code lab ping} passes: every host reaches every other. */
    private static boolean pingsAll(String name) {
        return !runner().ping(name).failed();
    }

    private static String status(String name) {
        return String.join("\n", runner().status(name));
    }

    // ---- checks from outside

    /** No namespace, link, state file, OVS bridge or OVS interface of lab {@code name} is left. */
    private static void assertNothingLeft(String name) throws Exception {
        assertNothingLeft(name, null);
    }

    private static void assertNothingLeft(String name, Ovs ovs) throws Exception {
        assertThat(namespaces(name)).as("namespaces of lab " + name).isEmpty();
        assertThat(links(name)).as("links of lab " + name).isEmpty();
        assertThat(stateFile(name)).doesNotExist();
        if (ovs != null && ovs.runs()) {
            assertThat(ovs.bridges(name)).as("OVS bridges of lab " + name).isEmpty();
            assertThat(ovs.vsctl("--columns=name", "--format=csv", "--no-headings", "list", "interface").lines()
                    .map(l -> l.replace("\"", "")).filter(l -> l.startsWith(name + "-")).toList())
                    .as("OVS interfaces of lab " + name).isEmpty();
        }
        if (LabState.labs().isEmpty()) {
            assertThat(processesMentioning(labs.resolve("ovs").toString())).as("the private OVS stopped").isEmpty();
            Set<String> namespacesLeft = new TreeSet<>(SEEN_OVS_NAMESPACES);
            namespacesLeft.retainAll(StreamSupport.stream(json("ip", "-json", "netns", "list").spliterator(), false)
                    .map(ns -> ns.path("name").asText()).toList());
            assertThat(namespacesLeft).as("the private OVS's namespace removed with it").isEmpty();
        }
    }

    private static Path stateFile(String name) {
        return labs.resolve(name + ".json");
    }

    /** The network namespaces of lab {@code name}. */
    private static List<String> namespaces(String name) throws Exception {
        return StreamSupport.stream(json("ip", "-json", "netns", "list").spliterator(), false)
                .map(ns -> ns.path("name").asText()).filter(n -> n.startsWith(name + "-")).toList();
    }

    /** The links of lab {@code name} in the root namespace and in the private OVS's namespace (its OVS switch ports). */
    private static List<String> links(String name) throws Exception {
        List<String> out = new ArrayList<>();
        for (List<String> ns : linkNamespaces()) {
            List<String> command = new ArrayList<>(List.of("ip"));
            command.addAll(ns);
            command.addAll(List.of("-json", "link", "show"));
            StreamSupport.stream(json(command.toArray(String[]::new)).spliterator(), false)
                    .map(link -> link.path("ifname").asText()).filter(n -> n.startsWith(name + "-")).forEach(out::add);
        }
        return out;
    }

    /** {@code ip}'s arguments for the root namespace and, if it exists, the labs' private OVS's namespace. */
    private static List<List<String>> linkNamespaces() {
        List<List<String>> out = new ArrayList<>(List.of(List.of()));
        privateOvsNamespace().ifPresent(ns -> out.add(List.of("-n", ns)));
        return out;
    }

    /** The namespace of the labs' private OVS while it exists; remembered, to check it is gone after the last lab. */
    private static Optional<String> privateOvsNamespace() {
        Optional<String> ns = PrivateOvs.attach(labs.resolve("ovs")).filter(PrivateOvs::namespaceExists)
                .map(PrivateOvs::namespace);
        ns.ifPresent(SEEN_OVS_NAMESPACES::add);
        return ns;
    }

    /** Deletes an OVS switch port's device by hand, wherever the lab's OVS keeps it. */
    private static void deleteSwitchPort(String device) throws Exception {
        for (List<String> ns : linkNamespaces()) {
            List<String> command = new ArrayList<>(List.of("ip"));
            command.addAll(ns);
            command.addAll(List.of("-json", "link", "show"));
            boolean there = StreamSupport.stream(json(command.toArray(String[]::new)).spliterator(), false)
                    .anyMatch(link -> link.path("ifname").asText().equals(device));
            if (there) {
                List<String> delete = new ArrayList<>(List.of("ip"));
                delete.addAll(ns);
                delete.addAll(List.of("link", "del", device));
                run(delete.toArray(String[]::new));
                return;
            }
        }
        throw new AssertionError("no device " + device);
    }

    private static Optional<JsonNode> link(String device) throws Exception {
        return StreamSupport.stream(json("ip", "-json", "-details", "link", "show").spliterator(), false)
                .filter(link -> link.path("ifname").asText().equals(device)).findFirst();
    }

    /**
     * Every interface of lab {@code name} by name: links in the root namespace and the private OVS's, and
     * NAMESPACE/IFNAME inside its hosts.
     */
    private static Map<String, Integer> ifindexes(String name) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        for (List<String> ns : linkNamespaces()) {
            List<String> command = new ArrayList<>(List.of("ip"));
            command.addAll(ns);
            command.addAll(List.of("-json", "link", "show"));
            for (JsonNode link : json(command.toArray(String[]::new))) {
                if (link.path("ifname").asText().startsWith(name + "-")) {
                    out.put(link.path("ifname").asText(), link.path("ifindex").asInt());
                }
            }
        }
        for (String ns : namespaces(name)) {
            for (JsonNode link : json("ip", "-n", ns, "-json", "link", "show")) {
                out.put(ns + "/" + link.path("ifname").asText(), link.path("ifindex").asInt());
            }
        }
        return out;
    }

    /** The lab's OVS bridges; none while its OVS does not answer yet. */
    private static List<String> ovsBridgesOrNone(String name) {
        try {
            return stateOvs(name).filter(Ovs::runs).map(ovs -> {
                try {
                    return ovs.bridges(name);
                } catch (Exception | AssertionError e) {
                    return List.<String>of();
                }
            }).orElse(List.of());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The OVS the lab's state names. */
    private static Ovs ovsOf(String name) {
        privateOvsNamespace(); // remembered, to check it is gone after the last lab
        return stateOvs(name).orElseThrow(() -> new AssertionError("lab " + name + " records no OVS"));
    }

    private static Optional<Ovs> stateOvs(String name) {
        try {
            JsonNode state = JSON.readTree(stateFile(name).toFile());
            return state.path("ovsDb").isTextual() ? Optional.of(new Ovs(state.path("ovsDb").asText())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not there yet, or being replaced
        }
    }

    /** {@code ovs-vsctl} on one OVSDB. */
    private record Ovs(String db) {
        boolean runs() {
            return Files.exists(Path.of(db.substring("unix:".length())));
        }

        String vsctl(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=" + db, "--timeout=10"));
            command.addAll(List.of(args));
            return run(command.toArray(String[]::new)).strip();
        }

        List<String> bridges(String name) throws Exception {
            return vsctl("list-br").lines().filter(b -> b.startsWith(name + "-")).sorted().toList();
        }
    }

    private static JsonNode json(String... command) throws Exception {
        String out = run(command);
        return out.isBlank() ? JSON.createArrayNode() : JSON.readTree(out);
    }

    /**
     * Runs a command to completion (at most 30 s); its stdout, or an AssertionError with its output
     * if it fails. Output goes to files, read after the wait: reading a pipe first would wait as long
     * as any child the command left keeps the pipe open, past any time limit.
     */
    private static String run(String... command) throws Exception {
        Path out = Files.createTempFile("sb-lab-it", ".out");
        Path err = Files.createTempFile("sb-lab-it", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            boolean finished = process.waitFor(30, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (!finished || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + (finished ? " failed" : " did not finish in 30 s")
                        + ":\n" + stdout + Files.readString(err));
            }
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Stream<String> processesMentioning(String text) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(text)).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""));
    }

    // ---- the launcher

    /** What one run of the launcher printed, and its exit status. */
    private record Run(int status, String out, String err) {
        Run succeeded() {
            assertThat(status).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isZero();
            return this;
        }

        void failedWith(String message) {
            assertThat(status).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(1);
            // the launcher's own notice when sources changed since the jar was built is not the command's
            List<String> lines = err.lines().filter(line -> !line.startsWith("switchboard: building ")).toList();
            assertThat(lines).as("stderr").hasSize(1);
            assertThat(lines.get(0)).startsWith("switchboard: ").contains(message);
        }
    }

    /** {@code ./switchboard lab args...} with this test's labs directory. */
    private static Run lab(String... args) throws Exception {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--name")) {
                USED.add(args[i + 1]);
            }
        }
        List<String> command = new ArrayList<>(List.of("lab"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("sb-lab-it", ".out");
        Path err = Files.createTempFile("sb-lab-it", ".err");
        try {
            Process process = launcher(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("./switchboard " + String.join(" ", command) + " did not finish within " + RUN_LIMIT);
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts {@code ./switchboard args...} without waiting; its output is discarded. */
    private static Process launch(List<String> args) throws IOException {
        int name = args.indexOf("--name");
        if (name >= 0) {
            USED.add(args.get(name + 1));
        }
        Process process = launcher(args).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        return process;
    }

    private static ProcessBuilder launcher(List<String> args) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("switchboard").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().put("SWITCHBOARD_JAVA_OPTS", "-Dswitchboard.labs=" + labs);
        return builder;
    }
}
