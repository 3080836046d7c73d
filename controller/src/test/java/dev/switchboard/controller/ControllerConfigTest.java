package dev.switchboard.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFVersion;

class ControllerConfigTest {
    private static final ControllerTls TLS = new ControllerTls(Path.of("key.pem"), Path.of("cert.pem"), Path.of("ca.pem"));

    @Test
    void defaultsToPlainTcpOn6653() {
        ControllerConfig config = ControllerConfig.builder().build();

        assertThat(config.listen()).containsExactly(new InetSocketAddress(ControllerConfig.DEFAULT_PORT));
        assertThat(config.tlsListen()).isEmpty();
        assertThat(config.tls()).isNull();
    }

    @Test
    void offersEveryVersionAppsCanProgramButNot11ByDefault() {
        assertThat(ControllerConfig.builder().build().versions()).containsExactlyInAnyOrder(
                OFVersion.OF_10, OFVersion.OF_12, OFVersion.OF_13, OFVersion.OF_14, OFVersion.OF_15);
    }

    @Test
    void refusesToOffer11AndSaysWhy() {
        assertThatThrownBy(() -> ControllerConfig.builder().versions(Set.of(OFVersion.OF_11, OFVersion.OF_13)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OpenFlow 1.1 cannot be offered: openflowj cannot build 1.1 matches");
    }

    @Test
    void tlsAddressesAloneReplaceTheDefault() {
        InetSocketAddress secure = new InetSocketAddress("127.0.0.1", 6653);

        ControllerConfig config = ControllerConfig.builder().tlsListen(secure).tls(TLS).build();

        assertThat(config.listen()).isEmpty();
        assertThat(config.tlsListen()).containsExactly(secure);
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void tcpAndTlsTogether() {
        InetSocketAddress plain = new InetSocketAddress("127.0.0.1", 6633);
        InetSocketAddress secure = new InetSocketAddress("127.0.0.1", 6653);

        ControllerConfig config = ControllerConfig.builder().listen(plain).tlsListen(secure).tls(TLS).build();

        assertThat(config.listen()).containsExactly(plain);
        assertThat(config.tlsListen()).containsExactly(secure);
    }

    @Test
    void tlsAddressesNeedTheFiles() {
        assertThatThrownBy(() -> ControllerConfig.builder().tlsListen(new InetSocketAddress(6653)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs the TLS files");
    }

    @Test
    void someAddressIsNeeded() {
        assertThatThrownBy(() -> ControllerConfig.builder().listen(List.of()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one listen address");
    }

    @Test
    void aReplyCapMustHoldOneLargestPartAndSurvivesTheCopyBuilder() {
        assertThat(ControllerConfig.builder().build().maxReplyBytes()).isEqualTo(32 << 20);
        ControllerConfig small = ControllerConfig.builder().maxReplyBytes(ControllerConfig.SMALLEST_REPLY_LIMIT).build();
        assertThat(small.toBuilder().build().maxReplyBytes()).isEqualTo(65536);
        assertThatThrownBy(() -> ControllerConfig.builder().maxReplyBytes(65535).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxReplyBytes must be at least 65536");
    }
}
