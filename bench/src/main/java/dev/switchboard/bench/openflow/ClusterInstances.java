package dev.switchboard.bench.openflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * Switchboard instances for the cluster benchmark: each a {@code java -jar switchboard.jar
 * controller --config FILE} process of its own with a {@code cluster:} section, l2-learning, an
 * OpenFlow port and a REST port on loopback, its output in a log file beside its config.
 *
 * <p>Used from the benchmark's main thread only.
 */
final class ClusterInstances implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** One instance: its node id, ports, process and log. */
    record Instance(String id, int openflowPort, int restPort, Process process, Path log) {
        InetSocketAddress openflow() {
            return new InetSocketAddress(LOOPBACK, openflowPort);
        }
    }

    private final List<Instance> instances;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ClusterInstances(List<Instance> instances) {
        this.instances = instances;
    }

    /**
     * Starts {@code count} instances named {@code n1…} in {@code dir}, all of one cluster under
     * {@code root} on ZooKeeper {@code connect}.
     *
     * @param javaOptions JVM options of each instance, e.g. {@code -Xmx512m}
     * @param wrapper a command each instance runs under, e.g. {@code taskset -c 1}; empty for none
     */
    static ClusterInstances start(Path jar, Path dir, int count, String connect, Duration sessionTimeout,
                                  String root, List<String> javaOptions, List<String> wrapper) throws IOException {
        List<Instance> started = new ArrayList<>();
        ClusterInstances all = new ClusterInstances(started);
        try {
            for (int i = 1; i <= count; i++) {
                started.add(startOne(jar, dir, "n" + i, connect, sessionTimeout, root, javaOptions, wrapper));
            }
            return all;
        } catch (IOException | RuntimeException e) {
            all.close();
            throw e;
        }
    }

    private static Instance startOne(Path jar, Path dir, String id, String connect, Duration sessionTimeout,
                                     String root, List<String> javaOptions, List<String> wrapper) throws IOException {
        int openflow = freePort();
        int rest = freePort();
        Path config = dir.resolve(root.substring(1) + "-" + id + ".yaml");
        Files.writeString(config, """
                openflow:
                  listen: ["127.0.0.1:%d"]
                  versions: ["1.3"]
                rest:
                  port: %d
                apps:
                  l2-learning: {}
                cluster:
                  connect: %s
                  nodeId: %s
                  sessionTimeout: %dms
                  root: %s
                """.formatted(openflow, rest, connect, id, sessionTimeout.toMillis(), root));
        Path log = dir.resolve(root.substring(1) + "-" + id + ".log");
        List<String> command = new ArrayList<>(wrapper);
        command.add("java");
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", jar.toString(), "controller", "--config", config.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Instance(id, openflow, rest, process, log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        }
    }

    List<Instance> all() {
        return List.copyOf(instances);
    }

    /**
     * Until every instance's REST API says it is connected to ZooKeeper and sees all of them as
     * members, and its OpenFlow port accepts connections.
     *
     * @throws IllegalStateException if an instance exits or {@code patience} runs out
     */
    void awaitReady(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        for (Instance instance : instances) {
            while (!ready(instance)) {
                if (!instance.process().isAlive()) {
                    throw new IllegalStateException("instance " + instance.id() + " exited: see " + instance.log());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("instance " + instance.id() + " not ready within " + patience
                            + ": see " + instance.log());
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    private boolean ready(Instance instance) throws InterruptedException {
        try {
            JsonNode cluster = cluster(instance);
            if (!cluster.path("connected").asBoolean() || cluster.path("members").size() != instances.size()) {
                return false;
            }
            try (Socket probe = new Socket()) {
                probe.connect(instance.openflow(), 1000);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code GET /api/v1/cluster} of {@code instance}. */
    JsonNode cluster(Instance instance) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + instance.restPort() + "/api/v1/cluster"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /api/v1/cluster of " + instance.id() + ": " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    /** The master of each switch, by node id, as {@code instance}'s REST API says. */
    Map<DatapathId, String> mastersSeenBy(Instance instance) throws IOException, InterruptedException {
        Map<DatapathId, String> masters = new HashMap<>();
        for (JsonNode mastership : cluster(instance).path("masters")) {
            masters.put(DatapathId.of(mastership.path("dpid").asText()), mastership.path("master").asText());
        }
        return masters;
    }

    /**
     * CPU seconds (user + system) the live instances have used so far, from {@code /proc/PID/stat}
     * (clock ticks of 1/100 s, Linux's USER_HZ).
     */
    double cpuSeconds() {
        double total = 0;
        for (Instance instance : instances) {
            if (!instance.process().isAlive()) {
                continue;
            }
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(instance.process().pid()), "stat"));
                // the command name, field 2, is in parentheses and may hold blanks: count after it
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
            } catch (IOException | RuntimeException e) {
                return Double.NaN; // not Linux, or the process just went: no figure rather than a wrong one
            }
        }
        return total;
    }

    /** SIGKILL: no goodbye to ZooKeeper, so its session must time out. Waits for the exit. */
    void kill(Instance instance) throws InterruptedException {
        instance.process().destroyForcibly();
        instance.process().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the instance leaves the cluster as it shuts down. Does not wait. */
    void stop(Instance instance) {
        instance.process().destroy();
    }

    /** Stops every instance still running (SIGTERM, then SIGKILL after 15 s). */
    @Override
    public void close() {
        instances.forEach(i -> i.process().destroy());
        for (Instance instance : instances) {
            try {
                if (!instance.process().waitFor(15, TimeUnit.SECONDS)) {
                    instance.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                instance.process().destroyForcibly();
            }
        }
    }
}
