package dev.switchboard.rest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The last {@code capacity} live events, in a ring. Appending is lock-free and never blocks (it
 * runs on switches' event loops and the apps' threads): it takes the next id, stores the event in
 * its slot and unparks the readers waiting for it. Readers (the API's threads) copy from the ring
 * and detect what they can no longer get: an id overwritten, or an id this journal never issued.
 *
 * <p>Ids start above {@code firstIdAfter}; the API passes a value taken from the start time so a
 * client's id from an earlier run of the controller is not mistaken for one of this run.
 */
final class EventJournal {
    private final AtomicReferenceArray<LiveEvent> slots;
    private final int capacity;
    private final long firstIdAfter;
    private final AtomicLong lastId;
    private final Clock clock;
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();

    EventJournal(int capacity, long firstIdAfter, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("event journal capacity must be at least 1, not " + capacity);
        }
        this.slots = new AtomicReferenceArray<>(capacity);
        this.capacity = capacity;
        this.firstIdAfter = firstIdAfter;
        this.lastId = new AtomicLong(firstIdAfter);
        this.clock = clock;
    }

    /** Journals an event; safe from any thread, lock-free. */
    LiveEvent append(String type, Object data) {
        long id = lastId.incrementAndGet();
        LiveEvent event = new LiveEvent(id, type, clock.instant().toString(), data);
        slots.set(slot(id), event);
        for (Thread reader : waiting) {
            LockSupport.unpark(reader);
        }
        return event;
    }

    /** The newest id issued (its event may be a moment from being readable); {@link #firstIdAfter()} if none. */
    long lastId() {
        return lastId.get();
    }

    long firstIdAfter() {
        return firstIdAfter;
    }

    int capacity() {
        return capacity;
    }

    /** What a reader got: the events after its id in order, or that it must start over. */
    record Read(List<LiveEvent> events, boolean reset) {
        static final Read RESET = new Read(List.of(), true);
    }

    /**
     * Up to {@code max} events with ids above {@code after}, in id order; stops before an event
     * still being appended. {@link Read#reset()} when some of those events are gone (overwritten)
     * or {@code after} was never issued by this journal.
     */
    Read readAfter(long after, int max) {
        long last = lastId.get();
        if (after < firstIdAfter || after > last) {
            return Read.RESET;
        }
        if (last - after > capacity) {
            return Read.RESET;
        }
        List<LiveEvent> events = new ArrayList<>((int) Math.min(max, last - after));
        for (long id = after + 1; id <= last && events.size() < max; id++) {
            LiveEvent event = slots.get(slot(id));
            if (event == null || event.id() < id) {
                break; // its appender took the id but has not stored it yet
            }
            if (event.id() > id) {
                return Read.RESET; // overwritten while we read
            }
            events.add(event);
        }
        return new Read(events, false);
    }

    /**
     * Waits until the event after {@code after} can be read (or is gone), at most {@code timeout};
     * returns whether it can. Returns early if the thread is interrupted or {@link #wakeAll()} runs.
     */
    boolean awaitAfter(long after, Duration timeout) {
        if (readable(after + 1)) {
            return true;
        }
        Thread me = Thread.currentThread();
        waiting.add(me);
        try {
            // parking after registering: an append in between has unparked us already
            if (!readable(after + 1) && !me.isInterrupted()) {
                LockSupport.parkNanos(this, timeout.toNanos());
            }
            return readable(after + 1);
        } finally {
            waiting.remove(me);
        }
    }

    /** Wakes every waiting reader (the API is stopping). */
    void wakeAll() {
        for (Thread reader : waiting) {
            LockSupport.unpark(reader);
        }
    }

    private boolean readable(long id) {
        LiveEvent event = slots.get(slot(id));
        return event != null && event.id() >= id;
    }

    private int slot(long id) {
        return (int) Math.floorMod(id, (long) capacity);
    }
}
