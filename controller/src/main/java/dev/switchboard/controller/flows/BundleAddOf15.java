package dev.switchboard.controller.flows;

import com.google.common.hash.PrimitiveSink;
import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * An OpenFlow 1.5 BUNDLE_ADD_MESSAGE encoded by hand: openflowj 3.6.605's 1.5 encoder writes
 * one byte of padding too few (71 bytes where 1.4 writes 72 for the same flow), so OVS reads the
 * embedded message's version from the wrong byte and answers OFPBFC_BAD_VERSION. The layout is
 * that of 1.4: header, bundle_id (4), pad (2), flags (2), the message; no properties.
 */
record BundleAddOf15(long xid, int bundleId, int flags, OFMessage message) implements OFMessage {
    private static final int OFPT_BUNDLE_ADD_MESSAGE = 34;

    BundleAddOf15 {
        Objects.requireNonNull(message, "message");
    }

    @Override
    public OFVersion getVersion() {
        return OFVersion.OF_15;
    }

    @Override
    public OFType getType() {
        return OFType.BUNDLE_ADD_MESSAGE;
    }

    @Override
    public long getXid() {
        return xid;
    }

    @Override
    public void writeTo(ByteBuf out) {
        int start = out.writerIndex();
        out.writeByte(OFVersion.OF_15.getWireVersion());
        out.writeByte(OFPT_BUNDLE_ADD_MESSAGE);
        out.writeShort(0); // length, set below
        out.writeInt((int) xid);
        out.writeInt(bundleId);
        out.writeShort(0);
        out.writeShort(flags);
        message.writeTo(out);
        int length = out.writerIndex() - start;
        if (length > 0xffff) {
            out.writerIndex(start);
            throw new IllegalArgumentException("bundled message too long: " + length + " bytes");
        }
        out.setShort(start + 2, length);
    }

    @Override
    public boolean equalsIgnoreXid(Object other) {
        return other instanceof BundleAddOf15 o && o.bundleId == bundleId && o.flags == flags && o.message.equalsIgnoreXid(message);
    }

    @Override
    public int hashCodeIgnoreXid() {
        return Objects.hash(bundleId, flags, message.hashCodeIgnoreXid());
    }

    @Override
    public OFMessage.Builder createBuilder() {
        throw new UnsupportedOperationException("built by BulkFlowInstaller only");
    }

    @Override
    public void putTo(PrimitiveSink sink) {
        sink.putLong(xid).putInt(bundleId).putInt(flags);
        message.putTo(sink);
    }
}
