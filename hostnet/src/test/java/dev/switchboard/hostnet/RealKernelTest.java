package dev.switchboard.hostnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that change the real kernel (they need root). Every object is named with a per-run prefix
 * ({@code "sb" + 4 hex}); after each test every namespace and root-namespace link with the prefix is deleted, also when
 * the test failed, and after the class none may be left. State is checked from outside, with iproute2 run by the
 * test itself ({@link #sh}, {@link #json}), not through {@link HostNetwork}.
 */
abstract class RealKernelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** "sb" and 4 hex digits, e.g. "sb3f9a"; leaves 9 characters of a 15-character interface name. */
    static final String P = "sb" + HexFormat.of().formatHex(new SecureRandom().generateSeed(2));

    final HostNetwork net = new HostNetwork();

    @BeforeAll
    static void needsRoot() throws IOException {
        String status = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/status"));
        assertThat(status).as("these tests change the kernel and must run as root").containsPattern("Uid:\\s+0\\s");
    }

    @AfterEach
    void deleteWhatTheTestMade() {
        for (String ns : namespacesWithPrefix()) {
            sh("ip", "netns", "del", ns);
        }
        for (String link : rootLinksWithPrefix()) {
            sh("ip", "link", "del", link);
        }
        // veth ends whose peer was in a deleted namespace disappear asynchronously
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> rootLinksWithPrefix().isEmpty());
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(namespacesWithPrefix()).isEmpty();
        assertThat(rootLinksWithPrefix()).isEmpty();
    }

    static List<String> namespacesWithPrefix() {
        List<String> out = new ArrayList<>();
        for (JsonNode ns : json("ip", "-json", "netns", "list")) {
            if (ns.path("name").asText().startsWith(P)) {
                out.add(ns.path("name").asText());
            }
        }
        return out;
    }

    static List<String> rootLinksWithPrefix() {
        List<String> out = new ArrayList<>();
        for (JsonNode link : json("ip", "-json", "link", "show")) {
            if (link.path("ifname").asText().startsWith(P)) {
                out.add(link.path("ifname").asText());
            }
        }
        return out;
    }

    /** The names of the links of a namespace as {@code ip -json link show} reports them. */
    static List<String> linkNames(String ns) {
        List<String> out = new ArrayList<>();
        json("ip", "-n", ns, "-json", "link", "show").forEach(l -> out.add(l.path("ifname").asText()));
        return out;
    }

    /** One link of {@code ip [-n ns] -json -details link show dev NAME}. */
    static JsonNode linkJson(String ns, String name) {
        JsonNode all = ns == null
                ? json("ip", "-json", "-details", "link", "show", "dev", name)
                : json("ip", "-n", ns, "-json", "-details", "link", "show", "dev", name);
        return all.get(0);
    }

    /** The "address/prefix" strings of a link. */
    static List<String> addressesOf(String ns, String link) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : json("ip", "-n", ns, "-json", "address", "show", "dev", link)) {
            item.path("addr_info").forEach(a -> out.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt()));
        }
        return out;
    }

    /** Pings once from a namespace; true when a reply came. */
    static boolean ping(String fromNs, String address) {
        Result r = run(List.of("ip", "netns", "exec", fromNs, "ping", "-c", "1", "-W", "1", address));
        return r.exit == 0;
    }

    /** Pings until a reply comes (ARP/ND and carrier take a moment), at most 5 s. */
    static void assertPings(String fromNs, String address) {
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .alias("ping from " + fromNs + " to " + address)
                .until(() -> ping(fromNs, address));
    }

    static JsonNode json(String... command) {
        String out = sh(command);
        try {
            return out.isBlank() ? JSON.createArrayNode() : JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError("bad JSON from " + String.join(" ", command) + ": " + out, e);
        }
    }

    /** Runs a command; returns stdout, or fails the test with its stderr. */
    static String sh(String... command) {
        Result r = run(List.of(command));
        if (r.exit != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exit + "): " + r.stderr);
        }
        return r.stdout;
    }

    record Result(int exit, String stdout, String stderr) {
    }

    static Result run(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
            errReader.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            copy(p.getInputStream(), out);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            errReader.join();
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // process ended
        }
    }
}
