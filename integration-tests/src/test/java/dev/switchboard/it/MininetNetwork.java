package dev.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Mininet network (Debian's Mininet, driven through its Python API by
 * {@code mininet_driver.py}) whose switches live in a private OVS with the userspace
 * datapath and connect to a controller on the OVS's uplink. Mininet runs inside the OVS's
 * network namespace, so the switch ports it makes are where that ovs-vswitchd can open them. Node names carry the run's prefix in
 * the kernel; methods take and return the plain Mininet names ({@code h1}, {@code s2}).
 */
final class MininetNetwork implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "MNRESULT ";
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final StringBuilder log = new StringBuilder();
    private final String prefix;
    private final String namespace;

    private MininetNetwork(Process process, String prefix, String namespace) {
        this.process = process;
        this.prefix = prefix;
        this.namespace = namespace;
        this.commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> read(process.getInputStream()), "mininet-" + prefix);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code topology} (single,N / linear,N / tree,D,F / ring,N / diamond / routed)
     * and waits until every switch is connected to the controller at {@code port} of
     * {@link PrivateOvs#controllerAddress()}.
     *
     * @param protocols OVS's name for the OpenFlow version, e.g. OpenFlow13
     */
    static MininetNetwork start(PrivateOvs ovs, String topology, int port, String protocols, String prefix) {
        try {
            Path driver = ovs.runDirectory().resolve("mininet_driver.py");
            try (InputStream in = MininetNetwork.class.getResourceAsStream("/mininet_driver.py")) {
                Files.copy(in, driver, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            ProcessBuilder builder = new ProcessBuilder(ovs.inNamespace(java.util.List.of("/usr/bin/python3",
                    driver.toString(), topology, prefix, String.valueOf(port), protocols,
                    ovs.controllerAddress().getHostAddress()))).redirectErrorStream(true);
            builder.environment().putAll(ovs.environment());
            MininetNetwork network = new MininetNetwork(builder.start(), prefix, ovs.namespace());
            try {
                JsonNode started = network.next(START_LIMIT);
                if (!started.path("started").asBoolean()) {
                    throw new IllegalStateException("Mininet did not start: " + started);
                }
            } catch (RuntimeException e) {
                network.close();
                throw e;
            }
            return network;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(MARK)) {
                    answers.add(line.substring(MARK.length()));
                } else {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // the process ended; next() reports it
        }
        answers.add("{\"ended\": true}");
    }

    private JsonNode next(Duration limit) {
        try {
            String line = answers.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IllegalStateException("Mininet gave no answer within " + limit + "; its output:\n" + output());
            }
            JsonNode answer = JSON.readTree(line);
            if (answer.has("ended")) {
                throw new IllegalStateException("Mininet ended; its output:\n" + output());
            }
            if (answer.has("error")) {
                throw new IllegalStateException("Mininet: " + answer.path("error").asText());
            }
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mininet's output other than answers (warnings, errors). */
    String output() {
        synchronized (log) {
            return log.toString();
        }
    }

    JsonNode call(ObjectNode request, Duration limit) {
        try {
            commands.write(JSON.writeValueAsString(request) + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Mininet's stdin is closed; its output:\n" + output(), e);
        }
        return next(limit);
    }

    /** Mininet's own {@code pingall}: the percentage of pings dropped. */
    double pingAll() {
        return call(JSON.createObjectNode().put("cmd", "pingall"), Duration.ofMinutes(3)).path("dropped").asDouble();
    }

    /** Runs a shell line on a node and returns its output. */
    String run(String node, String line) {
        return call(JSON.createObjectNode().put("cmd", "run").put("node", node).put("line", line),
                Duration.ofMinutes(2)).path("output").asText();
    }

    /** Mininet's {@code link a b up|down}. */
    void link(String a, String b, boolean up) {
        call(JSON.createObjectNode().put("cmd", "link").put("a", a).put("b", b).put("state", up ? "up" : "down"),
                Duration.ofSeconds(30));
    }

    /** iperf (TCP) from host a to host b for {@code seconds}: the client's rate, e.g. {@code 676 Mbits/sec}. */
    String iperf(String a, String b, int seconds) {
        return call(JSON.createObjectNode().put("cmd", "iperf").put("a", a).put("b", b).put("seconds", seconds),
                Duration.ofSeconds(seconds + 60)).path("rate").asText();
    }

    /** Switches (name to dpid), links (two ends: node and switch port or null) and hosts (mac, ip). */
    JsonNode topology() {
        return call(JSON.createObjectNode().put("cmd", "topology"), Duration.ofSeconds(30));
    }

    String kernelName(String node) {
        return prefix + node;
    }

    /** Stops the network (Mininet removes its interfaces and switches); kills the driver if it hangs. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                commands.write("{\"cmd\": \"stop\"}\n");
                commands.flush();
            }
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        sweep();
    }

    /**
     * What Mininet leaves when its driver had to be killed: host shells (named
     * {@code mininet:PREFIXh1}) and switch ports in the OVS's namespace (named after the switch).
     */
    private void sweep() {
        dev.switchboard.ovs.runtime.Commands.run(java.util.List.of("pkill", "-9", "-f", "mininet:" + prefix),
                java.util.Map.of(), Duration.ofSeconds(10));
        String links = dev.switchboard.ovs.runtime.Commands.run(java.util.List.of("ip", "-n", namespace, "-o", "link", "show"),
                java.util.Map.of(), Duration.ofSeconds(10)).stdout();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\d+: (" + prefix + "[^:@]+)[:@]",
                java.util.regex.Pattern.MULTILINE).matcher(links);
        while (m.find()) {
            dev.switchboard.ovs.runtime.Commands.run(java.util.List.of("ip", "-n", namespace, "link", "del", m.group(1)),
                    java.util.Map.of(), Duration.ofSeconds(10));
        }
    }
}
