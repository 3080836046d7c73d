package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerRole;
import dev.switchboard.controller.MessageListener;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.Listeners;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchError;
import dev.switchboard.controller.SwitchErrorListener;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.SwitchService;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ready switches by datapath id, and the listeners told about them. At most one
 * connection holds a datapath id: a newer one replaces the older, which is closed.
 *
 * <p>Lock-free: the switches are an immutable map, replaced by compare-and-set, so a reader gets
 * a consistent snapshot and no event loop ever waits for another. Listeners are called after the
 * change is published, never under a lock, each on the event loop of the switch the event is
 * about. The order listeners see per datapath id is kept without a lock by running each step on
 * the loop that owns it:
 * <ul>
 *   <li>a new switch is announced ({@code switchAdded}) on its own loop, at once when it takes a
 *       free datapath id;
 *   <li>when it replaces an older connection, {@code switchRemoved(old)} runs on the old one's
 *       loop (after whatever that loop was doing for it, so no event of the old one follows), and
 *       only then is the new one announced, on its loop;
 *   <li>port events fire only for an announced switch that still holds its datapath id; port
 *       changes before the announcement are in the ports {@code switchAdded} sees.
 * </ul>
 */
public final class SwitchRegistry implements SwitchService {
    private static final Logger log = LoggerFactory.getLogger(SwitchRegistry.class);

    /** Replaced, never changed. */
    private final AtomicReference<Map<DatapathId, SwitchConnection>> switches = new AtomicReference<>(Map.of());
    private final Listeners<SwitchListener> switchListeners = new Listeners<>();
    private final Listeners<SwitchErrorListener> errorListeners = new Listeners<>();
    private final Map<OFType, Listeners<MessageListener>> messageListeners = new EnumMap<>(OFType.class);

    SwitchRegistry() {
        for (OFType type : OFType.values()) {
            messageListeners.put(type, new Listeners<>());
        }
    }

    /** The ready connections now, a snapshot. */
    Collection<SwitchConnection> connections() {
        return switches.get().values();
    }

    /** How many switches are ready now. */
    int size() {
        return switches.get().size();
    }

    @Override
    public Collection<OFSwitch> switches() {
        return List.copyOf(switches.get().values());
    }

    @Override
    public Optional<OFSwitch> getSwitch(DatapathId id) {
        return Optional.ofNullable(switches.get().get(id));
    }

    @Override
    public Registration addSwitchListener(SwitchListener listener) {
        return switchListeners.add(listener);
    }

    @Override
    public Registration addErrorListener(SwitchErrorListener listener) {
        return errorListeners.add(listener);
    }

    @Override
    public Registration addMessageListener(OFType type, MessageListener listener) {
        return messageListeners.get(type).add(listener);
    }

    /** Whether {@code id} could be added now: it is ready already (and would be replaced), or there is room. */
    boolean hasRoomFor(DatapathId id, int maxSwitches) {
        Map<DatapathId, SwitchConnection> now = switches.get();
        return now.size() < maxSwitches || now.containsKey(id);
    }

    /**
     * Called on the new connection's event loop once its handshake is complete. A switch that
     * takes a free datapath id is announced before this returns; one that replaces an older
     * connection is announced once the older one's removal was told (see the class comment).
     *
     * @return false, adding nothing, when {@code maxSwitches} other datapath ids are ready
     *         already (one that replaces its own older connection always fits)
     */
    boolean add(SwitchConnection sw, int maxSwitches) {
        while (true) {
            Map<DatapathId, SwitchConnection> before = switches.get();
            SwitchConnection replaced = before.get(sw.id());
            if (replaced == null && before.size() >= maxSwitches) {
                return false;
            }
            Map<DatapathId, SwitchConnection> after = new HashMap<>(before);
            after.put(sw.id(), sw);
            if (switches.compareAndSet(before, Map.copyOf(after))) {
                if (replaced == null) {
                    announce(sw);
                } else {
                    handOver(replaced, sw);
                }
                return true;
            }
        }
    }

    /** On {@code replaced}'s loop: its removal is told and it is closed; then {@code sw} is announced on its own. */
    private void handOver(SwitchConnection replaced, SwitchConnection sw) {
        log.warn("switch {} connected again from {}; closing its older connection from {}",
                sw.id(), sw.remoteAddress(), replaced.remoteAddress());
        replaced.markReplaced();
        runOn(replaced, () -> {
            if (replaced.isAnnounced()) {
                switchListeners.fire("switchRemoved", l -> l.switchRemoved(replaced));
            }
            replaced.disconnect();
            runOn(sw, () -> announce(sw));
        });
    }

    /** On {@code sw}'s loop: {@code switchAdded}, unless it lost its datapath id (or closed) before. */
    private void announce(SwitchConnection sw) {
        if (isCurrent(sw)) {
            sw.markAnnounced();
            switchListeners.fire("switchAdded", l -> l.switchAdded(sw));
        }
    }

    /** Runs {@code step} on {@code sw}'s event loop: at once if already there. */
    private static void runOn(SwitchConnection sw, Runnable step) {
        if (sw.inEventLoop()) {
            step.run();
            return;
        }
        try {
            sw.eventLoop().execute(step);
        } catch (RejectedExecutionException e) {
            log.debug("{}: not told, the controller is stopping", sw);
        }
    }

    /** Called on the connection's event loop when it closes; a replaced connection is not reported twice. */
    void remove(SwitchConnection sw) {
        while (true) {
            Map<DatapathId, SwitchConnection> before = switches.get();
            if (before.get(sw.id()) != sw) {
                return; // replaced: its removal is told by the hand-over
            }
            Map<DatapathId, SwitchConnection> after = new HashMap<>(before);
            after.remove(sw.id());
            if (switches.compareAndSet(before, Map.copyOf(after))) {
                if (sw.isAnnounced()) {
                    switchListeners.fire("switchRemoved", l -> l.switchRemoved(sw));
                }
                return;
            }
        }
    }

    boolean isCurrent(SwitchConnection sw) {
        return switches.get().get(sw.id()) == sw;
    }

    /** On the switch's loop, from the role manager: an announced switch's role for this instance changed. */
    void roleChanged(SwitchConnection sw, ControllerRole role) {
        if (tellsPortsOf(sw)) {
            switchListeners.fire("switchRoleChanged", l -> l.switchRoleChanged(sw, role));
        }
    }

    /** Port events: on the switch's loop, for an announced switch that still holds its datapath id. */
    private boolean tellsPortsOf(SwitchConnection sw) {
        return sw.isAnnounced() && isCurrent(sw);
    }

    void portAdded(SwitchConnection sw, OFPortDesc port) {
        if (tellsPortsOf(sw)) {
            switchListeners.fire("portAdded", l -> l.portAdded(sw, port));
        }
    }

    void portChanged(SwitchConnection sw, OFPortDesc before, OFPortDesc after) {
        if (tellsPortsOf(sw)) {
            switchListeners.fire("portChanged", l -> l.portChanged(sw, before, after));
        }
    }

    void portRemoved(SwitchConnection sw, OFPortDesc port) {
        if (tellsPortsOf(sw)) {
            switchListeners.fire("portRemoved", l -> l.portRemoved(sw, port));
        }
    }

    boolean error(SwitchConnection sw, SwitchError error) {
        errorListeners.fire("switchError", l -> l.switchError(sw, error));
        return !errorListeners.isEmpty();
    }

    /** @return whether anyone listens for messages of this type */
    boolean message(SwitchConnection sw, OFMessage message) {
        Listeners<MessageListener> listeners = messageListeners.get(message.getType());
        if (listeners.isEmpty()) {
            return false;
        }
        listeners.fire(message.getType().name(), l -> l.receive(sw, message));
        return true;
    }
}
