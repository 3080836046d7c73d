package dev.switchboard.ovsdb.jsonrpc;

import dev.switchboard.ovs.runtime.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A bare {@code ovsdb-server} (no {@code ovs-vswitchd}) on a fresh Open_vSwitch database in its
 * own directory under /tmp, serving {@code punix:DIR/db.sock}, the Manager rows
 * ({@code db:Open_vSwitch,Open_vSwitch,manager_options}) and any extra remotes. {@link #close()}
 * kills it and deletes the directory.
 */
public final class OvsdbServerProcess implements AutoCloseable {

    private static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

    private final Path dir;
    private final List<String> extraArgs;
    private long pid;

    private OvsdbServerProcess(Path dir, List<String> extraArgs) {
        this.dir = dir;
        this.extraArgs = List.copyOf(extraArgs);
    }

    public static boolean available() {
        return Commands.isInstalled("ovsdb-server") && Commands.isInstalled("ovsdb-tool")
                && Files.exists(SCHEMA);
    }

    /** @param extraArgs more {@code ovsdb-server} options, such as {@code --remote=ptcp:0:127.0.0.1} */
    public static OvsdbServerProcess start(String... extraArgs) {
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "sbrpc-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OvsdbServerProcess server = new OvsdbServerProcess(dir, List.of(extraArgs));
        try {
            Commands.check(List.of("ovsdb-tool", "create", dir.resolve("conf.db").toString(), SCHEMA.toString()),
                    Map.of(), TIMEOUT);
            server.launch();
            server.vsctl("init");
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    public Path directory() {
        return dir;
    }

    public Path socket() {
        return dir.resolve("db.sock");
    }

    public Endpoint unixEndpoint() {
        return Endpoint.unix(socket());
    }

    /** The port of the (single) {@code ptcp:0}/{@code pssl:0} remote, from the log of the current run. */
    public int listeningPort() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String log = Files.readString(dir.resolve("ovsdb-server.log"), StandardCharsets.UTF_8);
                Matcher m = LISTENING.matcher(log);
                int port = -1;
                while (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
                if (port > 0) {
                    return port;
                }
                Thread.sleep(20);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("ovsdb-server in " + dir + " logged no listening port");
    }

    /** {@code ovs-vsctl --no-wait} (no ovs-vswitchd here to wait for) against this server. */
    public String vsctl(String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + socket(), "--timeout=10",
                "--no-wait"));
        command.addAll(List.of(args));
        return Commands.check(command, Map.of(), TIMEOUT).strip();
    }

    /** Kills the server (SIGKILL, as a crash would) and waits until it is gone. */
    public void kill() {
        if (pid <= 0) {
            return;
        }
        Commands.run(TIMEOUT, "kill", "-9", Long.toString(pid));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (Files.exists(Path.of("/proc", Long.toString(pid), "comm")) && !isZombie(pid)
                && System.nanoTime() < deadline) {
            sleep(20);
        }
        pid = 0;
    }

    /** Starts the server again on the same database and socket. */
    public void restart() {
        kill();
        try {
            Files.deleteIfExists(socket());
            Files.deleteIfExists(dir.resolve("ovsdb-server.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launch();
    }

    @Override
    public void close() {
        try {
            kill();
        } finally {
            deleteRecursively(dir);
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of("ovsdb-server", dir.resolve("conf.db").toString(),
                "--remote=punix:" + socket(),
                "--remote=db:Open_vSwitch,Open_vSwitch,manager_options",
                "--pidfile=" + dir.resolve("ovsdb-server.pid"),
                "--log-file=" + dir.resolve("ovsdb-server.log"),
                "--unixctl=" + dir.resolve("ovsdb-server.ctl"),
                "-vjsonrpc:file:dbg", "--detach"));
        command.addAll(extraArgs);
        Commands.check(command, Map.of(), TIMEOUT);
        try {
            pid = Long.parseLong(Files.readString(dir.resolve("ovsdb-server.pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close >= 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    @Override
    public String toString() {
        return "ovsdb-server[" + dir + "]";
    }
}
