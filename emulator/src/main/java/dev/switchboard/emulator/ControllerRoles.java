package dev.switchboard.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller roles of one emulated datapath across its controller connections, kept as OVS
 * keeps them (ofproto's connection manager), so that one switch can be connected to a cluster of
 * controllers: share one instance between the {@link EmulatedSwitch}es of a datapath ({@link
 * EmulatedSwitch#withRoles}), one per controller.
 *
 * <ul>
 *   <li>A connection starts {@code EQUAL}.
 *   <li>A MASTER or SLAVE request with a generation id is refused as stale if the id is older than
 *       the newest one accepted for the datapath (OVS compares the signed difference, so ids may
 *       wrap); otherwise its id becomes the newest. EQUAL and NOCHANGE requests, and Nicira role
 *       requests (OpenFlow 1.0, no generation id), are not checked.
 *   <li>A connection that becomes MASTER turns the datapath's other MASTER connections SLAVE.
 *   <li>A closed connection leaves; the others keep their roles.
 * </ul>
 *
 * <p>What follows from a role is the caller's business, except that {@link
 * EmulatedSwitch#sendPacketIn} sends nothing on a SLAVE connection (OpenFlow 1.3's default
 * asynchronous configuration, and what OVS does: a slave gets no packet-ins).
 *
 * <p>Thread safety: the connections of a datapath may run on different event loops, so the state
 * is guarded by this object's monitor, held only for a few map operations. Listeners are called
 * after it is released, on the thread of the connection whose request changed the roles (so a
 * demotion is told on the new master's event loop); they must not block.
 */
public final class ControllerRoles {
    private static final Logger log = LoggerFactory.getLogger(ControllerRoles.class);

    /** Told of every role change of a connection; see the class comment for the thread. */
    @FunctionalInterface
    public interface Listener {
        void roleChanged(EmulatedSwitch connection, OFControllerRole role);
    }

    /**
     * What a role request got.
     *
     * @param stale whether it was refused: its generation id is older than the newest accepted
     * @param role the connection's role after the request
     * @param generationId the newest accepted generation id, if any was ever given
     */
    record Answer(boolean stale, OFControllerRole role, OptionalLong generationId) {
    }

    /** Guarded by {@code this}; in the order the connections first asked. */
    private final Map<EmulatedSwitch, OFControllerRole> roles = new LinkedHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Guarded by {@code this}. */
    private long newestGeneration;
    /** Guarded by {@code this}. */
    private boolean generationDefined;

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The connection's current role: {@code ROLE_EQUAL} until it asked for another one. */
    public synchronized OFControllerRole role(EmulatedSwitch connection) {
        return roles.getOrDefault(connection, OFControllerRole.ROLE_EQUAL);
    }

    /** The connection that is MASTER, if one is. */
    public synchronized Optional<EmulatedSwitch> master() {
        return roles.entrySet().stream()
                .filter(e -> e.getValue() == OFControllerRole.ROLE_MASTER)
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** The newest generation id a MASTER or SLAVE request carried, if any did. */
    public synchronized OptionalLong generationId() {
        return generationDefined ? OptionalLong.of(newestGeneration) : OptionalLong.empty();
    }

    /**
     * Handles {@code connection}'s request for {@code asked}, with {@code generationId} if the
     * request carries one.
     */
    Answer request(EmulatedSwitch connection, OFControllerRole asked, OptionalLong generationId) {
        List<Map.Entry<EmulatedSwitch, OFControllerRole>> changes = new ArrayList<>();
        Answer answer;
        synchronized (this) {
            boolean checked = asked == OFControllerRole.ROLE_MASTER || asked == OFControllerRole.ROLE_SLAVE;
            if (checked && generationId.isPresent()) {
                long id = generationId.getAsLong();
                if (generationDefined && id - newestGeneration < 0) {
                    return new Answer(true, role(connection), generationId());
                }
                newestGeneration = id;
                generationDefined = true;
            }
            OFControllerRole before = role(connection);
            if (asked != OFControllerRole.ROLE_NOCHANGE && asked != before) {
                if (asked == OFControllerRole.ROLE_MASTER) {
                    for (Map.Entry<EmulatedSwitch, OFControllerRole> other : roles.entrySet()) {
                        if (other.getKey() != connection && other.getValue() == OFControllerRole.ROLE_MASTER) {
                            other.setValue(OFControllerRole.ROLE_SLAVE);
                            changes.add(Map.entry(other.getKey(), OFControllerRole.ROLE_SLAVE));
                        }
                    }
                }
                roles.put(connection, asked);
                changes.add(Map.entry(connection, asked));
            }
            answer = new Answer(false, role(connection), generationId());
        }
        for (Map.Entry<EmulatedSwitch, OFControllerRole> change : changes) {
            for (Listener listener : listeners) {
                try {
                    listener.roleChanged(change.getKey(), change.getValue());
                } catch (RuntimeException e) { // one bad listener must not keep the others from hearing it
                    log.error("role listener failed on {} -> {}", change.getKey(), change.getValue(), e);
                }
            }
        }
        return answer;
    }

    /** Forgets a closed connection; the others keep their roles, as in OVS. */
    synchronized void left(EmulatedSwitch connection) {
        roles.remove(connection);
    }
}
