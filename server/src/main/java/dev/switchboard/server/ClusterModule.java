package dev.switchboard.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.switchboard.cluster.ClusterConfig;
import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.cluster.ClusterSwitchListener;
import dev.switchboard.controller.Controller;
import dev.switchboard.rest.ClusterInfo;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * Wiring of the controller cluster ({@code cluster:} in the config): how this instance joins it
 * before the controller listens, so no switch is served before its role is decided. Without the
 * section nothing joins and the controller masters every switch alone.
 */
final class ClusterModule extends AbstractModule {
    private final Optional<ClusterConfig> config;

    ClusterModule(Optional<ClusterConfig> config) {
        this.config = config;
    }

    /** Joins the cluster with the controller made but not started. */
    @FunctionalInterface
    interface ClusterJoiner {
        /** @return the membership (started: ZooKeeper is reached in the background), or empty alone */
        Optional<ClusterNode> join(Controller controller);
    }

    @Provides
    ClusterJoiner joiner() {
        return controller -> config.map(c -> {
            ClusterNode node = new ClusterNode(c);
            controller.useMastership(node); // roles follow the cluster from the first switch on
            controller.switches().addSwitchListener(new ClusterSwitchListener(node));
            node.start();
            return node;
        });
    }

    /** The REST API's view of the membership. */
    static ClusterInfo info(ClusterNode node) {
        return new ClusterInfo() {
            @Override
            public String nodeId() {
                return node.nodeId();
            }

            @Override
            public boolean connected() {
                return node.isConnected();
            }

            @Override
            public SortedSet<String> members() {
                return node.view().members();
            }

            @Override
            public Map<DatapathId, String> masters() {
                return node.view().masters();
            }
        };
    }
}
