package dev.switchboard.ovs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs real OVS daemons (installed here): needs root and the openvswitch-switch package. The
 * host's OVS may run, with userspace bridges too: each private ovs-vswitchd has a namespace of its own.
 */
class PrivateOvsTest {

    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    /** A per-run prefix, so leftovers of one run are told apart from another's. */
    private static final String PREFIX = "sb" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));

    @BeforeAll
    static void needsRootAndOvs() {
        assumeTrue(Commands.isInstalled("ovs-vswitchd") && Commands.isInstalled("ovsdb-server"),
                "Open vSwitch is not installed");
        assumeTrue("0".equals(Commands.run(Duration.ofSeconds(5), "id", "-u").stdout().strip()),
                "a private OVS needs root");
    }

    @Test
    void runsABridgeAndLeavesNothingBehind() {
        String bridge = PREFIX + "br";
        PrivateOvs ovs = PrivateOvs.start();
        Path dir = ovs.runDirectory();
        List<Long> pids;
        try {
            pids = ovs.pids();
            assertThat(pids).hasSize(2);
            assertThat(dir).startsWith(Path.of("/tmp")).isDirectory();
            assertThat(ovs.dbTarget()).isEqualTo("unix:" + dir.resolve("db.sock"));
            assertThat(ovs.environment()).containsEntry("OVS_RUNDIR", dir.toString());

            ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev");

            assertThat(ovs.vsctl("list-br")).isEqualTo(bridge);
            assertThat(ovs.ofctl("dump-flows", bridge)).contains("actions=NORMAL");
            assertThat(ovs.appctl("dpif/show")).contains(bridge);
            assertThat(ovs.appctl("-t", "ovsdb-server", "version")).contains("ovsdb-server");
            assertThat(linkExists(ovs.namespace(), bridge)).isTrue();
            assertThat(linkExists(ovs.namespace(), PrivateOvs.NETDEV_TAP)).isTrue();
            assertThat(SYS_CLASS_NET.resolve(bridge)).as("the bridge's tap is in the namespace only").doesNotExist();
        } finally {
            ovs.close();
        }
        ovs.close();
        assertThat(namespaces()).doesNotContain(ovs.namespace());

        assertThat(ovs.pids()).isEmpty();
        assertThat(pids).noneMatch(pid -> Files.exists(Path.of("/proc", pid.toString(), "comm"))
                && (DaemonProcesses.isAlive(pid, "ovs-vswitchd") || DaemonProcesses.isAlive(pid, "ovsdb-server")));
        assertThat(dir).doesNotExist();
        assertThat(SYS_CLASS_NET.resolve(bridge)).doesNotExist();
    }

    @Test
    void failedCommandNamesCommandStatusAndStderr() {
        try (PrivateOvs ovs = PrivateOvs.start()) {
            assertThatThrownBy(() -> ovs.vsctl("del-br", PREFIX + "none"))
                    .isInstanceOf(OvsCommandException.class)
                    .hasMessageContaining("ovs-vsctl")
                    .hasMessageContaining("del-br " + PREFIX + "none")
                    .hasMessageContaining("status 1")
                    .hasMessageContaining("no bridge named");
        }
    }

    @Test
    void twoInstancesWithUserspaceBridgesRunSideBySideEachInItsOwnNamespace() {
        String bridge = PREFIX + "bx";
        try (PrivateOvs first = PrivateOvs.start(); PrivateOvs second = PrivateOvs.start()) {
            for (PrivateOvs ovs : List.of(first, second)) {
                ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev");
                assertThat(ovs.appctl("dpif/show")).contains(bridge);
                assertThat(linkExists(ovs.namespace(), PrivateOvs.NETDEV_TAP)).isTrue();
            }
            assertThat(first.isRunning()).isTrue();
            assertThat(second.isRunning()).isTrue();
            assertThat(first.namespace()).isNotEqualTo(second.namespace());
            assertThat(first.controllerAddress()).isNotEqualTo(second.controllerAddress());
        }
    }

    @Test
    void aControllerListeningOnTheControllerAddressInTheRootNamespaceIsReached() throws IOException {
        String bridge = PREFIX + "bc";
        try (PrivateOvs ovs = PrivateOvs.start();
                ServerSocket controller = new ServerSocket(0, 1, ovs.controllerAddress())) {
            controller.setSoTimeout(30_000);
            ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev",
                    "--", "set-controller", bridge, ovs.controllerTarget(controller.getLocalPort()));

            try (Socket fromOvs = controller.accept()) {
                // OpenFlow starts with the switch's HELLO: version byte, then type 0
                byte[] header = fromOvs.getInputStream().readNBytes(2);
                assertThat(header[1]).isZero();
            }
        }
    }

    @Test
    void aKilledSwitchDaemonStartsAgainOnItsDatabaseAndForwardsAgain() {
        String bridge = PREFIX + "rs";
        List<String> namespaces = List.of(PREFIX + "rn1", PREFIX + "rn2");
        List<String> veths = List.of(PREFIX + "rv1", PREFIX + "rv2");
        try (PrivateOvs ovs = PrivateOvs.start()) {
            try {
                ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev");
                for (int i = 0; i < 2; i++) {
                    hostBehind(namespaces.get(i), veths.get(i), "10.214.0." + (i + 1) + "/24");
                    ovs.moveIntoNamespace(veths.get(i));
                    ovs.vsctl("add-port", bridge, veths.get(i));
                }
                assertThat(ping(namespaces.get(0), "10.214.0.2")).isTrue();
                long before = ovs.pids().get(1);

                ovs.killSwitchDaemon();

                assertThat(ovs.isRunning()).isFalse();
                assertThat(ovs.pids()).hasSize(1);
                // the userspace datapath's taps outlive the daemon...
                assertThat(linkExists(ovs.namespace(), PrivateOvs.NETDEV_TAP)).isTrue();
                assertThat(linkExists(ovs.namespace(), bridge)).isTrue();

                ovs.startSwitchDaemon();

                // ...and the new daemon takes them over: the bridge forwards again
                assertThat(ovs.isRunning()).isTrue();
                assertThat(ovs.pids().get(1)).isNotEqualTo(before);
                assertThat(ovs.appctl("dpif/show")).contains(bridge);
                assertThat(ping(namespaces.get(0), "10.214.0.2")).isTrue();
                assertThatThrownBy(ovs::startSwitchDaemon).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("running already");
            } finally {
                namespaces.forEach(ns -> Commands.run(Duration.ofSeconds(10), "ip", "netns", "del", ns));
            }
        }
        assertThat(SYS_CLASS_NET.resolve(bridge)).doesNotExist();
        assertThat(SYS_CLASS_NET.resolve(veths.get(0))).as("moved in, gone with the namespace").doesNotExist();
    }

    @Test
    void aPausedSwitchDaemonStopsAnsweringResumesAndIsStillClosedCleanlyWhilePaused() throws IOException {
        String bridge = PREFIX + "rp";
        PrivateOvs ovs = PrivateOvs.start();
        long vswitchd;
        try {
            ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev");
            vswitchd = ovs.pids().get(1);

            ovs.pauseSwitchDaemon();
            // kill(1) returns before the kernel has stopped the process: a look at once may still see it running
            await().atMost(Duration.ofSeconds(10)).until(() -> processState(vswitchd) == 'T');
            assertThat(ovs.isRunning()).as("stopped, not gone").isTrue();
            ovs.resumeSwitchDaemon();
            await().atMost(Duration.ofSeconds(10)).until(() -> processState(vswitchd) != 'T');
            assertThat(ovs.appctl("dpif/show")).contains(bridge);

            ovs.pauseSwitchDaemon();
        } finally {
            ovs.close();
        }
        assertThat(ovs.pids()).isEmpty();
        assertThat(namespaces()).doesNotContain(ovs.namespace());
    }

    private static char processState(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void aStoppedDatabaseCanBeChangedOfflineAndStartsAgainOnTheSameFileAndSocket() {
        String bridge = PREFIX + "rd";
        try (PrivateOvs ovs = PrivateOvs.start()) {
            ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "fail_mode=secure");
            long before = ovs.pids().get(0);

            ovs.stopOvsdbServer();
            assertThat(ovs.isRunning()).isFalse();
            Commands.check(List.of("ovsdb-tool", "transact", ovs.databaseFile().toString(), """
                    ["Open_vSwitch", {"op": "update", "table": "Bridge", "where": [["name", "==", "%s"]],
                     "row": {"fail_mode": "standalone"}}]""".formatted(bridge)), ovs.environment(), Duration.ofSeconds(10));
            ovs.startOvsdbServer();

            assertThat(ovs.pids().get(0)).isNotEqualTo(before);
            assertThat(ovs.vsctl("get", "bridge", bridge, "fail_mode")).isEqualTo("standalone");
            assertThatThrownBy(ovs::startOvsdbServer).isInstanceOf(IllegalStateException.class);
        }
    }

    private static void hostBehind(String namespace, String veth, String address) {
        ip("netns", "add", namespace);
        ip("link", "add", veth, "type", "veth", "peer", "name", veth + "i");
        ip("link", "set", veth + "i", "netns", namespace);
        ip("-n", namespace, "addr", "add", address, "dev", veth + "i");
        ip("-n", namespace, "link", "set", veth + "i", "up");
        ip("link", "set", veth, "up");
    }

    private static void ip(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Commands.check(command, java.util.Map.of(), Duration.ofSeconds(10));
    }

    /** Whether {@code target} answers within a few tries (standalone bridges learn as they go). */
    private static boolean ping(String namespace, String target) {
        return Commands.run(Duration.ofSeconds(30), "ip", "netns", "exec", namespace, "ping", "-c", "1", "-w", "10",
                target).succeeded();
    }

    private static boolean linkExists(String namespace, String link) {
        return Commands.run(Duration.ofSeconds(10), "ip", "-n", namespace, "link", "show", link).succeeded();
    }

    private static List<String> namespaces() {
        return Commands.run(Duration.ofSeconds(10), "ip", "netns", "list").stdout().lines()
                .map(line -> line.split("\\s+")[0]).toList();
    }

    @Test
    void aStartFailingHalfWayStopsWhatStartedAndRemovesTheDirectory(@TempDir Path parent) {
        Path dir = parent.resolve("ovs");
        var launch = new PrivateOvs.Launch(PrivateOvs.DEFAULT_SCHEMA, List.of("--no-such-option"));

        assertThatThrownBy(() -> PrivateOvs.start(dir, launch))
                .isInstanceOf(OvsCommandException.class)
                .hasMessageContaining("ovs-vswitchd")
                .hasMessageContaining("exited with status");

        // others (the host's OVS, other tests) may start or stop ovsdb-servers meanwhile: look for ours only
        assertThat(DaemonProcesses.processesNamed("ovsdb-server")).noneMatch(pid -> ProcessHandle.of(pid)
                .flatMap(p -> p.info().commandLine()).filter(line -> line.contains(dir.toString())).isPresent());
        assertThat(dir).doesNotExist();
        // The failed instance left nothing that stops a new one in the same directory.
        try (PrivateOvs ovs = PrivateOvs.start(dir)) {
            assertThat(ovs.runDirectory()).isEqualTo(dir);
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void reusesTheDirectoryOfAnEarlierRunButRefusesAForeignOne(@TempDir Path parent) throws IOException {
        Path earlier = Files.createDirectory(parent.resolve("earlier"));
        Files.writeString(earlier.resolve("conf.db"), "stale");
        Files.writeString(earlier.resolve("ovs-vswitchd.pid"), "999999999\n");
        try (PrivateOvs ovs = PrivateOvs.start(earlier)) {
            assertThat(ovs.pids()).hasSize(2);
        }

        Path foreign = Files.createDirectory(parent.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> PrivateOvs.start(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing");
        assertThat(foreign.resolve("notes.txt")).exists();

        Path tooLong = parent.resolve("x".repeat(PrivateOvs.MAX_RUN_DIRECTORY_LENGTH));
        assertThatThrownBy(() -> PrivateOvs.start(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unix socket");
        assertThat(tooLong).doesNotExist();
    }
}
