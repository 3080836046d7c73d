package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * A multipart reply is capped in bytes, not only in parts: a switch answering one flow-stats
 * request with part after part must not make the controller keep them all (at 64 KiB a part,
 * the old cap of 16,384 parts let one reply reach a gigabyte). Past {@code maxReplyBytes} the
 * request fails, the parts are dropped, the rest of that reply is discarded as it comes, and
 * the switch stays connected and served.
 */
class ReplyLimitTest {
    private static final int CAP = 512 * 1024;
    /** About 56 KB a part: 1000 entries of a flow without match fields or instructions. */
    private static final List<OFFlowStatsEntry> ENTRIES = entries(1000);

    @Test
    void aReplyPastMaxReplyBytesFailsItsRequestAndTheSwitchStaysServed() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.maxReplyBytes(CAP));
                LogCapture log = new LogCapture(); RawPeer peer = RawPeer.connect(fixture.address)) {
            peer.handshake(2);
            OFSwitch sw = await().atMost(Duration.ofSeconds(5))
                    .until(() -> fixture.controller.switches().getSwitch(DatapathId.of(2)), Optional::isPresent)
                    .orElseThrow();
            CompletableFuture<List<OFFlowStatsReply>> dump = sw.requestStats(flowStats(sw));
            OFFlowStatsRequest request = peer.readUntil(OFFlowStatsRequest.class);
            long unhandledBefore = fixture.controller.counters().unhandledMessages();

            int parts = 40; // about 2.2 MB, more than four times the cap
            for (int i = 0; i < parts; i++) {
                peer.send(part(request.getXid(), i < parts - 1));
            }

            assertThat(dump).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ReplyTooLargeException.class)
                    .withMessageContaining("maxReplyBytes");
            // the barrier's reply comes after every part: once it is here, all of them were handled
            CompletableFuture<?> barrier = sw.barrier();
            peer.send(RawPeer.OF13.buildBarrierReply().setXid(peer.readUntil(OFBarrierRequest.class).getXid()).build());
            assertThat(barrier).succeedsWithin(Duration.ofSeconds(5));
            ControllerCounters counters = fixture.controller.counters();
            assertThat(counters.repliesTooLarge()).isEqualTo(1);
            assertThat(counters.unhandledMessages()).as("the rest of the reply was discarded quietly")
                    .isEqualTo(unhandledBefore);
            assertThat(log.warningsContaining("maxReplyBytes")).singleElement().asString()
                    .contains("switch 00:00:00:00:00:00:00:02");

            // still served: a reply within the cap completes
            CompletableFuture<List<OFFlowStatsReply>> small = sw.requestStats(flowStats(sw));
            OFFlowStatsRequest again = peer.readUntil(OFFlowStatsRequest.class);
            peer.send(part(again.getXid(), true));
            peer.send(part(again.getXid(), false));
            assertThat(small).succeedsWithin(Duration.ofSeconds(5))
                    .satisfies(replies -> assertThat(replies).hasSize(2));
            assertThat(fixture.controller.switches().getSwitch(DatapathId.of(2))).isPresent();
        }
    }

    @Test
    void aReplyWithinTheCapCompletes() throws Exception {
        try (ControllerFixture fixture = new ControllerFixture(c -> c.maxReplyBytes(CAP));
                RawPeer peer = RawPeer.connect(fixture.address)) {
            peer.handshake(2);
            OFSwitch sw = await().atMost(Duration.ofSeconds(5))
                    .until(() -> fixture.controller.switches().getSwitch(DatapathId.of(2)), Optional::isPresent)
                    .orElseThrow();
            CompletableFuture<List<OFFlowStatsReply>> dump = sw.requestStats(flowStats(sw));
            OFFlowStatsRequest request = peer.readUntil(OFFlowStatsRequest.class);
            int parts = CAP / RawPeer.bytesOf(part(0, true)).length; // just under the cap
            for (int i = 0; i < parts; i++) {
                peer.send(part(request.getXid(), i < parts - 1));
            }
            assertThat(dump).succeedsWithin(Duration.ofSeconds(10))
                    .satisfies(replies -> assertThat(replies).hasSize(parts));
            assertThat(fixture.controller.counters().repliesTooLarge()).isZero();
        }
    }

    private static OFFlowStatsRequest flowStats(OFSwitch sw) {
        return sw.factory().buildFlowStatsRequest().setTableId(TableId.ALL).build();
    }

    private static OFFlowStatsReply part(long xid, boolean more) {
        return RawPeer.OF13.buildFlowStatsReply().setXid(xid)
                .setFlags(more ? Set.of(OFStatsReplyFlags.REPLY_MORE) : Set.of())
                .setEntries(ENTRIES).build();
    }

    private static List<OFFlowStatsEntry> entries(int count) {
        List<OFFlowStatsEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(RawPeer.OF13.buildFlowStatsEntry().setTableId(TableId.of(0)).setPriority(i)
                    .setCookie(U64.of(i)).setMatch(RawPeer.OF13.buildMatch().build()).setInstructions(List.of()).build());
        }
        return entries;
    }
}
