package dev.switchboard.controller.internal;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.DatapathId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ready switches by datapath id, and the listeners told about them. At most one
 * connection holds a datapath id: a newer one replaces the older, which is closed.
 */
public final class SwitchRegistry implements SwitchService {
    private static final Logger log = LoggerFactory.getLogger(SwitchRegistry.class);

    private final Map<DatapathId, SwitchConnection> switches = new ConcurrentHashMap<>();
    private final Listeners<SwitchListener> switchListeners = new Listeners<>();
    private final Listeners<SwitchErrorListener> errorListeners = new Listeners<>();
    private final Map<OFType, Listeners<MessageListener>> messageListeners = new EnumMap<>(OFType.class);

    SwitchRegistry() {
        for (OFType type : OFType.values()) {
            messageListeners.put(type, new Listeners<>());
        }
    }

    @Override
    public Collection<OFSwitch> switches() {
        return List.copyOf(switches.values());
    }

    @Override
    public Optional<OFSwitch> getSwitch(DatapathId id) {
        return Optional.ofNullable(switches.get(id));
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

    /*
     * Membership changes and port events are serialised on this registry: they come from
     * different event loops, and listeners must see them in order (removed(old) before
     * added(new), no port event after removed). They are rare; the packet path takes no lock.
     */

    /** Whether {@code id} could be added now: it is ready already (and would be replaced), or there is room. */
    boolean hasRoomFor(DatapathId id, int maxSwitches) {
        return switches.size() < maxSwitches || switches.containsKey(id);
    }

    /**
     * Called on the new connection's event loop once its handshake is complete.
     *
     * @return false, adding nothing, when {@code maxSwitches} other datapath ids are ready
     *         already (one that replaces its own older connection always fits)
     */
    synchronized boolean add(SwitchConnection sw, int maxSwitches) {
        if (switches.size() >= maxSwitches && !switches.containsKey(sw.id())) {
            return false;
        }
        add(sw);
        return true;
    }

    private void add(SwitchConnection sw) {
        SwitchConnection replaced = switches.put(sw.id(), sw);
        if (replaced != null) {
            log.warn("switch {} connected again from {}; closing its older connection from {}",
                    sw.id(), sw.remoteAddress(), replaced.remoteAddress());
            replaced.markReplaced();
            switchListeners.fire("switchRemoved", l -> l.switchRemoved(replaced));
            replaced.disconnect();
        }
        switchListeners.fire("switchAdded", l -> l.switchAdded(sw));
    }

    /** Called on the connection's event loop when it closes; a replaced connection is not reported twice. */
    synchronized void remove(SwitchConnection sw) {
        if (switches.remove(sw.id(), sw)) {
            switchListeners.fire("switchRemoved", l -> l.switchRemoved(sw));
        }
    }

    boolean isCurrent(SwitchConnection sw) {
        return switches.get(sw.id()) == sw;
    }

    synchronized void portAdded(SwitchConnection sw, OFPortDesc port) {
        if (isCurrent(sw)) {
            switchListeners.fire("portAdded", l -> l.portAdded(sw, port));
        }
    }

    synchronized void portChanged(SwitchConnection sw, OFPortDesc before, OFPortDesc after) {
        if (isCurrent(sw)) {
            switchListeners.fire("portChanged", l -> l.portChanged(sw, before, after));
        }
    }

    synchronized void portRemoved(SwitchConnection sw, OFPortDesc port) {
        if (isCurrent(sw)) {
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
