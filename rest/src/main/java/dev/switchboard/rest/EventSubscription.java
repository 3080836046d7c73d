package dev.switchboard.rest;

import dev.switchboard.rest.EventData.DroppedEvent;
import dev.switchboard.rest.EventData.ResetEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * One client's place in the {@link EventJournal}. The client's queue is the stretch of the
 * journal between what it was sent and the newest event: it takes no memory of its own, and
 * once it is longer than {@code maxBehind} after the client had caught up (it reads too slowly)
 * the client is dropped
 * with a {@code dropped} event; reconnecting with its last id resumes from the journal while the
 * journal still holds it, else it gets a {@code reset}. Used by one API thread at a time.
 */
final class EventSubscription {
    static final int BATCH = 256;

    private final EventJournal journal;
    private final int maxBehind;
    private long cursor;
    private boolean dropped;
    private boolean caughtUp;

    /**
     * @param resumeAfter the last id the client has (empty: it wants only what happens from now;
     *                    0: everything since the controller started, if still held)
     */
    EventSubscription(EventJournal journal, int maxBehind, OptionalLong resumeAfter) {
        this.journal = journal;
        this.maxBehind = maxBehind;
        this.cursor = resumeAfter.isEmpty() ? journal.lastId()
                : resumeAfter.getAsLong() == 0 ? journal.firstIdAfter() : resumeAfter.getAsLong();
    }

    /** The events to send next: what the client missed in order, a {@code reset}, or a {@code dropped} (last). */
    List<LiveEvent> next() {
        if (dropped) {
            return List.of();
        }
        long behind = journal.lastId() - cursor;
        // a client catching up after a reconnect is behind by design; only one that was
        // level and then fell back is too slow
        if (caughtUp && behind > maxBehind && behind <= journal.capacity()) {
            dropped = true;
            return List.of(new LiveEvent(cursor, "dropped", Instant.now().toString(),
                    new DroppedEvent("more than " + maxBehind + " events behind", cursor)));
        }
        EventJournal.Read read = journal.readAfter(cursor, BATCH);
        if (read.reset()) {
            long resumeFrom = journal.lastId();
            String reason = cursor > resumeFrom || cursor < journal.firstIdAfter()
                    ? "event " + cursor + " is not from this controller's run"
                    : "events after " + cursor + " are no longer held (the journal keeps " + journal.capacity() + ")";
            cursor = resumeFrom;
            return List.of(new LiveEvent(resumeFrom, "reset", Instant.now().toString(), new ResetEvent(reason, resumeFrom)));
        }
        if (read.events().size() < BATCH) {
            caughtUp = true;
        }
        if (!read.events().isEmpty()) {
            cursor = read.events().get(read.events().size() - 1).id();
        }
        return read.events();
    }

    /** Waits for the next event at most {@code timeout}; false when none came (time for a keep-alive). */
    boolean await(Duration timeout) {
        return dropped || journal.awaitAfter(cursor, timeout);
    }

    boolean dropped() {
        return dropped;
    }

    long cursor() {
        return cursor;
    }
}
