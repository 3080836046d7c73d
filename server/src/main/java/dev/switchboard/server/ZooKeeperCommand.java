package dev.switchboard.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard zookeeper}: one real ZooKeeper server (the one in Switchboard's jar, which the
 * cluster's Curator client brings along) on 127.0.0.1 only, for the cluster demo and labs. It writes
 * {@code zoo.cfg} and {@code myid} into its directory and runs ZooKeeper's own main class in the
 * foreground: {@code QuorumPeerMain} as one of an ensemble when {@code --servers} lists its peers,
 * {@code ZooKeeperServerMain} alone otherwise. The admin HTTP server is off; of the four-letter
 * commands only {@code srvr} and {@code ruok} answer, so a script can see whether it leads or follows.
 * Not for production: it never listens beyond loopback.
 */
@Command(name = "zookeeper", mixinStandardHelpOptions = true,
        description = {"Run one ZooKeeper server on 127.0.0.1 (for the cluster demo and labs), alone or as one of an ensemble.",
                "Example, the first of three: switchboard zookeeper --id 1 --dir /tmp/zk1 --client-port 2181 "
                        + "--servers 2888:3888,2889:3889,2890:3890"})
final class ZooKeeperCommand implements Callable<Integer> {
    /** One tick; a client's session timeout must lie between 2 and 20 ticks, so the demo's 4 s fits. */
    static final int TICK_MILLIS = 1000;

    @Option(names = "--id", paramLabel = "N", defaultValue = "1",
            description = "This server's number in --servers, from 1 (default 1).")
    int id;

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "Its data directory (made if missing).")
    Path dir;

    @Option(names = "--client-port", paramLabel = "PORT", required = true, description = "Where clients connect, on 127.0.0.1.")
    int clientPort;

    @Option(names = "--servers", split = ",", paramLabel = "PEER:ELECTION",
            description = "The ensemble, in server-number order: each server's quorum and leader-election ports on 127.0.0.1."
                    + " Without it the server runs alone.")
    List<String> servers = List.of();

    @Override
    public Integer call() throws IOException {
        if (!servers.isEmpty() && (id < 1 || id > servers.size())) {
            throw new UserFacingException("--id " + id + " is not one of the " + servers.size() + " servers (1.." + servers.size() + ")");
        }
        Files.createDirectories(dir);
        Path config = dir.resolve("zoo.cfg");
        Files.writeString(config, String.join("\n", configLines(dir.toAbsolutePath(), clientPort, servers)) + "\n");
        if (servers.isEmpty()) {
            ZooKeeperServerMain.main(new String[] {config.toString()}); // returns when the server stops
        } else {
            Files.writeString(dir.resolve("myid"), id + "\n");
            QuorumPeerMain.main(new String[] {config.toString()}); // exits the JVM when the server stops
        }
        return 0;
    }

    /** The lines of {@code zoo.cfg}. */
    static List<String> configLines(Path dataDir, int clientPort, List<String> servers) {
        List<String> lines = new ArrayList<>(List.of(
                "tickTime=" + TICK_MILLIS,
                "initLimit=10",
                "syncLimit=5",
                "dataDir=" + dataDir,
                "clientPort=" + port(String.valueOf(clientPort), "--client-port"),
                "clientPortAddress=127.0.0.1",
                "admin.enableServer=false",
                "4lw.commands.whitelist=srvr,ruok",
                "autopurge.purgeInterval=1"));
        for (int i = 0; i < servers.size(); i++) {
            String[] ports = servers.get(i).trim().split(":");
            if (ports.length != 2) {
                throw new UserFacingException("--servers: '" + servers.get(i) + "' is not PEER:ELECTION, like 2888:3888");
            }
            lines.add("server." + (i + 1) + "=127.0.0.1:" + port(ports[0], "--servers") + ":" + port(ports[1], "--servers"));
        }
        return lines;
    }

    private static int port(String text, String option) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UserFacingException(option + ": '" + text + "' is not a port (1..65535)");
    }
}
