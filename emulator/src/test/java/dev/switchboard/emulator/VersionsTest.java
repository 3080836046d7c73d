package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U32;

class VersionsTest {
    private static final Set<OFVersion> ALL = EnumSet.allOf(OFVersion.class);

    private static OFHello hello(OFVersion v, OFVersion... bitmap) {
        var f = OFFactories.getFactory(v);
        if (bitmap.length == 0) {
            return f.buildHello().build();
        }
        var elem =
                f.buildHelloElemVersionbitmap()
                        .setBitmaps(List.of(U32.of(Versions.bitmap(Set.of(bitmap), 0))))
                        .build();
        return f.buildHello().setElements(List.of(elem)).build();
    }

    @Test
    void bitmapSetsOneBitPerWireVersion() {
        assertThat(Versions.bitmap(Set.of(OFVersion.OF_10, OFVersion.OF_13), 0)).isEqualTo(0b1_0010);
        assertThat(Versions.bitmap(Set.of(), 7)).isEqualTo(0x80);
    }

    @Test
    void bothBitmapsPickTheHighestCommon() {
        OptionalLong ours = OptionalLong.of(Versions.bitmap(Set.of(OFVersion.OF_10, OFVersion.OF_13), 0));
        assertThat(Versions.negotiate(4, ours, ALL, hello(OFVersion.OF_15, OFVersion.OF_10, OFVersion.OF_15)))
                .contains(OFVersion.OF_10);
        assertThat(Versions.negotiate(4, ours, ALL, hello(OFVersion.OF_15, OFVersion.OF_14)))
                .isEmpty();
    }

    @Test
    void otherwiseTheLowerHelloVersionIfWeSupportIt() {
        assertThat(Versions.negotiate(4, OptionalLong.empty(), ALL, hello(OFVersion.OF_15, OFVersion.OF_15)))
                .contains(OFVersion.OF_13);
        assertThat(Versions.negotiate(7, OptionalLong.of(0xfe), ALL, hello(OFVersion.OF_14)))
                .contains(OFVersion.OF_14);
        assertThat(
                        Versions.negotiate(
                                4, OptionalLong.empty(), Set.of(OFVersion.OF_13), hello(OFVersion.OF_10)))
                .isEmpty();
    }

    @Test
    void helloBefore13CarriesNoBitmap() {
        assertThat(Versions.bitmapOf(Versions.hello(OFVersion.OF_12, ALL, true))).isEmpty();
        assertThat(Versions.bitmapOf(Versions.hello(OFVersion.OF_13, ALL, true))).hasValue(0x7e);
        assertThat(Versions.bitmapOf(Versions.hello(OFVersion.OF_13, ALL, false))).isEmpty();
    }
}
