package dev.switchboard.controller.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBundleFlags;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.BundleId;
import org.projectfloodlight.openflow.types.OFPort;

/** Encoding flows to wire bytes as they are handed over, and the hand-over itself. */
class BulkFlowUploadTest {
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final OFFactory OF14 = OFFactories.getFactory(OFVersion.OF_14);
    private static final OFFactory OF15 = OFFactories.getFactory(OFVersion.OF_15);
    private static final int BUNDLE = 9;
    private static final int ATOMIC_ORDERED = 3;

    @Test
    void anOpenFlow14AddMessageIsWhatOpenflowjWritesWithTheFlowsXid() throws Exception {
        BulkFlowUpload upload = new BulkFlowUpload(OF14, true, BUNDLE, ATOMIC_ORDERED, 10);
        OFFlowAdd flow = flow(OF14, "priority=5,ip,nw_dst=10.0.0.1,actions=output:2");

        upload.add(3, "the text", flow);
        upload.finish();
        EncodedBatch batch = upload.next().get();
        OFMessage sent = batch.messages().get(0);

        assertThat(sent.getType()).isEqualTo(OFType.BUNDLE_ADD_MESSAGE);
        String expected = hex(buf -> OF14.buildBundleAddMsg().setXid(sent.getXid()).setBundleId(BundleId.of(BUNDLE))
                .setFlags(EnumSet.of(OFBundleFlags.ATOMIC, OFBundleFlags.ORDERED))
                .setData(flow.createBuilder().setXid(sent.getXid()).build()).build().writeTo(buf));
        assertThat(hex(sent::writeTo)).isEqualTo(expected);
        // and openflowj reads it back as that bundle's ADD_MESSAGE of that flow
        OFMessage read = OF14.getReader().readFrom(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex(sent::writeTo))));
        assertThat(read.getXid()).isEqualTo(sent.getXid());
        assertThat(((org.projectfloodlight.openflow.protocol.OFBundleAddMsg) read).getData().equalsIgnoreXid(flow)).isTrue();
        assertThat(upload.next().get()).as("the end").isNull();
    }

    /** openflowj's own 1.5 encoder writes a byte of padding too few; OVS then reads the inner version from the wrong byte. */
    @Test
    void anOpenFlow15AddMessageHasThe14LayoutWithVersion15() throws Exception {
        BulkFlowUpload of14 = new BulkFlowUpload(OF14, true, BUNDLE, ATOMIC_ORDERED, 10);
        BulkFlowUpload of15 = new BulkFlowUpload(OF15, true, BUNDLE, ATOMIC_ORDERED, 10);
        of14.add(flow(OF14, "priority=5,actions=drop"));
        of15.add(flow(OF15, "priority=5,actions=drop"));
        of14.finish();
        of15.finish();

        String expected = withoutXids(hex(of14.next().get().messages().get(0)::writeTo));
        String actual = withoutXids(hex(of15.next().get().messages().get(0)::writeTo));

        assertThat(actual).hasSameSizeAs(expected);
        assertThat(actual.substring(0, 2)).isEqualTo("06");
        assertThat(actual.substring(32, 34)).as("the inner message's version").isEqualTo("06");
        assertThat(actual.substring(2, 32)).isEqualTo(expected.substring(2, 32));
        assertThat(actual.substring(34)).isEqualTo(expected.substring(34));
    }

    @Test
    void withoutABundleTheMessagesAreTheFlowModsWithFreshXids() throws Exception {
        BulkFlowUpload upload = new BulkFlowUpload(OF13, false, 0, 0, 10);
        OFFlowAdd flow = flow(OF13, "priority=7,tcp,tp_dst=80,actions=output:1");

        upload.add(flow);
        upload.add(flow);
        upload.finish();
        List<OFMessage> sent = upload.next().get().messages();

        assertThat(sent).extracting(OFMessage::getType).containsOnly(OFType.FLOW_MOD);
        assertThat(sent.get(0).getXid()).isNotEqualTo(sent.get(1).getXid());
        for (OFMessage message : sent) {
            assertThat(hex(message::writeTo)).isEqualTo(hex(flow.createBuilder().setXid(message.getXid()).build()::writeTo));
        }
    }

    @Test
    void flowsAreHandedOverInBatchesAsTheyComeAndFoundByXidLineAndText() throws Exception {
        BulkFlowUpload upload = new BulkFlowUpload(OF14, true, BUNDLE, ATOMIC_ORDERED, 100);
        CompletableFuture<EncodedBatch> first = upload.next();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            lines.add("priority=" + i + ",actions=output:" + (i + 1));
        }
        FlowModBuilder builder = new FlowModBuilder(OF14);
        FlowFiles.readText(new StringReader("# a comment\n" + String.join("\n", lines) + "\n"), flow -> {
            upload.add(flow.position(), flow.text(), builder.build(flow));
            if (upload.count() == 99) {
                assertThat(first).as("a batch is not full yet").isNotDone();
            }
        });

        assertThat(first).as("the first batch went out before the input ended").isDone();
        upload.finish();
        List<EncodedBatch> batches = new ArrayList<>(List.of(first.get()));
        for (EncodedBatch next = upload.next().get(); next != null; next = upload.next().get()) {
            batches.add(next);
        }
        assertThat(batches).extracting(EncodedBatch::size).containsExactly(100, 100, 50);
        assertThat(upload.count()).isEqualTo(250);
        long xidOf137 = batches.get(1).messages().get(37).getXid();
        assertThat(upload.indexOf(xidOf137)).isEqualTo(137);
        assertThat(upload.indexOf(xidOf137 + 1_000_000)).isEqualTo(-1);
        assertThat(upload.position(137)).as("line 1 is the comment").isEqualTo(139);
        assertThat(upload.text(137)).isEqualTo("priority=137,actions=output:138");
    }

    @Test
    void withoutTextsAFlowIsDescribedByItsFlowModReadBack() throws Exception {
        BulkFlowUpload upload = new BulkFlowUpload(OF14, true, BUNDLE, ATOMIC_ORDERED, 10);
        upload.add(flow(OF14, "priority=1234,actions=drop"));
        upload.finish();

        assertThat(upload.text(0)).contains("OFFlowAdd").contains("priority=1234");
    }

    @Test
    void anAbortReachesTheInstallThatWaitsAndDropsWhatWasNotTaken() {
        BulkFlowUpload upload = new BulkFlowUpload(OF14, true, BUNDLE, ATOMIC_ORDERED, 1);
        upload.add(flow(OF14, "priority=1,actions=drop"));
        CompletableFuture<Void> ended = upload.ended();
        FlowParseException bad = new FlowParseException("line 2", "x", "bad");

        upload.abort(bad);

        assertThatThrownBy(() -> upload.next().get()).isInstanceOf(ExecutionException.class).hasCause(bad);
        assertThat(ended).isCompletedExceptionally();
        assertThatThrownBy(() -> upload.add(flow(OF14, "priority=1,actions=drop"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFlowThatCannotBeEncodedIsRefusedAndLeavesNothing() throws Exception {
        BulkFlowUpload upload = new BulkFlowUpload(OF14, true, BUNDLE, ATOMIC_ORDERED, 10);
        upload.add(flow(OF14, "priority=1,actions=drop"));
        // 5,000 outputs of 16 bytes: past the 64 KiB an OpenFlow message can be
        List<OFAction> outputs = Collections.nCopies(5000, OF14.actions().output(OFPort.of(1), 0xffff));
        OFFlowMod huge = OF14.buildFlowAdd().setActions(outputs).build();

        assertThatThrownBy(() -> upload.add(7, "huge", huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 7").hasMessageContaining("cannot be encoded");
        assertThatThrownBy(() -> upload.add(flow(OF13, "priority=1,actions=drop"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OF_13");
        upload.add(flow(OF14, "priority=2,actions=drop"));
        upload.finish();

        EncodedBatch batch = upload.next().get();
        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.messages()).allSatisfy(m -> assertThat(OF14.getReader().readFrom(
                Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex(m::writeTo))))).isNotNull());
    }

    private static OFFlowAdd flow(OFFactory factory, String line) {
        return new FlowModBuilder(factory).build(FlowFiles.fromLine("line 1", line));
    }

    /** Both xids (the ADD_MESSAGE's and its flow's) zeroed. */
    private static String withoutXids(String hex) {
        return hex.substring(0, 8) + "00000000" + hex.substring(16, 40) + "00000000" + hex.substring(48);
    }

    private static String hex(java.util.function.Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer();
        try {
            writer.accept(buf);
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }
}
