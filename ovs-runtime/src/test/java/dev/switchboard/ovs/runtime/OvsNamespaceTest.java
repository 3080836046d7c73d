package dev.switchboard.ovs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes private OVS instances safe to start side by side, from threads and from processes (test forks): each
 * gets an uplink subnet of its own, and a namespace some live process is in is never deleted. Needs root.
 */
class OvsNamespaceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PREFIX = "sb" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));

    @TempDir
    Path parent;

    @BeforeAll
    static void needsRoot() {
        assumeTrue("0".equals(Commands.run(Duration.ofSeconds(5), "id", "-u").stdout().strip()), "namespaces need root");
    }

    @Test
    void namespacesCreatedAtOnceFromThreadsGetDistinctSubnets() throws Exception {
        List<OvsNamespace> namespaces = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            namespaces.add(OvsNamespace.of(parent.resolve("ovs" + i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(namespaces.size());
        try {
            List<Future<?>> creating = new ArrayList<>();
            for (OvsNamespace ns : namespaces) {
                creating.add(pool.submit(ns::create));
            }
            for (Future<?> f : creating) {
                f.get(60, TimeUnit.SECONDS);
            }
            Set<Integer> subnets = new HashSet<>();
            for (OvsNamespace ns : namespaces) {
                subnets.add(OvsNamespace.subnetOf(ns.controllerAddress().orElseThrow()));
            }
            assertThat(subnets).hasSize(namespaces.size());
        } finally {
            pool.shutdownNow();
            namespaces.forEach(OvsNamespace::delete);
        }
    }

    /**
     * Another process has chosen the first free subnet and not yet taken it when this one creates a namespace: without
     * the host-wide lock both would take the same /30 (ours is chosen before the other's address exists).
     */
    @Test
    void aNamespaceCreatedWhileAnotherProcessChoosesGetsAnotherSubnet() throws Exception {
        String veth = PREFIX + "ul";
        OvsNamespace ns = OvsNamespace.of(parent.resolve("ovs"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                UplinkLockHolder.class.getName(), veth).redirectErrorStream(true).start();
        try (BufferedReader said = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
                Writer tell = other.outputWriter(StandardCharsets.UTF_8)) {
            awaitLine(said, "held");
            CompletableFuture<Void> creating = CompletableFuture.runAsync(ns::create);
            Thread.sleep(500); // time enough to choose a subnet, were nothing holding us back
            tell.write("go\n");
            tell.flush();
            InetAddress taken = InetAddress.getByName(awaitLine(said, "took ").substring("took ".length()));
            creating.get(60, TimeUnit.SECONDS);
            assertThat(OvsNamespace.subnetOf(ns.controllerAddress().orElseThrow()))
                    .as("our subnet, beside the other process's %s", taken).isNotEqualTo(OvsNamespace.subnetOf(taken));
        } finally {
            other.waitFor(30, TimeUnit.SECONDS);
            other.destroyForcibly();
            ns.delete();
            Commands.run(TIMEOUT, "ip", "link", "del", veth);
        }
        assertThat(Commands.run(TIMEOUT, "ip", "link", "show", veth).succeeded()).as("the other process's veth removed").isFalse();
    }

    @Test
    void aNamespaceWithLiveProcessesIsLeftAloneAndAStaleOneIsReplaced() throws Exception {
        Path dir = parent.resolve("ovs");
        String name = OvsNamespace.of(dir).name();
        Commands.check(List.of("ip", "netns", "add", name), Map.of(), TIMEOUT);
        Process inside = new ProcessBuilder("ip", "netns", "exec", name, "sleep", "600").start();
        try {
            await().atMost(TIMEOUT).until(() -> !OvsNamespace.of(dir).pidsInside().isEmpty());

            assertThatThrownBy(() -> PrivateOvs.start(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("network namespace " + name + " already exists and processes run in it")
                    .hasMessageContaining("ip netns pids " + name);
            assertThat(inside.isAlive()).isTrue();
            assertThat(OvsNamespace.of(dir).exists()).as("the live namespace, after the failed start cleaned up").isTrue();
        } finally {
            inside.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        // now nothing runs in it: a leftover, replaced by a namespace with an uplink
        try (PrivateOvs ovs = PrivateOvs.start(dir)) {
            assertThat(ovs.namespace()).isEqualTo(name);
            assertThat(ovs.controllerAddress().getHostAddress()).startsWith("169.254.");
            assertThat(OvsNamespace.of(dir).pidsInside()).as("ovs-vswitchd runs in it").isNotEmpty();
        }
        assertThat(OvsNamespace.of(dir).exists()).isFalse();
    }

    private static String awaitLine(BufferedReader reader, String start) throws IOException {
        StringBuilder before = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith(start)) {
                return line;
            }
            before.append(line).append('\n');
        }
        throw new AssertionError("the other process ended before saying '" + start + "'; its output:\n" + before);
    }
}
