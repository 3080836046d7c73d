package dev.switchboard.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A ZooKeeper ensemble of real servers on 127.0.0.1, each a {@code switchboard zookeeper} process of
 * its own (so one can be killed like a machine), on ports picked free. Used by the cluster demo.
 */
final class LoopbackEnsemble implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** One server: its number, client port, process and log. */
    record Server(int id, int clientPort, Process process, Path log) {
    }

    private final List<Server> servers;

    private LoopbackEnsemble(List<Server> servers) {
        this.servers = servers;
    }

    /**
     * Starts {@code size} servers (1 runs alone), their data and logs under {@code dir}; returns at once.
     * {@code java} is the command line that runs Switchboard's main class.
     */
    static LoopbackEnsemble start(int size, List<String> java, Path dir) throws IOException {
        List<Integer> clientPorts = new ArrayList<>();
        List<String> quorum = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            clientPorts.add(FreePorts.loopback());
            quorum.add(FreePorts.loopback() + ":" + FreePorts.loopback());
        }
        List<Server> started = new ArrayList<>();
        LoopbackEnsemble ensemble = new LoopbackEnsemble(started);
        try {
            for (int id = 1; id <= size; id++) {
                List<String> command = new ArrayList<>(java);
                command.addAll(List.of("zookeeper", "--id", String.valueOf(id), "--dir", dir.resolve("zk" + id).toString(),
                        "--client-port", String.valueOf(clientPorts.get(id - 1))));
                if (size > 1) {
                    command.addAll(List.of("--servers", String.join(",", quorum)));
                }
                Path log = dir.resolve("zk" + id + ".log");
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                started.add(new Server(id, clientPorts.get(id - 1), process, log));
            }
            return ensemble;
        } catch (IOException | RuntimeException e) {
            ensemble.close();
            throw e;
        }
    }

    List<Server> servers() {
        return List.copyOf(servers);
    }

    /** The client connect string, {@code 127.0.0.1:P1,127.0.0.1:P2,...}. */
    String connectString() {
        return String.join(",", servers.stream().map(s -> "127.0.0.1:" + s.clientPort()).toList());
    }

    /**
     * Waits until every server serves: leader or follower in an ensemble, standalone alone.
     *
     * @return each server's mode, in server order
     */
    List<String> awaitServing() throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            List<Optional<String>> modes = servers.stream().map(s -> mode(s.clientPort())).toList();
            if (modes.stream().allMatch(Optional::isPresent)) {
                return modes.stream().map(Optional::get).toList();
            }
            for (Server server : servers) {
                if (!server.process().isAlive()) {
                    throw new UserFacingException("ZooKeeper server " + server.id() + " exited (status "
                            + server.process().exitValue() + "); its log: " + server.log());
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new UserFacingException("the ZooKeeper servers did not all serve within " + PATIENCE.toSeconds()
                        + " s (modes " + IntStream.range(0, servers.size()).mapToObj(i -> modes.get(i).orElse("none")).toList()
                        + "); logs in " + servers.get(0).log().getParent());
            }
            Thread.sleep(200);
        }
    }

    /** The server's mode by its {@code srvr} command (leader, follower, standalone), empty while it does not serve. */
    static Optional<String> mode(int clientPort) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), clientPort), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return answer.lines().filter(line -> line.startsWith("Mode: ")).map(line -> line.substring(6).strip()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stops every server (SIGTERM, then SIGKILL after a grace). */
    @Override
    public void close() {
        servers.forEach(s -> s.process().destroy());
        for (Server server : servers) {
            try {
                if (!server.process().waitFor(10, TimeUnit.SECONDS)) {
                    server.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                server.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
