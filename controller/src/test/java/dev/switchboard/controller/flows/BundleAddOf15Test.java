package dev.switchboard.controller.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBundleFlags;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.BundleId;

class BundleAddOf15Test {

    /** 1.5's ADD_MESSAGE has 1.4's layout; only the version bytes differ (OVS checks the inner one). */
    @Test
    void hasTheLayoutOf14WithTheVersionOf15() {
        OFFactory of14 = OFFactories.getFactory(OFVersion.OF_14);
        OFFactory of15 = OFFactories.getFactory(OFVersion.OF_15);
        String expected = hex(buf -> of14.buildBundleAddMsg().setXid(7).setBundleId(BundleId.of(9))
                .setFlags(EnumSet.of(OFBundleFlags.ATOMIC, OFBundleFlags.ORDERED))
                .setData(of14.buildFlowAdd().setXid(7).setPriority(5).build()).build().writeTo(buf));

        String actual = hex(buf -> new BundleAddOf15(7, 9, 3, of15.buildFlowAdd().setXid(7).setPriority(5).build()).writeTo(buf));

        assertThat(actual).hasSameSizeAs(expected);
        assertThat(actual.substring(0, 2)).isEqualTo("06");
        assertThat(actual.substring(32, 34)).as("the inner message's version").isEqualTo("06");
        assertThat(actual.substring(2, 32)).isEqualTo(expected.substring(2, 32));
        assertThat(actual.substring(34)).isEqualTo(expected.substring(34));
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
