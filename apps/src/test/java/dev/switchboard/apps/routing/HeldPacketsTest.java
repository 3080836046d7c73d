package dev.switchboard.apps.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.apps.routing.HeldPackets.Held;
import dev.switchboard.apps.routing.HeldPackets.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFPort;

/** Driven by a fake clock: its timer runs the expiry when the test moves the clock, never on its own. */
class HeldPacketsTest {
    private final List<IPv4Address> expired = new CopyOnWriteArrayList<>();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final FakeTimer timer = new FakeTimer(nanos);

    private HeldPackets held(Duration timeout) {
        return new HeldPackets(timer, timeout, (nextHop, packets) -> expired.add(nextHop), nanos::get);
    }

    private static Held packet(int bytes) {
        return new Held(DatapathId.of(1), OFPort.of(1), new byte[bytes]);
    }

    private static IPv4Address nextHop(int i) {
        return IPv4Address.of(0x0a00_0000 | i);
    }

    @Test
    void newPacketsAreDroppedOnceTheByteBudgetIsSpent() {
        HeldPackets held = held(Duration.ofMinutes(1));
        int frame = 9000;
        int fit = (int) (HeldPackets.MAX_HELD_BYTES / frame);
        for (int i = 0; i < fit; i++) {
            assertThat(held.hold(nextHop(i / HeldPackets.MAX_PER_NEXT_HOP), packet(frame))).isNotEqualTo(Outcome.REFUSED);
        }

        assertThat(held.hold(nextHop(999), packet(frame))).isEqualTo(Outcome.REFUSED);
        assertThat(held.isWaitingFor(nextHop(999))).isFalse();
        assertThat(held.heldBytes()).isLessThanOrEqualTo(HeldPackets.MAX_HELD_BYTES);

        held.release(nextHop(0));
        assertThat(held.hold(nextHop(999), packet(frame))).isEqualTo(Outcome.ASK);
    }

    @Test
    void arpIsAskedForAtMostOncePerIntervalPerNextHopEvenAsQueuesComeAndGo() {
        HeldPackets held = held(Duration.ofMillis(10));
        IPv4Address hop = nextHop(1);

        assertThat(held.hold(hop, packet(100))).isEqualTo(Outcome.ASK);
        assertThat(held.hold(hop, packet(100))).isEqualTo(Outcome.QUEUED);
        timer.advance(Duration.ofMillis(9));
        assertThat(expired).as("the ARP wait has not run out").isEmpty();
        // The ARP wait runs out and a new packet starts a new queue, within the interval.
        timer.advance(Duration.ofMillis(1));
        assertThat(expired).containsExactly(hop);
        assertThat(held.isWaitingFor(hop)).isFalse();
        assertThat(held.heldBytes()).isZero();
        assertThat(held.hold(hop, packet(100))).isEqualTo(Outcome.QUEUED);

        timer.advance(Duration.ofNanos(HeldPackets.ARP_INTERVAL_NANOS));
        assertThat(expired).as("the second queue ran out too").containsExactly(hop, hop);
        assertThat(held.hold(hop, packet(100))).isEqualTo(Outcome.ASK);
        assertThat(held.hold(nextHop(2), packet(100))).isEqualTo(Outcome.ASK);
    }

    @Test
    void afterStopNothingIsHeldOrScheduledAndAShutTimerDoesNotThrow() {
        HeldPackets held = held(Duration.ofMinutes(1));
        held.hold(nextHop(1), packet(100));
        held.clear();
        assertThat(held.heldBytes()).isZero();
        assertThat(held.hold(nextHop(2), packet(100))).isEqualTo(Outcome.REFUSED);

        HeldPackets other = held(Duration.ofMinutes(1));
        timer.shutdownNow();
        assertThat(other.hold(nextHop(3), packet(100))).isEqualTo(Outcome.REFUSED);
        assertThat(other.isWaitingFor(nextHop(3))).isFalse();
        assertThat(other.heldBytes()).isZero();
    }
}
