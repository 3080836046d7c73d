package dev.switchboard.lab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenFlowVersionTest {

    @Test
    void readsOvsSpellings() {
        assertThat(OpenFlowVersion.fromText("OpenFlow10")).isEqualTo(OpenFlowVersion.OF10);
        assertThat(OpenFlowVersion.fromText("OpenFlow15")).isEqualTo(OpenFlowVersion.OF15);
    }

    @Test
    void refuses11AndSaysWhy() {
        assertThatThrownBy(() -> OpenFlowVersion.fromText("OpenFlow11"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'OpenFlow11' is not supported")
                .hasMessageContaining("openflowj cannot build 1.1 matches")
                .hasMessageContaining("OpenFlow10, OpenFlow12");
    }

    @Test
    void refusesUnknownSpellings() {
        assertThatThrownBy(() -> OpenFlowVersion.fromText("OpenFlow99"))
                .hasMessageContaining("is not an OpenFlow version");
    }
}
