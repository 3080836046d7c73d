package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.emulator.EmulatedSwitch;
import dev.switchboard.emulator.EmulatedSwitchOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * A peer that writes faster than it reads must not make the controller buffer without limit,
 * and a well-behaved switch beside it keeps its service. The old controller queued every
 * reply: a 64 KiB echo flood grew its buffers by hundreds of MB a second.
 */
class FloodTest {
    /** A whole 64 KiB ECHO_REQUEST (the largest OpenFlow message). */
    private static final byte[] BIG_ECHO = RawPeer.bytesOf(RawPeer.OF13.buildEchoRequest()
            .setXid(9).setData(new byte[0xffff - 8]).build());
    /** How long each flood runs while the controller's memory is watched. */
    private static final Duration FLOOD = Duration.ofSeconds(3);
    /**
     * Growth of the allocator's memory allowed during a flood: the per-peer budget (1 MiB by
     * default), a read buffer and a frame, the allocator's chunk granularity, and the
     * well-behaved switch. The old code passed this within a fraction of a second.
     */
    private static final long GROWTH_LIMIT = 16L << 20;
    private static final long BUDGET = ControllerConfig.builder().build().peerBufferBytes();

    @Test
    void echoFloodFromAReadySwitchStaysBounded() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture(); RawPeer flooder = RawPeer.connect(fixture.address)) {
            EmulatedSwitch healthy = fixture.connect(1);
            fixture.awaitSwitch(healthy);
            flooder.handshake(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.controller.switches().switches().size() == 2);

            flooder.flood(BIG_ECHO);
            watchMemoryDuringFlood(fixture, flooder);

            assertEchoAnswered(healthy);
        }
    }

    @Test
    void echoFloodBeforeHelloStaysBounded() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture(); RawPeer flooder = RawPeer.connect(fixture.address)) {
            EmulatedSwitch healthy = fixture.connect(1);
            fixture.awaitSwitch(healthy);

            flooder.flood(BIG_ECHO);
            watchMemoryDuringFlood(fixture, flooder);

            assertEchoAnswered(healthy);
        }
    }

    @Test
    void packetInFloodAnsweredByAnAppStaysBounded() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture(); RawPeer flooder = RawPeer.connect(fixture.address)) {
            // a hub: every packet-in gets a flow and a packet-out carrying the packet back
            AtomicLong fromFlooder = new AtomicLong();
            fixture.controller.packetIns().addProcessor("hub", 100, (sw, packetIn) -> {
                if (sw.id().getLong() == 2) {
                    fromFlooder.incrementAndGet();
                }
                OFFactory f = sw.factory();
                sw.write(f.buildFlowAdd().setCookie(U64.of(0x77)).setPriority(1)
                        .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build()).build());
                sw.write(f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                        .setActions(java.util.List.of(f.actions().output(OFPort.FLOOD, 0xffff)))
                        .setData(packetIn.getData()).build());
                return Disposition.STOP;
            });
            EmulatedSwitch healthy = fixture.connect(EmulatedSwitchOptions.builder().datapathId(1)
                    .helloVersion(OFVersion.OF_13).supportedVersions(OFVersion.OF_13).build());
            fixture.awaitSwitch(healthy);
            flooder.handshake(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> fixture.controller.switches().switches().size() == 2);

            byte[] packetIn = RawPeer.bytesOf(RawPeer.OF13.buildPacketIn().setXid(0)
                    .setBufferId(OFBufferId.NO_BUFFER).setTotalLen(1400).setReason(OFPacketInReason.NO_MATCH)
                    .setTableId(TableId.of(0)).setCookie(U64.ZERO)
                    .setMatch(RawPeer.OF13.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build())
                    .setData(new byte[1400]).build());
            byte[] burst = new byte[packetIn.length * 32];
            for (int i = 0; i < 32; i++) {
                System.arraycopy(packetIn, 0, burst, i * packetIn.length, packetIn.length);
            }
            flooder.flood(burst);
            watchMemoryDuringFlood(fixture, flooder);
            assertThat(fromFlooder.get()).as("the flooder's packet-ins were handled").isPositive();

            healthy.clearReceived();
            healthy.sendPacketIn(OFPort.of(1), new byte[60]);
            await().atMost(Duration.ofSeconds(5)).until(() -> !healthy.received(OFFlowAdd.class).isEmpty()
                    && !healthy.received(OFPacketOut.class).isEmpty());
            assertEchoAnswered(healthy);
        }
    }

    @Test
    void writesToASwitchThatDoesNotReadAreRefusedPastItsBudget() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture(); RawPeer deaf = RawPeer.connect(fixture.address)) {
            deaf.handshake(2);
            OFSwitch sw = await().atMost(Duration.ofSeconds(5))
                    .until(() -> fixture.controller.switches().getSwitch(DatapathId.of(2)), Optional::isPresent).orElseThrow();
            OFFactory f = sw.factory();
            OFPacketOut packetOut = f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                    .setActions(java.util.List.of(f.actions().output(OFPort.FLOOD, 0xffff))).setData(new byte[1400]).build();
            long baseline = usedMemory();

            long peakPending = 0;
            for (int i = 0; i < 20_000; i++) { // about 28 MB, from a thread that is not the switch's
                sw.write(packetOut);
                if (i % 100 == 0) {
                    peakPending = Math.max(peakPending, fixture.controller.counters().largestPendingWriteBytes());
                }
            }

            assertThat(usedMemory() - baseline).isLessThan(GROWTH_LIMIT);
            // the gauge may count the one message the event loop is moving twice
            assertThat(peakPending).isLessThanOrEqualTo(BUDGET + packetOut.getData().length + 128);
            assertThat(fixture.controller.counters().writesRefused()).isPositive();
            // A request past the budget is refused at once. The event loop may move what waited into
            // the socket's buffer at any moment and so make room for one more message; the peer reads
            // nothing, so that buffer fills too and a try with the budget full soon comes. Each try
            // fills up again right before its request.
            var echo = f.buildEchoRequest().setData(new byte[2000]).build();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                long refused = fixture.controller.counters().writesRefused();
                for (int i = 0; i < 2_000 && fixture.controller.counters().writesRefused() == refused; i++) {
                    sw.write(packetOut);
                }
                assertThat(fixture.controller.counters().writesRefused()).isGreaterThan(refused);
                assertThat(sw.request(echo, Duration.ofSeconds(60))).failsWithin(Duration.ofSeconds(1))
                        .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(SwitchBusyException.class);
            });
        }
    }

    /**
     * Watches the allocator's memory for {@link #FLOOD} while the flood goes on, failing as soon
     * as its growth passes the limit.
     */
    private static void watchMemoryDuringFlood(ControllerFixture fixture, RawPeer flooder) {
        long baseline = usedMemory();
        AtomicLong peak = new AtomicLong();
        AtomicLong peakPending = new AtomicLong();
        await().during(FLOOD).atMost(FLOOD.plusSeconds(5)).pollInterval(Duration.ofMillis(20))
                .failFast("allocator memory grew past the limit", () -> {
                    long growth = usedMemory() - baseline;
                    peak.accumulateAndGet(growth, Math::max);
                    return growth > GROWTH_LIMIT;
                })
                .until(() -> {
                    peakPending.accumulateAndGet(fixture.controller.counters().largestPendingWriteBytes(), Math::max);
                    return true;
                });
        assertThat(flooder.bytesSent()).as("the flood really ran").isGreaterThan(1 << 20);
        ControllerCounters counters = fixture.controller.counters();
        assertThat(counters.readPauses()).as("reading from the flooder paused").isPositive();
        assertThat(peakPending.get()).as("bytes waiting for one peer").isLessThanOrEqualTo(BUDGET);
        System.out.printf("flood: peer sent %d bytes, allocator peak growth %d bytes, most pending for a peer %d bytes%n",
                flooder.bytesSent(), peak.get(), peakPending.get());
    }

    private static void assertEchoAnswered(EmulatedSwitch healthy) {
        long xid = 0x5eed;
        healthy.send(healthy.factory().buildEchoRequest().setXid(xid).setData(new byte[] {1}).build());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> healthy.received(OFEchoReply.class).stream().anyMatch(r -> r.getXid() == xid));
        assertThat(healthy.isConnected()).isTrue();
    }

    static long usedMemory() {
        ByteBufAllocatorMetric metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return metric.usedDirectMemory() + metric.usedHeapMemory();
    }
}
