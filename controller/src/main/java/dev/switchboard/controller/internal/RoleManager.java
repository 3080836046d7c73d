package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerRole;
import dev.switchboard.controller.MasteredDatapaths;
import dev.switchboard.controller.MastershipSource;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchErrorException;
import dev.switchboard.controller.SwitchListener;
import java.util.concurrent.CompletionException;
import org.projectfloodlight.openflow.protocol.OFRoleRequestFailedCode;
import org.projectfloodlight.openflow.protocol.errormsg.OFRoleRequestFailedErrorMsg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each switch's OpenFlow role follow the cluster's mastership: a connecting switch gets a
 * role request at once (before the apps hear of it: this listener is the registry's first), and
 * every new decision of the {@link MastershipSource} is handed to each switch's event loop, where
 * its {@link SwitchRole} sends what changed. Without a source nothing happens and every switch
 * acts as master.
 */
final class RoleManager implements SwitchListener {
    private static final Logger log = LoggerFactory.getLogger(RoleManager.class);

    private final SwitchRegistry registry;
    private volatile MastershipSource source;

    RoleManager(SwitchRegistry registry) {
        this.registry = registry;
    }

    /** Before the controller starts. */
    void use(MastershipSource mastership) {
        if (source != null) {
            throw new IllegalStateException("a mastership source is set already");
        }
        source = mastership;
        mastership.addListener(this::changed);
    }

    boolean clustered() {
        return source != null;
    }

    @Override
    public void switchAdded(OFSwitch sw) {
        MastershipSource s = source;
        if (s != null && sw instanceof SwitchConnection connection) {
            connection.useRole(SwitchRole.clustered(), s);
            decide(connection, s.current());
        }
    }

    /** On the source's thread: each switch re-decides on its own loop, with the newest decision then. */
    private void changed(MasteredDatapaths ignored) {
        for (OFSwitch sw : registry.switches()) {
            if (sw instanceof SwitchConnection connection) {
                connection.eventLoop().execute(() -> decide(connection, source.current()));
            }
        }
    }

    /** On the switch's loop: tells the listeners when the connection's acting role flipped. */
    private void roleChanged(SwitchConnection connection, boolean wasMaster) {
        boolean master = connection.roleState().actsAsMaster();
        if (master != wasMaster) {
            log.info("switch {}: this instance is now its {}", connection.id(), master ? "master" : "slave");
            registry.roleChanged(connection, master ? ControllerRole.MASTER : ControllerRole.SLAVE);
        }
    }

    /** On the switch's loop. */
    private void decide(SwitchConnection connection, MasteredDatapaths mastered) {
        if (!connection.isConnected()) {
            return;
        }
        SwitchRole role = connection.roleState();
        boolean wasMaster = role.actsAsMaster();
        SwitchRole.Request request = role.decide(mastered.generation(connection.id()),
                mastered.currentTerm(connection.id()), connection.factory());
        roleChanged(connection, wasMaster);
        if (request == null) {
            return;
        }
        log.info("switch {}: asking for role {}", connection.id(), request.message());
        connection.request(request.message()).whenComplete((reply, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            boolean stale = cause instanceof SwitchErrorException e
                    && e.error().message() instanceof OFRoleRequestFailedErrorMsg refused
                    && refused.getCode() == OFRoleRequestFailedCode.STALE;
            Runnable answer = () -> {
                boolean before = role.actsAsMaster();
                role.answered(request.seq(), cause == null, stale);
                roleChanged(connection, before);
                if (role.slaveRefusedAsStale()) {
                    // sent before this instance heard of the term the switch accepted from another:
                    // asked again with that term as soon as it is known (maybe now)
                    log.info("switch {}: refused our SLAVE request as stale (another instance's newer term came first);"
                            + " asking again with the current term", connection.id());
                    decide(connection, source.current());
                } else if (stale) {
                    log.warn("switch {}: refused our MASTER request as stale (a newer term exists): acting as slave",
                            connection.id());
                } else if (cause != null) {
                    log.warn("switch {}: role request failed ({}): not acting as master", connection.id(), cause.toString());
                }
            };
            if (connection.inEventLoop()) {
                answer.run();
            } else {
                connection.eventLoop().execute(answer);
            }
        });
    }
}
