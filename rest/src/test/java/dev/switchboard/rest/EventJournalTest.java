package dev.switchboard.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The journal and a client's subscription to it: resume, reset, drop, wake-up. */
class EventJournalTest {
    private static final long START = 1_000;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);

    private final EventJournal journal = new EventJournal(8, START, CLOCK);

    @Test
    void idsIncreaseFromTheStartAndAClientResumesAfterItsLastId() {
        for (int i = 1; i <= 5; i++) {
            assertThat(journal.append("link.added", "e" + i).id()).isEqualTo(START + i);
        }
        EventSubscription resumed = new EventSubscription(journal, 100, OptionalLong.of(START + 2));

        assertThat(resumed.next()).extracting(LiveEvent::data).containsExactly("e3", "e4", "e5");
        assertThat(resumed.next()).isEmpty();
        journal.append("link.removed", "e6");
        assertThat(resumed.next()).extracting(LiveEvent::data).containsExactly("e6");
    }

    @Test
    void aNewClientGetsOnlyWhatHappensFromNowAndZeroMeansFromTheStart() {
        journal.append("switch.connected", "old");
        EventSubscription fresh = new EventSubscription(journal, 100, OptionalLong.empty());
        EventSubscription fromStart = new EventSubscription(journal, 100, OptionalLong.of(0));
        journal.append("switch.disconnected", "new");

        assertThat(fresh.next()).extracting(LiveEvent::data).containsExactly("new");
        assertThat(fromStart.next()).extracting(LiveEvent::data).containsExactly("old", "new");
    }

    @Test
    void anIdOlderThanTheJournalGetsAResetAndThenTheNewEvents() {
        for (int i = 1; i <= 20; i++) {
            journal.append("port.changed", "e" + i);
        }
        EventSubscription behind = new EventSubscription(journal, 100, OptionalLong.of(START + 3));

        List<LiveEvent> first = behind.next();
        assertThat(first).singleElement().satisfies(reset -> {
            assertThat(reset.type()).isEqualTo("reset");
            assertThat(reset.id()).isEqualTo(START + 20);
            assertThat(((EventData.ResetEvent) reset.data()).resumeFrom()).isEqualTo(START + 20);
        });
        assertThat(behind.next()).isEmpty();
        journal.append("link.added", "e21");
        assertThat(behind.next()).extracting(LiveEvent::data).containsExactly("e21");
    }

    @Test
    void theLastHeldEventsCanStillBeResumed() {
        for (int i = 1; i <= 20; i++) {
            journal.append("port.changed", "e" + i);
        }
        // capacity 8: events 13..20 are held, so a client with 12 misses nothing
        assertThat(new EventSubscription(journal, 100, OptionalLong.of(START + 12)).next())
                .extracting(LiveEvent::data).containsExactly("e13", "e14", "e15", "e16", "e17", "e18", "e19", "e20");
    }

    @Test
    void anIdFromAnotherRunGetsAReset() {
        journal.append("switch.connected", "e1");

        assertThat(new EventSubscription(journal, 100, OptionalLong.of(START + 50)).next())
                .extracting(LiveEvent::type).containsExactly("reset");
        assertThat(new EventSubscription(journal, 100, OptionalLong.of(START - 1)).next())
                .extracting(LiveEvent::type).containsExactly("reset");
    }

    @Test
    void aClientThatFallsTooFarBehindIsDroppedAndTakesNoMemoryOfItsOwn() {
        EventJournal big = new EventJournal(1_000, START, CLOCK);
        EventSubscription slow = new EventSubscription(big, 3, OptionalLong.empty());
        assertThat(slow.next()).isEmpty(); // level with the journal

        for (int i = 1; i <= 10; i++) {
            big.append("host.added", "e" + i);
        }
        List<LiveEvent> last = slow.next();

        assertThat(last).singleElement().satisfies(dropped -> {
            assertThat(dropped.type()).isEqualTo("dropped");
            assertThat(((EventData.DroppedEvent) dropped.data()).lastSent()).isEqualTo(START);
        });
        assertThat(slow.dropped()).isTrue();
        big.append("host.added", "e11");
        assertThat(slow.next()).isEmpty();
        // reconnecting with its last id, it gets what it missed from the journal
        assertThat(new EventSubscription(big, 3, OptionalLong.of(START)).next()).hasSize(11);
    }

    @Test
    void aClientCatchingUpAfterAReconnectIsNotDroppedForBeingBehind() {
        EventJournal big = new EventJournal(2_000, START, CLOCK);
        for (int i = 1; i <= 1_000; i++) {
            big.append("host.added", i);
        }
        EventSubscription catchingUp = new EventSubscription(big, 3, OptionalLong.of(START));
        List<Object> got = new ArrayList<>();
        for (List<LiveEvent> batch = catchingUp.next(); !batch.isEmpty(); batch = catchingUp.next()) {
            batch.forEach(e -> got.add(e.data()));
        }

        assertThat(catchingUp.dropped()).isFalse();
        assertThat(got).hasSize(1_000).startsWith(1).endsWith(1_000);
    }

    @Test
    void aWaitingReaderIsWokenByAnAppendOnAnotherThread() throws Exception {
        EventSubscription reader = new EventSubscription(journal, 100, OptionalLong.empty());
        CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> reader.await(Duration.ofMinutes(5)));

        journal.append("switch.connected", "e1");

        assertThat(woken.get(1, TimeUnit.MINUTES)).isTrue();
        assertThat(reader.next()).extracting(LiveEvent::data).containsExactly("e1");
    }

    @Test
    void appendsFromManyThreadsAreAllReadInIdOrder() throws Exception {
        EventJournal big = new EventJournal(10_000, START, CLOCK);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    big.append("port.changed", Thread.currentThread().getName());
                }
            }, "writer-" + t);
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        EventSubscription reader = new EventSubscription(big, 10_000, OptionalLong.of(0));
        List<Long> ids = new ArrayList<>();
        for (List<LiveEvent> batch = reader.next(); !batch.isEmpty(); batch = reader.next()) {
            batch.forEach(e -> ids.add(e.id()));
        }

        assertThat(ids).hasSize(4_000).isSorted().doesNotHaveDuplicates();
        assertThat(ids.get(0)).isEqualTo(START + 1);
    }
}
