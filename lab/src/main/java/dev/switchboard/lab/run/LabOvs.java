package dev.switchboard.lab.run;

import dev.switchboard.ovsdb.PrivateOvs;
import dev.switchboard.ovsdb.client.OvsdbClient;
import dev.switchboard.ovsdb.jsonrpc.Endpoint;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions;
import dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Open vSwitch labs put their OVS switches in: the host's when it runs, otherwise one
 * private OVS shared by all labs, which outlives the command that started it and is stopped
 * when the last lab that used it goes down.
 */
final class LabOvs implements AutoCloseable {
    static final Path HOST_DB = Path.of("/var/run/openvswitch/db.sock");
    private static final Duration SYNC = Duration.ofSeconds(30);

    private final String db;
    private final boolean isPrivate;
    private final JsonRpcTransport transport;
    private final OvsdbClient client;

    private LabOvs(String db, boolean isPrivate) {
        this.db = db;
        this.isPrivate = isPrivate;
        this.transport = new JsonRpcTransport(JsonRpcOptions.defaults());
        try {
            this.client = OvsdbClient.connect(transport, Endpoint.parse(db), OpenVSwitch.newReplica());
            client.awaitSynchronised(SYNC);
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    static Path privateDirectory() {
        return LabState.directory().resolve("ovs");
    }

    /** Connects to the host's OVS if it runs, else to the private one, starting it if needed. */
    static LabOvs open() {
        if (hostOvsRuns()) {
            return new LabOvs("unix:" + HOST_DB, false);
        }
        Optional<PrivateOvs> existing = PrivateOvs.attach(privateDirectory()).filter(PrivateOvs::isRunning);
        PrivateOvs ovs = existing.orElseGet(() -> PrivateOvs.startDetached(privateDirectory()));
        return new LabOvs(ovs.dbTarget(), true);
    }

    /** Connects to the OVSDB a lab recorded, if it still answers. */
    static Optional<LabOvs> reopen(String db, boolean isPrivate) {
        if (isPrivate && PrivateOvs.attach(privateDirectory()).filter(PrivateOvs::isRunning).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LabOvs(db, isPrivate));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stops the private OVS (and removes its directory) unless another lab still uses it. */
    static void stopPrivateIfUnused() {
        boolean used = LabState.labs().stream().map(LabState::read).flatMap(Optional::stream)
                .anyMatch(state -> state.contents().privateOvs());
        if (!used) {
            PrivateOvs.attach(privateDirectory()).ifPresent(PrivateOvs::close);
        }
    }

    private static boolean hostOvsRuns() {
        if (!Files.exists(HOST_DB)) {
            return false;
        }
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
                .map(line -> line.contains("ovs-vswitchd") && !line.contains(privateDirectory().toString())
                        && (line.contains(HOST_DB.toString()) || !line.contains("unix:")))
                .orElse(false));
    }

    String db() {
        return db;
    }

    boolean isPrivate() {
        return isPrivate;
    }

    OpenVSwitch vswitch() {
        return new OpenVSwitch(client);
    }

    @Override
    public void close() {
        client.close();
        transport.close();
    }
}
