package dev.switchboard.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.switchboard.cluster.ClusterConfig;
import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.cluster.ClusterSwitchListener;
import dev.switchboard.controller.Controller;
import dev.switchboard.rest.ClusterInfo;
import dev.switchboard.topology.ClusterExchange;
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

    /** This instance's membership, made (not started) once: the joiner starts it, the apps share through it. */
    @Provides
    @Singleton
    Optional<ClusterNode> node() {
        return config.map(ClusterNode::new);
    }

    /**
     * What the topology and hosts apps take to share the network with the other members; empty
     * alone, and the apps then work exactly as without a cluster.
     */
    @Provides
    Optional<ClusterExchange> exchange(Optional<ClusterNode> node) {
        return node.map(ClusterNode::sharedState);
    }

    @Provides
    ClusterJoiner joiner(Optional<ClusterNode> member) {
        return controller -> member.map(node -> {
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
