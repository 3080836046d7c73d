package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Switchboard instance of a test cluster, run as a process ({@code java -jar
 * server/target/switchboard.jar controller --config FILE}, the file with a {@code cluster:}
 * section), and read through its REST API. Its OpenFlow and REST ports are picked free once, so
 * a {@link #restart} comes back on the same ones, with the same node id, as a restarted instance
 * would.
 *
 * @param log the process's output, all its runs appended
 */
record ClusterMember(String id, int openflowPort, int restPort, Path config, Path log, Process process) {
    private static final Path JAR = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize()
            .resolve("server/target/switchboard.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Writes {@code id}'s config into {@code dir} and starts it: OpenFlow on {@code openflowAddress}, REST on
     * loopback, both on free ports; {@code apps} is the YAML of the {@code apps:} section's body, one line.
     */
    static ClusterMember start(Path dir, String id, InetAddress openflowAddress, String zookeeper, String root,
            Duration sessionTimeout, String apps) throws IOException {
        assertThat(JAR).as("built by the reactor before the integration tests").exists();
        int openflow = freePort(openflowAddress);
        int rest = freePort(InetAddress.getLoopbackAddress());
        Path config = dir.resolve(id + ".yaml");
        Files.writeString(config, """
                openflow:
                  listen: ["%s:%d"]
                rest:
                  port: %d
                apps:
                  %s
                cluster:
                  connect: %s
                  nodeId: %s
                  sessionTimeout: %ds
                  root: %s
                """.formatted(openflowAddress.getHostAddress(), openflow, rest, apps, zookeeper, id,
                sessionTimeout.toSeconds(), root));
        Path log = dir.resolve(id + ".log");
        return new ClusterMember(id, openflow, rest, config, log, launch(config, log));
    }

    /** Starts this member's config again (same node id, same ports), its output appended to the same log. */
    ClusterMember restart() throws IOException {
        return new ClusterMember(id, openflowPort, restPort, config, log, launch(config, log));
    }

    private static Process launch(Path config, Path log) throws IOException {
        return new ProcessBuilder("java", "-jar", JAR.toString(), "controller", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** SIGKILL: no goodbye to ZooKeeper, so its session has to time out. Waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** {@code GET /api/v1PATH}, which must answer 200. */
    JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(api(path)).build());
    }

    /** {@code POST /api/v1PATH} with a {@code text/plain} body, which must answer 200. */
    JsonNode post(String path, String text) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(api(path)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    /** The members this one lists in {@code GET /api/v1/cluster}. */
    List<String> members() throws IOException, InterruptedException {
        List<String> out = new java.util.ArrayList<>();
        get("/cluster").get("members").forEach(m -> out.add(m.asText()));
        return out;
    }

    private URI api(String path) {
        return URI.create("http://127.0.0.1:" + restPort + "/api/v1" + path);
    }

    private static JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", request.method(), request.uri(), response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Stops every member still running (SIGTERM, then SIGKILL after 15 s), for a finally block. */
    static void stopAll(List<ClusterMember> members) throws InterruptedException {
        for (ClusterMember member : members) {
            member.process().destroy();
        }
        for (ClusterMember member : members) {
            if (!member.process().waitFor(15, TimeUnit.SECONDS)) {
                member.process().destroyForcibly();
            }
        }
    }

    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            return socket.getLocalPort();
        }
    }
}
