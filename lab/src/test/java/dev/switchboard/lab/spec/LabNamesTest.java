package dev.switchboard.lab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabNamesTest {

    private final LabNames seed = LabNames.of("seed");

    @Test
    void everyNameCarriesTheLabPrefix() {
        assertThat(seed.prefix()).isEqualTo("seed-");
        assertThat(seed.namespace("net0")).isEqualTo("seed-net0");
        assertThat(seed.bridge("br0")).isEqualTo("seed-br0");
        assertThat(seed.port("s1", 3)).isEqualTo("seed-s1-e3");
        assertThat(seed.port("net0", 0)).isEqualTo("seed-net0-e0");
        assertThat(seed.owns("seed-s1-e3")).isTrue();
        assertThat(seed.owns("seed2-s1")).isFalse();
        assertThat(seed.owns("seeds1")).isFalse();
        assertThat(seed.tap("tap0")).isEqualTo("seed-tap0");
    }

    @Test
    void labsWhoseNamesShareAPrefixNeverOwnEachOthersObjects() {
        LabNames ab = LabNames.of("ab");
        LabNames abc = LabNames.of("abc");
        assertThat(ab.owns("abc-s1")).isFalse();
        assertThat(ab.owns("abc-h1")).isFalse();
        assertThat(abc.owns("ab-c-h1")).isFalse(); // node names may hold '-', lab names may not
        assertThat(abc.owns("ab-s1")).isFalse();
        assertThat(ab.owns("ab-c-h1")).isTrue();
        assertThat(abc.owns("abc-s1-e1")).isTrue();
        assertThat(ab.owns("ab")).isFalse();
        assertThat(ab.owns(null)).isFalse();
    }

    @Test
    void theLabOfANameIsTheTextBeforeItsFirstDash() {
        assertThat(LabNames.labOf("seed-s1-e3")).contains("seed");
        assertThat(LabNames.labOf("mn-h1")).contains("mn");
        assertThat(LabNames.labOf("eth0")).isEmpty();
        assertThat(LabNames.labOf("Seed-x")).isEmpty();
        // Only the form is checked: OVS's own datapath device looks like lab "ovs"'s.
        assertThat(LabNames.labOf("ovs-system")).contains("ovs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "seed", "lab123", "mn", "z9"})
    void validLabNames(String name) {
        assertThat(LabNames.of(name).lab()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Seed", "1lab", "seed-x", "seed_x", "toolong", "lab 1"})
    void invalidLabNames(String name) {
        assertThatThrownBy(() -> LabNames.of(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'");
    }

    @Test
    void nodeAndInterfaceNames() {
        LabNames.checkNodeName("h1");
        LabNames.checkNodeName("Core_sw-2");
        assertThatThrownBy(() -> LabNames.checkNodeName("-h1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabNames.checkNodeName("h.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabNames.checkNodeName("h 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabNames.checkNodeName("a234567890123456")).isInstanceOf(IllegalArgumentException.class);
        LabNames.checkInterfaceName("eth0");
        LabNames.checkInterfaceName("uplink.10");
        assertThatThrownBy(() -> LabNames.checkInterfaceName("lo")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> LabNames.checkInterfaceName("eth/0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabNames.checkInterfaceName("a234567890123456")).isInstanceOf(IllegalArgumentException.class);
    }
}
