package dev.switchboard.controller.internal;

import dev.switchboard.controller.Registration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners in registration order. Adding and removing are rare and copy; calling is
 * lock-free. One listener that throws is logged and does not keep the others from being told.
 */
final class ListenerSet<L> {
    private static final Logger log = LoggerFactory.getLogger(ListenerSet.class);

    private final CopyOnWriteArrayList<L> listeners = new CopyOnWriteArrayList<>();

    Registration add(L listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }

    void fire(String event, Consumer<? super L> call) {
        for (L listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("listener {} failed on {}", listener, event, e);
            }
        }
    }
}
