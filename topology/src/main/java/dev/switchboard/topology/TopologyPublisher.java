package dev.switchboard.topology;

import dev.switchboard.controller.Listeners;
import dev.switchboard.controller.Registration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes topology snapshots: swaps the newest in (one volatile write) and then, outside
 * any lock, tells the listeners what changed.
 *
 * <p>Threads: {@link #publish} is called only by discovery's single writer, so snapshots are
 * made and told in version order; {@link #current} is read from any thread.
 */
final class TopologyPublisher {
    private static final Logger log = LoggerFactory.getLogger(TopologyPublisher.class);

    private final Listeners<TopologyListener> listeners = new Listeners<>();
    private volatile TopologySnapshot current = TopologySnapshot.empty();

    TopologySnapshot current() {
        return current;
    }

    Registration addListener(TopologyListener listener) {
        return listeners.add(listener);
    }

    /**
     * Publishes {@code after} if it describes a network other than the current one, then
     * tells the listeners; they see {@code after} as {@link #current()} when called.
     *
     * @param after made with {@link #nextVersion()}
     */
    void publish(TopologySnapshot after) {
        TopologySnapshot before = current;
        if (after.sameNetworkAs(before)) {
            return;
        }
        current = after;
        TopologyEvent event = new TopologyEvent(before, after,
                difference(after.switches(), before.switches()), difference(before.switches(), after.switches()),
                difference(after.links(), before.links()), difference(before.links(), after.links()));
        if (!event.linksAdded().isEmpty() || !event.linksRemoved().isEmpty()) {
            log.info("topology v{}: links added {} removed {}", after.version(), event.linksAdded(),
                    event.linksRemoved());
        }
        listeners.fire("topologyChanged", l -> l.topologyChanged(event));
    }

    /** The version the next snapshot gets. */
    long nextVersion() {
        return current.version() + 1;
    }

    private static <T> Set<T> difference(Set<T> a, Set<T> b) {
        Set<T> result = new HashSet<>(a);
        result.removeAll(b);
        return result;
    }
}
