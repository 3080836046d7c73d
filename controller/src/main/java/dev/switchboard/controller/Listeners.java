package dev.switchboard.controller;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners in registration order, for every service that tells others of events. Adding and
 * removing are rare and copy; calling takes no lock, so it is safe on an event loop. One
 * listener that throws is logged and does not keep the others from being told.
 */
public final class Listeners<L> {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final CopyOnWriteArrayList<L> listeners = new CopyOnWriteArrayList<>();

    public Registration add(L listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    /** Calls every listener; {@code event} names what happened, for the log of a listener's failure. */
    public void fire(String event, Consumer<? super L> call) {
        for (L listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("listener {} failed on {}", listener, event, e);
            }
        }
    }
}
