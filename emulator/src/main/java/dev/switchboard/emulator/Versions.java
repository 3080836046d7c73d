package dev.switchboard.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;

/**
 * HELLO construction and version negotiation (OpenFlow 1.3.1+ section 6.3.1).
 *
 * <p>Bitmaps are handled as their first 32-bit word only: bit n stands for wire version n, and
 * every version openflowj knows (1..6) lives in that word.
 */
final class Versions {
    private static final int OFPT_HELLO = 0;
    private static final int OFPHET_VERSIONBITMAP = 1;
    private static final int HEADER_LENGTH = 8;
    /** Element header (4) + one bitmap word (4); already a multiple of 8, so no padding. */
    private static final int BITMAP_ELEMENT_LENGTH = 8;

    private Versions() {}

    /** The known version with this wire byte, if any. */
    static Optional<OFVersion> ofWire(int wireVersion) {
        for (OFVersion v : OFVersion.values()) {
            if (v.wireVersion == wireVersion) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The first bitmap word naming these versions (plus {@code extraWireVersion} if in 1..31). */
    static long bitmap(Set<OFVersion> versions, int extraWireVersion) {
        long bits = 0;
        for (OFVersion v : versions) {
            bits |= 1L << v.wireVersion;
        }
        if (extraWireVersion > 0 && extraWireVersion < 32) {
            bits |= 1L << extraWireVersion;
        }
        return bits;
    }

    /** The first bitmap word of a HELLO's version bitmap element, if it has one. */
    static OptionalLong bitmapOf(OFHello hello) {
        if (hello.getVersion().compareTo(OFVersion.OF_13) < 0) {
            return OptionalLong.empty(); // elements exist on the wire only from 1.3 (1.0–1.2 ignore them)
        }
        for (OFHelloElem elem : hello.getElements()) {
            if (elem instanceof OFHelloElemVersionbitmap vb && !vb.getBitmaps().isEmpty()) {
                return OptionalLong.of(vb.getBitmaps().get(0).getValue());
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The version both sides should speak, or empty if there is none.
     *
     * @param ourWireVersion the version byte of the HELLO we sent
     * @param ourBitmap the bitmap we sent, if any
     * @param supported what we accept
     * @param theirs the peer's HELLO
     */
    static Optional<OFVersion> negotiate(
            int ourWireVersion, OptionalLong ourBitmap, Set<OFVersion> supported, OFHello theirs) {
        OptionalLong theirBitmap = bitmapOf(theirs);
        if (ourBitmap.isPresent() && theirBitmap.isPresent()) {
            long common = ourBitmap.getAsLong() & theirBitmap.getAsLong();
            for (int wire = 31; wire > 0; wire--) {
                if ((common & (1L << wire)) != 0) {
                    Optional<OFVersion> v = ofWire(wire).filter(supported::contains);
                    if (v.isPresent()) {
                        return v;
                    }
                }
            }
            return Optional.empty();
        }
        int min = Math.min(ourWireVersion, theirs.getVersion().wireVersion);
        return ofWire(min).filter(supported::contains);
    }

    /** Our HELLO as openflowj builds it; a bitmap is attached only when asked and 1.3+. */
    static OFHello hello(OFVersion version, Set<OFVersion> supported, boolean sendBitmap) {
        OFFactory f = OFFactories.getFactory(version);
        if (!sendBitmap || version.compareTo(OFVersion.OF_13) < 0) {
            return f.buildHello().build();
        }
        OFHelloElem elem =
                f.buildHelloElemVersionbitmap()
                        .setBitmaps(List.of(U32.of(bitmap(supported, 0))))
                        .build();
        return f.buildHello().setElements(List.of(elem)).build();
    }

    /**
     * A HELLO with an arbitrary version byte, written by hand because openflowj cannot build
     * messages for versions it does not know.
     *
     * @param bitmap the first bitmap word to attach, or empty for a bare header
     */
    static ByteBuf rawHello(int wireVersion, long xid, OptionalLong bitmap) {
        int length = HEADER_LENGTH + (bitmap.isPresent() ? BITMAP_ELEMENT_LENGTH : 0);
        ByteBuf buf = Unpooled.buffer(length);
        buf.writeByte(wireVersion).writeByte(OFPT_HELLO).writeShort(length).writeInt((int) xid);
        if (bitmap.isPresent()) {
            buf.writeShort(OFPHET_VERSIONBITMAP).writeShort(BITMAP_ELEMENT_LENGTH);
            buf.writeInt((int) bitmap.getAsLong());
        }
        return buf;
    }
}
