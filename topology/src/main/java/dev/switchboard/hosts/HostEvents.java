package dev.switchboard.hosts;

import dev.switchboard.controller.Listeners;
import dev.switchboard.controller.Registration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Tells the host listeners of each published table version's changes, in version order, one
 * call at a time, with no lock: the thread that publishes a version hands its events in and
 * delivers whatever is due, unless another thread is delivering already, in which case that
 * thread delivers them too. Nobody waits; listeners run on one of the publishing threads
 * (a switch's event loop, the hosts timer or discovery's writer) after the version is
 * published.
 */
final class HostEvents {
    private final Listeners<HostListener> listeners = new Listeners<>();
    /** Published versions whose events are not yet told, by version. */
    private final Map<Long, List<Consumer<HostListener>>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean delivering = new AtomicBoolean();
    /** The next version to tell; changed only by the delivering thread. */
    private volatile long next = 1;

    Registration add(HostListener listener) {
        return listeners.add(listener);
    }

    /**
     * Called exactly once for every version published, right after it is, with its events
     * (empty when it changed nothing listeners see).
     */
    void published(long version, List<Consumer<HostListener>> events) {
        pending.put(version, events);
        while (delivering.compareAndSet(false, true)) {
            try {
                List<Consumer<HostListener>> due;
                while ((due = pending.remove(next)) != null) {
                    next = next + 1;
                    for (Consumer<HostListener> event : due) {
                        listeners.fire("host event", event);
                    }
                }
            } finally {
                delivering.set(false);
            }
            // A version handed in after our last look and before we let go would be left:
            // look again, and deliver it unless another thread has taken over.
            if (!pending.containsKey(next)) {
                return;
            }
        }
    }
}
