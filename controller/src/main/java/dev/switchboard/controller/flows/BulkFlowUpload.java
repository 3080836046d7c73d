package dev.switchboard.controller.flows;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * The flows of one bulk install, handed over one by one while they are still being read (from
 * {@link BulkFlowInstaller#upload}). Each flow is encoded to its wire bytes as it is added, and
 * each full batch is handed to the install at once: with a bundle (OpenFlow 1.4+) the first
 * ADD_MESSAGEs leave while later lines are still parsed, and nothing holds the flows as objects.
 *
 * <p>The producer (one thread at a time) calls {@link #add} for every flow, then {@link #finish}
 * or, when the input turns out bad, {@link #abort}: a bundle already open is then discarded, so
 * the switch keeps nothing of an aborted upload. Batches (OpenFlow 1.0–1.3) wait for
 * {@link #finish}: their flows stay installed once sent, so none is sent before the whole input
 * has been read.
 */
public final class BulkFlowUpload {
    /** OFPT_BUNDLE_ADD_MESSAGE's header: ofp_header, bundle_id, pad (2), flags (2); the message follows, no properties. */
    static final int BUNDLE_ADD_HEADER = 16;
    private static final int OFPT_BUNDLE_ADD_MESSAGE = 34;
    private static final int MAX_MESSAGE = 0xffff;

    private final OFFactory factory;
    private final OFVersion version;
    private final int bundleId;
    private final int bundleFlags;
    private final boolean bundle;
    private final int batchSize;
    private final EncodedBatch.Builder builder;
    /** Every batch handed over, in order: the install finds a refused flow's index in them (on the event loop). */
    private final List<EncodedBatch> batches = new CopyOnWriteArrayList<>();
    private final CompletableFuture<BulkFlowResult> result = new CompletableFuture<>();

    private final Object lock = new Object();
    /** Guarded by lock: handed over and not yet taken by the install. */
    private final ArrayDeque<EncodedBatch> ready = new ArrayDeque<>();
    /** Guarded by lock. */
    private boolean finished;
    /** Guarded by lock. */
    private RuntimeException aborted;
    /** Guarded by lock: the install waits for the next batch (or the end). */
    private CompletableFuture<Void> waiting;
    /** Completes at the first batch handed over, the end or the abort. */
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private int count;
    private boolean closed;

    BulkFlowUpload(OFFactory factory, boolean bundle, int bundleId, int bundleFlags, int batchSize) {
        this.factory = factory;
        this.version = factory.getVersion();
        this.bundle = bundle;
        this.bundleId = bundleId;
        this.bundleFlags = bundleFlags;
        this.batchSize = batchSize;
        this.builder = new EncodedBatch.Builder(version, bundle ? OFType.BUNDLE_ADD_MESSAGE : OFType.FLOW_MOD,
                bundle ? BUNDLE_ADD_HEADER : 0, batchSize);
    }

    /** As {@link #add(int, String, OFFlowMod)}, without a source: errors print the FLOW_MOD. */
    public void add(OFFlowMod flow) {
        add(0, null, flow);
    }

    /**
     * Encodes the next flow (its xid is replaced) and, when a batch is full, hands the batch to the
     * install.
     *
     * @param position the 1-based line (or JSON position) the flow came from, for reports
     * @param text     the flow as written, for reports; may be null
     * @throws IllegalArgumentException when the flow is of another OpenFlow version than the
     *                                  switch's, or openflowj cannot encode it (then nothing of it
     *                                  is kept; the caller should {@link #abort})
     * @throws IllegalStateException    after {@link #finish} or {@link #abort}
     */
    public void add(int position, String text, OFFlowMod flow) {
        if (closed) {
            throw new IllegalStateException("the upload was finished or aborted");
        }
        if (flow.getVersion() != version) {
            throw new IllegalArgumentException("flow " + count + ": a flow of " + flow.getVersion() + " for a switch speaking " + version);
        }
        if (result.isDone()) {
            count++; // the install failed already (the switch went away): the caller hears that, nothing is sent
            return;
        }
        long xid = factory.nextXid();
        ByteBuf out = builder.buffer();
        int start = out.writerIndex();
        try {
            if (bundle) {
                out.writeByte(version.getWireVersion());
                out.writeByte(OFPT_BUNDLE_ADD_MESSAGE);
                out.writeShort(0); // the length, set below
                out.writeInt((int) xid);
                out.writeInt(bundleId);
                out.writeShort(0);
                out.writeShort(bundleFlags);
            }
            int inner = out.writerIndex();
            flow.writeTo(out);
            // OpenFlow 1.4: the embedded message and its ADD_MESSAGE carry the same xid
            out.setInt(inner + 4, (int) xid);
            int length = out.writerIndex() - start;
            if (length > MAX_MESSAGE) {
                throw new IllegalArgumentException("the message is " + length + " bytes, more than 65535");
            }
            if (bundle) {
                out.setShort(start + 2, length);
            }
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw new IllegalArgumentException("flow " + count + (position > 0 ? " (line " + position + ")" : "")
                    + " cannot be encoded: " + e.getMessage(), e);
        }
        builder.added(xid, position, text);
        count++;
        if (builder.count() >= batchSize) {
            handOver(builder.take());
        }
    }

    /** Flows added so far. */
    public int count() {
        return count;
    }

    /** No more flows: the install sends the rest and completes {@link #result()}. */
    public void finish() {
        if (closed) {
            return;
        }
        closed = true;
        if (builder.count() > 0) {
            handOver(builder.take());
        }
        builder.release();
        CompletableFuture<Void> wake;
        synchronized (lock) {
            finished = true;
            wake = waiting;
            waiting = null;
        }
        wakeUp(wake);
        ended.complete(null);
    }

    /**
     * The input was bad: the install stops, a bundle it opened is discarded, and {@link #result()}
     * fails with {@code why}. Nothing happens after {@link #finish}.
     */
    public void abort(RuntimeException why) {
        Objects.requireNonNull(why, "why");
        if (closed) {
            return;
        }
        closed = true;
        builder.release();
        CompletableFuture<Void> wake;
        synchronized (lock) {
            aborted = why;
            ready.clear();
            wake = waiting;
            waiting = null;
        }
        wakeUp(wake);
        ended.completeExceptionally(why);
    }

    /** Completes when the switch has answered for every flow; see {@link BulkFlowInstaller#install}. */
    public CompletableFuture<BulkFlowResult> result() {
        return result.copy();
    }

    void complete(BulkFlowResult done, Throwable failure) {
        if (failure == null) {
            result.complete(done);
        } else {
            result.completeExceptionally(failure);
        }
    }

    /** The 1-based line (or JSON position) flow {@code index} came from, 0 if not given. */
    public int position(int index) {
        return batchOf(index).position(index);
    }

    /** Flow {@code index} as written (or as openflowj prints it), shortened to 300 characters. */
    public String text(int index) {
        return batchOf(index).text(index);
    }

    private EncodedBatch batchOf(int index) {
        for (EncodedBatch batch : batches) {
            if (index >= batch.firstIndex() && index < batch.firstIndex() + batch.size()) {
                return batch;
            }
        }
        throw new IndexOutOfBoundsException("no flow " + index + " was handed over");
    }

    private void handOver(EncodedBatch batch) {
        batches.add(batch);
        CompletableFuture<Void> wake;
        synchronized (lock) {
            if (aborted != null) {
                return;
            }
            ready.add(batch);
            wake = waiting;
            waiting = null;
        }
        wakeUp(wake);
    }

    /** Outside the lock: the install's continuation is async, so it does not run on the producer. */
    private void wakeUp(CompletableFuture<Void> wake) {
        started.complete(null);
        if (wake != null) {
            wake.complete(null);
        }
    }

    // --- the install's side

    /** Completes when there is something to do: a first batch, the end, or the abort. */
    CompletableFuture<Void> started() {
        return started;
    }

    /** Completes when the producer has finished, exceptionally when it aborted. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /**
     * The next batch: completes with it, with null after the last one, or exceptionally with the
     * abort's reason.
     */
    CompletableFuture<EncodedBatch> next() {
        synchronized (lock) {
            if (aborted != null) {
                return CompletableFuture.failedFuture(aborted);
            }
            if (!ready.isEmpty() || finished) {
                return CompletableFuture.completedFuture(ready.poll());
            }
            if (waiting == null) {
                waiting = new CompletableFuture<>();
            }
            return waiting.thenCompose(woken -> next());
        }
    }

    /** Total flows, once finished. */
    int total() {
        return count;
    }

    boolean aborted() {
        synchronized (lock) {
            return aborted != null;
        }
    }

    /** The input index of the flow sent with {@code xid}, or -1. On the event loop: short. */
    int indexOf(long xid) {
        for (EncodedBatch batch : batches) {
            int index = batch.indexOf(xid);
            if (index >= 0) {
                return index;
            }
        }
        return -1;
    }
}
