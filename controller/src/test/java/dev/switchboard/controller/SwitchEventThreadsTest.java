package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The threading contract of {@link SwitchListener}: each event runs on the event loop of the
 * connection it is about, also when a newer connection replaces an older one from another loop
 * (the fixture has two loops, taken in turn, so the two connections live on different threads).
 */
class SwitchEventThreadsTest {

    private record Event(String what, int port, Thread thread) {
    }

    @Test
    void aReplacedConnectionsRemovalRunsOnItsOwnLoopBeforeTheNewOneIsAnnouncedOnTheOther() {
        try (ControllerFixture fixture = new ControllerFixture()) {
            List<Event> events = new CopyOnWriteArrayList<>();
            fixture.controller.switches().addSwitchListener(new SwitchListener() {
                @Override
                public void switchAdded(OFSwitch sw) {
                    assertThat(fixture.controller.switches().getSwitch(sw.id())).as("published before told").contains(sw);
                    events.add(new Event("added", sw.remoteAddress().getPort(), Thread.currentThread()));
                }

                @Override
                public void switchRemoved(OFSwitch sw) {
                    events.add(new Event("removed", sw.remoteAddress().getPort(), Thread.currentThread()));
                }
            });
            EmulatedSwitch first = fixture.connect(9);
            int firstPort = fixture.awaitSwitch(first).remoteAddress().getPort();
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
            EmulatedSwitch second = fixture.connect(9);
            int secondPort = fixture.awaitSwitch(second).remoteAddress().getPort();
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);

            assertThat(events).extracting(Event::what, Event::port)
                    .containsExactly(tuple("added", firstPort),
                            tuple("removed", firstPort),
                            tuple("added", secondPort));
            Thread firstLoop = events.get(0).thread();
            Thread secondLoop = events.get(2).thread();
            assertThat(secondLoop).as("the fixture's two loops are taken in turn").isNotSameAs(firstLoop);
            assertThat(events.get(1).thread()).as("the old connection's removal, on its own loop").isSameAs(firstLoop);
        }
    }
}
