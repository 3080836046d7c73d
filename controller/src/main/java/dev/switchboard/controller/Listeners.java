package dev.switchboard.controller;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners in registration order, for every service that tells others of events. The
 * listeners are an array replaced by compare-and-set, never changed: adding, removing and
 * calling take no lock, so any of them is safe on an event loop, and a listener may add or
 * remove listeners (itself included) while it is called; that takes effect from the next event.
 *
 * <p>Threading: {@link #fire} calls every listener on the caller's thread, in registration
 * order, with no lock held; the service that fires says which thread that is. One listener
 * that throws is logged and does not keep the others from being told.
 */
public final class Listeners<L> {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);
    private static final Object[] NONE = new Object[0];

    private final AtomicReference<Object[]> listeners = new AtomicReference<>(NONE);

    /** @return removes {@code listener} again (once, even if it was added twice; closing twice is harmless) */
    public Registration add(L listener) {
        Object[] before;
        Object[] after;
        do {
            before = listeners.get();
            after = Arrays.copyOf(before, before.length + 1);
            after[before.length] = listener;
        } while (!listeners.compareAndSet(before, after));
        return () -> remove(listener);
    }

    private void remove(L listener) {
        Object[] before;
        Object[] after;
        do {
            before = listeners.get();
            int at = indexOf(before, listener);
            if (at < 0) {
                return;
            }
            after = new Object[before.length - 1];
            System.arraycopy(before, 0, after, 0, at);
            System.arraycopy(before, at + 1, after, at, before.length - at - 1);
        } while (!listeners.compareAndSet(before, after));
    }

    private static int indexOf(Object[] all, Object listener) {
        for (int i = 0; i < all.length; i++) {
            if (all[i].equals(listener)) {
                return i;
            }
        }
        return -1;
    }

    public boolean isEmpty() {
        return listeners.get().length == 0;
    }

    /** Calls every listener; {@code event} names what happened, for the log of a listener's failure. */
    @SuppressWarnings("unchecked")
    public void fire(String event, Consumer<? super L> call) {
        for (Object listener : listeners.get()) {
            try {
                call.accept((L) listener);
            } catch (RuntimeException e) {
                log.warn("listener {} failed on {}", listener, event, e);
            }
        }
    }
}
