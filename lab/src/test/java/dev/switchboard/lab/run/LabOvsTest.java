package dev.switchboard.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.lab.spec.ControllerTarget;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class LabOvsTest {
    private static final InetAddress UPLINK = address("169.254.200.1");

    @Test
    void aLoopbackControllerIsReachedOnTheUplinkFromThePrivateOvssNamespace() {
        assertThat(LabOvs.targetFromNamespace(ControllerTarget.parse("tcp:127.0.0.1:6653"), () -> UPLINK))
                .isEqualTo("tcp:169.254.200.1:6653");
        assertThat(LabOvs.targetFromNamespace(ControllerTarget.parse("tcp:[::1]:6654"), () -> UPLINK))
                .isEqualTo("tcp:169.254.200.1:6654");
    }

    @Test
    void anyOtherControllerIsGivenAsItIs() {
        assertThat(LabOvs.targetFromNamespace(ControllerTarget.parse("tcp:10.1.2.3:6653"), () -> {
            throw new AssertionError("the uplink is not needed");
        })).isEqualTo("tcp:10.1.2.3:6653");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
