package dev.switchboard.controller.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;

/**
 * OpenFlow version negotiation (OpenFlow 1.3.1, 6.3.1): if both HELLOs carry a version
 * bitmap, the highest version in both; otherwise the lower of the two HELLO versions, if
 * we support it.
 */
final class VersionNegotiation {

    private VersionNegotiation() {
    }

    /** Our HELLO: our highest version, with a bitmap of all of ours when that version has bitmaps. */
    static OFHello hello(Set<OFVersion> ours) {
        OFVersion highest = Collections.max(ours);
        OFFactory factory = OFFactories.getFactory(highest);
        if (!hasBitmap(highest)) {
            return factory.buildHello().setXid(0).build();
        }
        OFHelloElemVersionbitmap bitmap = factory.buildHelloElemVersionbitmap().setBitmaps(bitmapOf(ours)).build();
        return factory.buildHello().setXid(0).setElements(List.of(bitmap)).build();
    }

    static Optional<OFVersion> negotiate(Set<OFVersion> ours, OFHello theirs) {
        OFVersion ourHighest = Collections.max(ours);
        List<U32> theirBitmap = bitmapIn(theirs);
        if (hasBitmap(ourHighest) && !theirBitmap.isEmpty()) {
            return ours.stream().filter(v -> isSet(theirBitmap, v)).max(Enum::compareTo);
        }
        OFVersion lower = ourHighest.compareTo(theirs.getVersion()) <= 0 ? ourHighest : theirs.getVersion();
        return ours.contains(lower) ? Optional.of(lower) : Optional.empty();
    }

    static List<OFVersion> versionsIn(OFHello hello) {
        List<U32> bitmap = bitmapIn(hello);
        if (bitmap.isEmpty()) {
            return List.of(hello.getVersion());
        }
        List<OFVersion> versions = new ArrayList<>();
        for (OFVersion version : OFVersion.values()) {
            if (isSet(bitmap, version)) {
                versions.add(version);
            }
        }
        return versions;
    }

    private static boolean hasBitmap(OFVersion version) {
        return version.compareTo(OFVersion.OF_13) >= 0;
    }

    private static List<U32> bitmapOf(Set<OFVersion> versions) {
        int highestWire = Collections.max(versions).getWireVersion();
        long[] words = new long[highestWire / 32 + 1];
        for (OFVersion version : versions) {
            words[version.getWireVersion() / 32] |= 1L << (version.getWireVersion() % 32);
        }
        List<U32> bitmap = new ArrayList<>();
        for (long word : words) {
            bitmap.add(U32.of(word));
        }
        return bitmap;
    }

    private static List<U32> bitmapIn(OFHello hello) {
        if (!hasBitmap(hello.getVersion())) {
            return List.of();
        }
        for (OFHelloElem element : hello.getElements()) {
            if (element instanceof OFHelloElemVersionbitmap bitmap) {
                return bitmap.getBitmaps();
            }
        }
        return List.of();
    }

    private static boolean isSet(List<U32> bitmap, OFVersion version) {
        int wire = version.getWireVersion();
        int word = wire / 32;
        return word < bitmap.size() && (bitmap.get(word).getValue() & (1L << (wire % 32))) != 0;
    }
}
