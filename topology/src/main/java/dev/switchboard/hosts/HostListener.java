package dev.switchboard.hosts;

/**
 * Host events.
 *
 * <p>Threading contract: each call comes after the change is published, so
 * {@link HostService} already answers with it (or with something newer). Calls come one at a
 * time, in the order the changes were published, with no lock held, on the thread of one of
 * the changes being published: a switch's event loop (a packet-in), the hosts app's timer
 * (expiry) or topology discovery's writer (a new link). A listener therefore must not block
 * and must not wait for another host event; it may read {@link HostService} and may cause
 * further changes (those are told after it returns).
 */
public interface HostListener {

    default void hostAdded(Host host) {
    }

    /** The host was seen at another edge port. */
    default void hostMoved(Host before, Host after) {
    }

    /** A new address was learned for the host. */
    default void hostUpdated(Host before, Host after) {
    }

    /** Not seen for the expiry time, or its switch or port went away. */
    default void hostRemoved(Host host) {
    }
}
