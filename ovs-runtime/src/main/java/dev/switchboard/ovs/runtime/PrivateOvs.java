package dev.switchboard.ovs.runtime;

import dev.switchboard.hostnet.ExecResult;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Open vSwitch: its own {@code ovsdb-server} and {@code ovs-vswitchd}, with every
 * file (database, sockets, pidfiles, logs) in one run directory, so tests and the demo never
 * touch or depend on the host's OVS.
 *
 * <p>Bridges must use the userspace datapath ({@code datapath_type=netdev}); there is no OVS
 * kernel module here. {@code ovs-vswitchd} runs in a network namespace of its own
 * ({@link #namespace()}): the userspace datapath's tap device {@code ovs-netdev} is per namespace,
 * so private instances run beside the host's OVS and beside each other. Consequences for users:
 * an interface attached to a bridge must first be moved into that namespace
 * ({@link #moveIntoNamespace}), and a controller must listen on {@link #controllerAddress()} (the
 * root end of the namespace's uplink) and be given to bridges as {@link #controllerTarget(int)}.
 * {@code ovsdb-server} stays in the root namespace behind its unix socket.
 *
 * <p>Child processes that should use this instance ({@code mn}, {@code ovs-vsctl},
 * {@code ovs-ofctl}) get {@link #environment()}: with {@code OVS_RUNDIR} set, the OVS tools find
 * {@code db.sock} and {@code BRIDGE.mgmt} in the run directory.
 *
 * <p>All methods block on external processes: call them off any event loop. The command
 * methods are safe to call from several threads; {@link #close()} is idempotent and also runs
 * from a JVM shutdown hook, so an interrupted demo does not leave daemons behind.
 */
public final class PrivateOvs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrivateOvs.class);

    static final Path DEFAULT_SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    /** The tap device a userspace {@code ovs-vswitchd} creates for its datapath, in its namespace. */
    static final String NETDEV_TAP = "ovs-netdev";

    /** Longest run directory: see {@link RunDirectory#MAX_LENGTH}. */
    static final int MAX_RUN_DIRECTORY_LENGTH = RunDirectory.MAX_LENGTH;

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DAEMON_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(3);

    /** The two daemons, in start order. */
    enum Daemon {
        OVSDB_SERVER("ovsdb-server"),
        OVS_VSWITCHD("ovs-vswitchd");

        final String program;

        Daemon(String program) {
            this.program = program;
        }

        Path pidfile(Path dir) {
            return dir.resolve(program + ".pid");
        }

        Path control(Path dir) {
            return dir.resolve(program + ".ctl");
        }
    }

    /** How to launch: the database schema and extra {@code ovs-vswitchd} arguments (a seam for tests). */
    record Launch(Path schema, List<String> extraVswitchdArgs) {
        static final Launch DEFAULT = new Launch(DEFAULT_SCHEMA, List.of());
    }

    private final Path runDirectory;
    /** Where ovs-vswitchd runs. */
    private final OvsNamespace namespace;
    private final Map<String, String> environment;
    /** Pids read from the pidfiles once each daemon started; guarded by {@code this}. */
    private final Map<Daemon, Long> daemonPids = new EnumMap<>(Daemon.class);
    private final Thread shutdownHook;
    /** How the daemons were launched, so a restart launches them the same way; set once before they start. */
    private volatile Launch launch = Launch.DEFAULT;
    private boolean closed; // guarded by this

    private PrivateOvs(Path runDirectory) {
        this.runDirectory = runDirectory;
        this.namespace = OvsNamespace.of(runDirectory);
        String dir = runDirectory.toString();
        this.environment = Map.of("OVS_RUNDIR", dir, "OVS_LOGDIR", dir, "OVS_DBDIR", dir);
        this.shutdownHook = new Thread(this::close, "private-ovs-shutdown");
    }

    /** Starts a private OVS in a fresh directory {@code /tmp/sbovs-*}. */
    public static PrivateOvs start() {
        return start(null, Launch.DEFAULT);
    }

    /**
     * Starts a private OVS in {@code runDirectory}, creating it if missing. An existing directory
     * must be empty or hold the files of an earlier private OVS that no longer runs (they are
     * removed). {@link #close()} deletes the directory.
     *
     * @throws IllegalArgumentException if the path is too long for unix sockets or the directory
     *                                  holds something else
     * @throws IllegalStateException    if an earlier OVS still runs in the directory, or processes run in a
     *                                  network namespace of the name this directory gives (left alone)
     * @throws OvsCommandException      if an OVS program fails; what did start is stopped again
     */
    public static PrivateOvs start(Path runDirectory) {
        return start(runDirectory, Launch.DEFAULT);
    }

    /**
     * Starts a private OVS that outlives this process, as a lab's must: no shutdown hook stops
     * it. Stop it later, from any process, with {@link #attach}{@code (runDirectory)} and
     * {@link #close()}.
     */
    public static PrivateOvs startDetached(Path runDirectory) {
        return detached(start(runDirectory, Launch.DEFAULT));
    }

    private static PrivateOvs detached(PrivateOvs ovs) {
        ovs.removeShutdownHook();
        return ovs;
    }

    /**
     * The private OVS whose files are in {@code runDirectory}, started earlier, perhaps by
     * another process; empty when the directory holds no private OVS. Its daemons may have died
     * since: {@link #isRunning()} tells, and {@link #close()} still cleans up.
     */
    public static Optional<PrivateOvs> attach(Path runDirectory) {
        Path dir = runDirectory.toAbsolutePath().normalize();
        if (!Files.exists(dir.resolve("conf.db"))) {
            return Optional.empty();
        }
        return Optional.of(new PrivateOvs(dir));
    }

    /** Whether both daemons are alive. */
    public boolean isRunning() {
        return livePid(Daemon.OVSDB_SERVER).isPresent() && livePid(Daemon.OVS_VSWITCHD).isPresent();
    }

    static PrivateOvs start(Path requestedDirectory, Launch launch) {
        Path requested = requestedDirectory == null ? null : requestedDirectory.toAbsolutePath().normalize();
        if (requested != null) {
            RunDirectory.checkLength(requested);
        }
        Path dir = requested == null ? RunDirectory.createTempRunDirectory() : RunDirectory.prepareRunDirectory(requested);
        PrivateOvs ovs = new PrivateOvs(dir);
        try {
            Runtime.getRuntime().addShutdownHook(ovs.shutdownHook);
            ovs.boot(launch);
        } catch (RuntimeException | Error e) {
            log.error("Private OVS in {} failed to start; stopping what did start", dir);
            ovs.close();
            throw e;
        }
        return ovs;
    }

    /** The directory holding the database, sockets, pidfiles and logs. */
    public Path runDirectory() {
        return runDirectory;
    }

    /** The network namespace {@code ovs-vswitchd} runs in, the home of every interface on its bridges. */
    public String namespace() {
        return namespace.name();
    }

    /** Whether {@link #namespace()} exists (it does while the instance runs; a crash may leave it behind). */
    public boolean namespaceExists() {
        return namespace.exists();
    }

    /**
     * The root-namespace address (link-local, on the namespace's uplink) a controller for this OVS listens on.
     *
     * @throws IllegalStateException if the uplink is gone (the instance was closed)
     */
    public InetAddress controllerAddress() {
        return namespace.controllerAddress().orElseThrow(() -> new IllegalStateException(
                "the uplink of " + namespace + " (private OVS in " + runDirectory + ") is gone"));
    }

    /** The OpenFlow controller target, {@code tcp:ADDRESS:PORT}, for a controller listening on {@link #controllerAddress()}. */
    public String controllerTarget(int port) {
        return "tcp:" + controllerAddress().getHostAddress() + ":" + port;
    }

    /**
     * Moves {@code link} (a veth end, a tap …) from the root namespace into {@link #namespace()} and sets it up, so
     * it can be added to a bridge. It goes away with the namespace when this instance closes.
     */
    public void moveIntoNamespace(String link) {
        checkOpen();
        namespace.moveIn(link);
    }

    /**
     * {@code command} wrapped to run inside {@link #namespace()} ({@code ip netns exec NS …}); run it with
     * {@link #environment()} to reach this instance, as Mininet must so that its switch-side veths land here.
     */
    public List<String> inNamespace(List<String> command) {
        return namespace.inside(command);
    }

    /** The OVSDB address of this instance, {@code unix:DIR/db.sock}. */
    public String dbTarget() {
        return "unix:" + runDirectory.resolve("db.sock");
    }

    /**
     * Environment variables ({@code OVS_RUNDIR}, {@code OVS_LOGDIR}, {@code OVS_DBDIR}) that point
     * OVS tools and Mininet run as child processes at this instance. Immutable.
     */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * Runs {@code ovs-vsctl --db=unix:DIR/db.sock --timeout=10 ARGS}.
     *
     * @return its standard output, trimmed
     * @throws OvsCommandException if it fails
     */
    public String vsctl(String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=" + dbTarget(), "--timeout=10"));
        command.addAll(List.of(args));
        return exec(command, COMMAND_TIMEOUT).strip();
    }

    /**
     * Runs {@code ovs-ofctl ARGS} with {@link #environment()}, so a bare bridge name reaches
     * {@code DIR/BRIDGE.mgmt}.
     *
     * @return its standard output, unchanged
     * @throws OvsCommandException if it fails
     */
    public String ofctl(String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-ofctl"));
        command.addAll(List.of(args));
        return exec(command, COMMAND_TIMEOUT);
    }

    /**
     * Runs {@code ovs-appctl ARGS} with {@link #environment()}. Without {@code -t}/{@code --target}
     * the command goes to this instance's {@code ovs-vswitchd}; the targets {@code ovs-vswitchd}
     * and {@code ovsdb-server} are mapped to this instance's control sockets.
     *
     * @return its standard output, unchanged
     * @throws OvsCommandException if it fails
     */
    public String appctl(String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-appctl"));
        boolean targetGiven = false;
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            String arg = args[i];
            if ((arg.equals("-t") || arg.equals("--target")) && i + 1 < args.length) {
                command.add(arg);
                command.add(controlTarget(args[++i]));
                targetGiven = true;
            } else if (arg.startsWith("--target=")) {
                command.add("--target=" + controlTarget(arg.substring("--target=".length())));
                targetGiven = true;
            } else {
                command.add(arg);
            }
        }
        if (!targetGiven) {
            command.add("--target=" + Daemon.OVS_VSWITCHD.control(runDirectory));
        }
        command.addAll(List.of(args).subList(i, args.length));
        return exec(command, COMMAND_TIMEOUT);
    }

    /** The pids of this instance's daemons that are still alive ({@code ovsdb-server} first). */
    public List<Long> pids() {
        List<Long> alive = new ArrayList<>();
        for (Daemon daemon : Daemon.values()) {
            livePid(daemon).ifPresent(alive::add);
        }
        return List.copyOf(alive);
    }

    /**
     * Stops the daemons ({@code ovs-vswitchd} with {@code exit --cleanup}, so the userspace
     * datapath removes its tap devices; SIGKILL if one does not exit in time), deletes its network
     * namespace (with any tap left over and every interface moved in), and deletes the run directory. Idempotent and best effort: failures are
     * logged, never thrown. Works after a half-finished {@link #start}.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            removeShutdownHook();
            // a paused daemon (pauseSwitchDaemon) could not answer "exit"
            livePid(Daemon.OVS_VSWITCHD).ifPresent(pid -> Commands.run(List.of("kill", "-CONT", pid.toString()),
                    Map.of(), COMMAND_TIMEOUT));
            List<String> taps = tapsForCleanup();
            // removing a userspace port's tap takes the kernel ~16 ms: give big bridges the time
            Duration exitTimeout = EXIT_TIMEOUT.plusMillis(25L * taps.size());
            stop(Daemon.OVS_VSWITCHD, exitTimeout, "exit", "--cleanup");
            stop(Daemon.OVSDB_SERVER, EXIT_TIMEOUT, "exit");
            // the namespace takes with it any tap a killed vswitchd left, and every interface moved in
            namespace.delete();
            RunDirectory.deleteRecursively(runDirectory);
            log.info("Private OVS in {} stopped", runDirectory);
        } catch (RuntimeException | Error e) {
            log.error("Stopping the private OVS in {} failed", runDirectory, e);
        }
    }

    @Override
    public String toString() {
        return "PrivateOvs[" + runDirectory + "]";
    }

    // ---- start ----

    private void boot(Launch launch) {
        this.launch = launch;
        Path dir = runDirectory;
        namespace.create();
        exec(List.of("ovsdb-tool", "create", databaseFile().toString(), launch.schema().toString()), COMMAND_TIMEOUT);
        launchOvsdbServer();

        exec(List.of("ovs-vsctl", "--db=" + dbTarget(), "--timeout=10", "--no-wait", "init"), COMMAND_TIMEOUT);

        launchSwitchDaemon();

        log.info("Private OVS running in {} (ovsdb-server pid {}, ovs-vswitchd pid {})", dir,
                livePid(Daemon.OVSDB_SERVER).orElse(-1L), livePid(Daemon.OVS_VSWITCHD).orElse(-1L));
    }

    private void launchSwitchDaemon() {
        Path dir = runDirectory;
        List<String> vswitchd = new ArrayList<>(List.of("ovs-vswitchd", dbTarget(),
                "--pidfile=" + Daemon.OVS_VSWITCHD.pidfile(dir),
                "--log-file=" + dir.resolve("ovs-vswitchd.log"),
                "--unixctl=" + Daemon.OVS_VSWITCHD.control(dir),
                "--detach"));
        vswitchd.addAll(launch.extraVswitchdArgs());
        exec(inNamespace(vswitchd), DAEMON_START_TIMEOUT);
        recordPid(Daemon.OVS_VSWITCHD);
    }

    private void launchOvsdbServer() {
        Path dir = runDirectory;
        exec(List.of("ovsdb-server", dir.resolve("conf.db").toString(),
                "--remote=punix:" + dir.resolve("db.sock"),
                "--remote=db:Open_vSwitch,Open_vSwitch,manager_options",
                "--pidfile=" + Daemon.OVSDB_SERVER.pidfile(dir),
                "--log-file=" + dir.resolve("ovsdb-server.log"),
                "--unixctl=" + Daemon.OVSDB_SERVER.control(dir),
                "--detach"), DAEMON_START_TIMEOUT);
        recordPid(Daemon.OVSDB_SERVER);
    }

    // ---- restarts (for tests of reconnection) ----

    /** The database file, {@code DIR/conf.db}: while {@code ovsdb-server} is stopped, {@code ovsdb-tool} may change it. */
    public Path databaseFile() {
        return runDirectory.resolve("conf.db");
    }

    /**
     * Stops {@code ovsdb-server} and starts it again on the same database and socket, as an
     * operator's restart would: every client (ovs-vswitchd too) loses its connection and must
     * reconnect. For tests of reconnection.
     */
    public synchronized void restartOvsdbServer() {
        stopOvsdbServer();
        startOvsdbServer();
    }

    /**
     * Stops {@code ovsdb-server} (its clients lose their connections; {@code ovs-vswitchd} goes
     * on forwarding with what it has). {@link #databaseFile()} is then free for {@code ovsdb-tool}.
     */
    public synchronized void stopOvsdbServer() {
        checkOpen();
        stop(Daemon.OVSDB_SERVER, EXIT_TIMEOUT, "exit");
        log.info("ovsdb-server in {} stopped", runDirectory);
    }

    /** Starts {@code ovsdb-server} again on the same database file and socket path. */
    public synchronized void startOvsdbServer() {
        checkOpen();
        if (livePid(Daemon.OVSDB_SERVER).isPresent()) {
            throw new IllegalStateException("ovsdb-server in " + runDirectory + " is running already");
        }
        launchOvsdbServer();
        log.info("ovsdb-server in {} started again (pid {})", runDirectory, livePid(Daemon.OVSDB_SERVER).orElse(-1L));
    }

    /**
     * Kills {@code ovs-vswitchd} with SIGKILL, as a crash would: its OpenFlow connections drop
     * and its flows are gone. The userspace datapath's tap devices ({@code ovs-netdev}, the
     * bridges' internal ports) stay behind, unopened; {@link #startSwitchDaemon()} opens them again.
     */
    public synchronized void killSwitchDaemon() {
        checkOpen();
        Optional<Long> pid = livePid(Daemon.OVS_VSWITCHD);
        if (pid.isEmpty()) {
            return;
        }
        ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroyForcibly);
        if (!DaemonProcesses.waitUntilGone(pid.get(), Daemon.OVS_VSWITCHD.program, KILL_TIMEOUT)) {
            throw new IllegalStateException("ovs-vswitchd (pid " + pid.get() + ") survived SIGKILL");
        }
        log.info("ovs-vswitchd in {} killed (pid {})", runDirectory, pid.get());
    }

    /**
     * Starts {@code ovs-vswitchd} again on the same database and run directory, with the same
     * arguments. It reads its bridges from the database and reopens the tap devices its
     * predecessor left (a tap nobody holds open is reused, verified with OVS 3.1); bridges
     * start with no flows until a controller (or standalone mode) puts some there.
     *
     * @throws IllegalStateException if it runs already
     */
    public synchronized void startSwitchDaemon() {
        checkOpen();
        if (livePid(Daemon.OVS_VSWITCHD).isPresent()) {
            throw new IllegalStateException("ovs-vswitchd in " + runDirectory + " is running already");
        }
        launchSwitchDaemon();
        log.info("ovs-vswitchd in {} started again (pid {})", runDirectory, livePid(Daemon.OVS_VSWITCHD).orElse(-1L));
    }

    /** {@link #killSwitchDaemon()} then {@link #startSwitchDaemon()}: a crashed switch daemon coming back. */
    public synchronized void restartSwitchDaemon() {
        killSwitchDaemon();
        startSwitchDaemon();
    }

    /**
     * Stops {@code ovs-vswitchd} with SIGSTOP, as a hung daemon: its connections stay open but
     * nothing answers and nothing is forwarded. {@link #resumeSwitchDaemon()} (SIGCONT) lets it
     * go on; {@link #close()} still stops a paused one (SIGKILL after the exit request times out).
     */
    public synchronized void pauseSwitchDaemon() {
        signalSwitchDaemon("STOP");
    }

    /** Lets a {@linkplain #pauseSwitchDaemon() paused} {@code ovs-vswitchd} go on (SIGCONT). */
    public synchronized void resumeSwitchDaemon() {
        signalSwitchDaemon("CONT");
    }

    private void signalSwitchDaemon(String signal) {
        checkOpen();
        long pid = livePid(Daemon.OVS_VSWITCHD).orElseThrow(() -> new IllegalStateException(
                "ovs-vswitchd in " + runDirectory + " is not running"));
        exec(List.of("kill", "-" + signal, Long.toString(pid)), COMMAND_TIMEOUT);
        log.info("ovs-vswitchd in {} (pid {}) sent SIG{}", runDirectory, pid, signal);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the private OVS in " + runDirectory + " is closed");
        }
    }

    private void recordPid(Daemon daemon) {
        Optional<Long> pid = DaemonProcesses.readPidfile(daemon.pidfile(runDirectory));
        if (pid.isEmpty() || !DaemonProcesses.isAlive(pid.get(), daemon.program)) {
            throw new IllegalStateException(daemon.program + " reported success but is not running (pidfile "
                    + daemon.pidfile(runDirectory) + "); see " + runDirectory.resolve(daemon.program + ".log"));
        }
        synchronized (this) {
            daemonPids.put(daemon, pid.get());
        }
    }

    // ---- stop ----

    private void removeShutdownHook() {
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting; the hook is running or will find this instance closed.
        }
    }

    /**
     * The tap devices this instance made (its internal and tap interfaces, bridges' own ports
     * among them), read while the database still answers: removing each takes ovs-vswitchd time
     * on exit.
     */
    private List<String> tapsForCleanup() {
        if (livePid(Daemon.OVSDB_SERVER).isEmpty()) {
            return List.of();
        }
        try {
            List<String> names = new ArrayList<>();
            for (String type : List.of("internal", "tap")) {
                String out = vsctl("--bare", "--columns=name", "find", "interface", "type=" + type);
                out.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(names::add);
            }
            return names;
        } catch (RuntimeException e) {
            log.warn("Cannot list the interfaces of the private OVS in {}: {}", runDirectory, e.getMessage());
            return List.of();
        }
    }

    /**
     * Asks {@code daemon} to exit through its control socket, waits, and kills it if it stays.
     *
     * @return whether it had to be killed
     */
    private boolean stop(Daemon daemon, Duration exitTimeout, String... exitCommand) {
        Optional<Long> pid = livePid(daemon);
        if (pid.isEmpty()) {
            return false;
        }
        List<String> command = new ArrayList<>(List.of("ovs-appctl", "--timeout=" + Math.max(1, exitTimeout.toSeconds()),
                "--target=" + daemon.control(runDirectory)));
        command.addAll(List.of(exitCommand));
        try {
            exec(command, exitTimeout.plus(COMMAND_TIMEOUT));
        } catch (RuntimeException e) {
            log.warn("Asking {} (pid {}) to exit failed: {}", daemon.program, pid.get(), e.getMessage());
        }
        if (DaemonProcesses.waitUntilGone(pid.get(), daemon.program, exitTimeout)) {
            return false;
        }
        log.warn("{} (pid {}) did not exit within {} s; killing it", daemon.program, pid.get(),
                exitTimeout.toSeconds());
        ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroyForcibly);
        if (!DaemonProcesses.waitUntilGone(pid.get(), daemon.program, KILL_TIMEOUT)) {
            log.error("{} (pid {}) survived SIGKILL", daemon.program, pid.get());
        }
        return true;
    }

    // ---- processes ----

    private String exec(List<String> command, Duration timeout) {
        ExecResult result;
        try {
            result = Commands.run(command, environment, timeout);
        } catch (CommandException e) {
            throw new OvsCommandException(e);
        }
        if (!result.succeeded()) {
            throw new OvsCommandException(command, result);
        }
        if (result.truncated()) {
            // a silently cut dump reads as "fewer flows": refuse it, the caller should ask OVS for less
            String cut = "`" + String.join(" ", command) + "`: its output exceeded " + ExecResult.OUTPUT_LIMIT
                    + " bytes and was cut";
            throw new OvsCommandException(new CommandException(command, cut, null));
        }
        return result.stdout();
    }

    private String controlTarget(String target) {
        for (Daemon daemon : Daemon.values()) {
            if (daemon.program.equals(target)) {
                return daemon.control(runDirectory).toString();
            }
        }
        return target;
    }

    /** The daemon's pid, from the record or else its pidfile, if that process is alive. */
    private Optional<Long> livePid(Daemon daemon) {
        Long recorded;
        synchronized (this) {
            recorded = daemonPids.get(daemon);
        }
        Optional<Long> pid = recorded != null ? Optional.of(recorded) : DaemonProcesses.readPidfile(daemon.pidfile(runDirectory));
        return pid.filter(p -> DaemonProcesses.isAlive(p, daemon.program));
    }

}
