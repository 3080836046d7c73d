package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    private static ClusterConfig withRoot(String root) {
        return new ClusterConfig("127.0.0.1:2181", "sb1", Duration.ofSeconds(5), root);
    }

    @Test
    void acceptsAbsolutePathsAndDefaults() {
        assertThat(new ClusterConfig("zk:2181", "sb1").root()).isEqualTo("/switchboard");
        assertThat(withRoot("/lab/sb-1").root()).isEqualTo("/lab/sb-1");
        assertThat(withRoot("/a.b/c..d").root()).as("dots inside a name are fine").isEqualTo("/a.b/c..d");
    }

    @Test
    void refusesDotSegmentsZookeepersOwnTreeAndMalformedPaths() {
        for (String bad : new String[] {"/..", "/.", "/a/../b", "/a/."}) {
            assertThatThrownBy(() -> withRoot(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'.' or '..'").hasMessageContaining(bad);
        }
        for (String bad : new String[] {"/zookeeper", "/zookeeper/quota", "/zookeeper/config"}) {
            assertThatThrownBy(() -> withRoot(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("/zookeeper, which ZooKeeper keeps for itself");
        }
        for (String bad : new String[] {"", "/", "switchboard", "/a//b", "/a/", "/a b", "/a/b/c/d/e/f/g/h/i"}) {
            assertThatThrownBy(() -> withRoot(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("root must be an absolute znode path");
        }
        assertThat(withRoot("/zookeeper2").root()).as("only ZooKeeper's own tree is reserved").isEqualTo("/zookeeper2");
    }
}
