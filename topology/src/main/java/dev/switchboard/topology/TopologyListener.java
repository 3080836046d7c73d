package dev.switchboard.topology;

/**
 * Told after each new snapshot is published, in order, on the thread that made the change
 * (a switch's event loop or the discovery timer): it must not block.
 */
@FunctionalInterface
public interface TopologyListener {
    void topologyChanged(TopologyEvent event);
}
