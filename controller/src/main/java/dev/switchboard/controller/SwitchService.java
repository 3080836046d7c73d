package dev.switchboard.controller;

import java.util.Collection;
import java.util.Optional;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The switches that are connected and ready, and their events. Every method may be called from
 * any thread, event loops included, and takes no lock: {@link #switches()} is a snapshot, and
 * registering or removing a listener takes effect from the next event. Each listener type says
 * on which thread it is called.
 */
public interface SwitchService {

    /** A snapshot of the ready switches. */
    Collection<OFSwitch> switches();

    Optional<OFSwitch> getSwitch(DatapathId id);

    Registration addSwitchListener(SwitchListener listener);

    Registration addErrorListener(SwitchErrorListener listener);

    /** Listens for messages of {@code type} that are not replies to a pending request. */
    Registration addMessageListener(OFType type, MessageListener listener);
}
