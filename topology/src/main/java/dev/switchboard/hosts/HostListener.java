package dev.switchboard.hosts;

/**
 * Host events, told on the thread that saw the packet (a switch's event loop) or the expiry
 * timer: must not block.
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
