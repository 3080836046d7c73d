package dev.switchboard.controller.flows;

import com.google.common.hash.PrimitiveSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Up to one batch of a bulk install's flows, already in wire bytes (FLOW_MODs, or bundle
 * ADD_MESSAGEs around them) with their xids, and where each came from. Why bytes: a flow as an
 * openflowj object graph (match, OXM list, instructions, actions) kept alive until a 100,000-flow
 * install ends made G1 copy hundreds of MB per young collection; the bytes of a batch are one
 * array. Immutable once built; read from any thread.
 */
final class EncodedBatch {
    private static final int DETAIL_CHARS = 300;

    private final OFVersion version;
    private final OFType type;
    private final int firstIndex;
    private final byte[] bytes;
    /** Where flow i's message ends in {@link #bytes}; it starts where flow i-1's ends. */
    private final int[] ends;
    private final long[] xids;
    private final long minXid;
    private final long maxXid;
    private final int[] positions;
    /** The flows' texts back to back (null when none was given), cut at {@link #textEnds}. */
    private final String texts;
    private final int[] textEnds;
    /** Bytes before the FLOW_MOD inside flow i's message: the ADD_MESSAGE header, or 0. */
    private final int wrapperBytes;

    private EncodedBatch(Builder builder) {
        this.version = builder.version;
        this.type = builder.type;
        this.firstIndex = builder.firstIndex;
        this.bytes = new byte[builder.buffer.readableBytes()];
        builder.buffer.getBytes(builder.buffer.readerIndex(), bytes);
        int n = builder.count;
        this.ends = Arrays.copyOf(builder.ends, n);
        this.xids = Arrays.copyOf(builder.xids, n);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long xid : xids) {
            min = Math.min(min, xid);
            max = Math.max(max, xid);
        }
        this.minXid = min;
        this.maxXid = max;
        this.positions = Arrays.copyOf(builder.positions, n);
        this.texts = builder.texts == null ? null : builder.texts.toString();
        this.textEnds = builder.texts == null ? null : Arrays.copyOf(builder.textEnds, n);
        this.wrapperBytes = builder.wrapperBytes;
    }

    int firstIndex() {
        return firstIndex;
    }

    int size() {
        return ends.length;
    }

    /** The input index of the flow sent with {@code xid}, or -1 when none of this batch's was. */
    int indexOf(long xid) {
        if (xid < minXid || xid > maxXid) {
            return -1;
        }
        for (int i = 0; i < xids.length; i++) {
            if (xids[i] == xid) {
                return firstIndex + i;
            }
        }
        return -1;
    }

    /** The 1-based line (or JSON position) flow {@code index} came from; 0 when not given. */
    int position(int index) {
        return positions[index - firstIndex];
    }

    /**
     * The flow as written when it was given as text, else as openflowj prints the FLOW_MOD read
     * back from its bytes; at most 300 characters.
     */
    String text(int index) {
        int i = index - firstIndex;
        String text;
        if (texts != null) {
            text = texts.substring(i == 0 ? 0 : textEnds[i - 1], textEnds[i]);
        } else {
            text = decoded(i);
        }
        return text.length() <= DETAIL_CHARS ? text : text.substring(0, DETAIL_CHARS) + "…";
    }

    private String decoded(int i) {
        int start = (i == 0 ? 0 : ends[i - 1]) + wrapperBytes;
        try {
            return String.valueOf(OFFactories.getFactory(version).getReader()
                    .readFrom(Unpooled.wrappedBuffer(bytes, start, ends[i] - start)));
        } catch (Exception e) {
            return "flow " + (firstIndex + i) + " (" + (ends[i] - start) + " bytes)";
        }
    }

    /** The batch as messages for {@code OFSwitch#tryWriteAll}: views of the bytes, made when sent. */
    List<OFMessage> messages() {
        List<OFMessage> messages = new ArrayList<>(ends.length);
        int start = 0;
        for (int i = 0; i < ends.length; i++) {
            messages.add(new Encoded(version, type, xids[i], bytes, start, ends[i] - start));
            start = ends[i];
        }
        return messages;
    }

    /** One message already encoded: writing it copies its bytes. */
    private record Encoded(OFVersion version, OFType type, long xid, byte[] bytes, int offset, int length) implements OFMessage {
        @Override
        public OFVersion getVersion() {
            return version;
        }

        @Override
        public OFType getType() {
            return type;
        }

        @Override
        public long getXid() {
            return xid;
        }

        @Override
        public void writeTo(ByteBuf out) {
            out.writeBytes(bytes, offset, length);
        }

        @Override
        public boolean equalsIgnoreXid(Object other) {
            return other instanceof Encoded o && Arrays.equals(bytes, offset + 8, offset + length, o.bytes, o.offset + 8, o.offset + o.length);
        }

        @Override
        public int hashCodeIgnoreXid() {
            int hash = 1;
            for (int i = offset + 8; i < offset + length; i++) {
                hash = 31 * hash + bytes[i];
            }
            return hash;
        }

        @Override
        public OFMessage.Builder createBuilder() {
            throw new UnsupportedOperationException("an encoded message of a bulk install");
        }

        @Override
        public void putTo(PrimitiveSink sink) {
            sink.putBytes(bytes, offset, length);
        }
    }

    /** Fills one batch; used by one thread. The buffer is reused batch after batch and released at the end. */
    static final class Builder {
        private final OFVersion version;
        private final OFType type;
        private final int wrapperBytes;
        private final ByteBuf buffer = Unpooled.buffer(64 * 1024);
        private int[] ends;
        private long[] xids;
        private int[] positions;
        private int[] textEnds;
        private StringBuilder texts;
        private int firstIndex;
        private int count;

        Builder(OFVersion version, OFType type, int wrapperBytes, int capacity) {
            this.version = version;
            this.type = type;
            this.wrapperBytes = wrapperBytes;
            this.ends = new int[capacity];
            this.xids = new long[capacity];
            this.positions = new int[capacity];
            this.textEnds = new int[capacity];
        }

        ByteBuf buffer() {
            return buffer;
        }

        int count() {
            return count;
        }

        /** Records the message just written to {@link #buffer()} as the next flow. */
        void added(long xid, int position, String text) {
            if (count == ends.length) {
                int grown = count * 2;
                ends = Arrays.copyOf(ends, grown);
                xids = Arrays.copyOf(xids, grown);
                positions = Arrays.copyOf(positions, grown);
                textEnds = Arrays.copyOf(textEnds, grown);
            }
            ends[count] = buffer.writerIndex();
            xids[count] = xid;
            positions[count] = position;
            if (text != null) {
                if (texts == null) {
                    texts = new StringBuilder();
                }
                texts.append(text);
            }
            textEnds[count] = texts == null ? 0 : texts.length();
            count++;
        }

        /** The batch so far, starting the next one (at input index {@code firstIndex + count}). */
        EncodedBatch take() {
            EncodedBatch batch = new EncodedBatch(this);
            firstIndex += count;
            count = 0;
            buffer.clear();
            texts = null;
            return batch;
        }

        void release() {
            if (buffer.refCnt() > 0) {
                buffer.release();
            }
        }
    }
}
