package dev.switchboard.cluster;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchListener;

/**
 * Tells the cluster which switches are connected to this instance, so the assignment gives it
 * only datapaths it can reach. Runs on the switches' event loops and never blocks (the node only
 * records and wakes its own thread).
 */
public final class ClusterSwitchListener implements SwitchListener {
    private final ClusterNode node;

    public ClusterSwitchListener(ClusterNode node) {
        this.node = node;
    }

    @Override
    public void switchAdded(OFSwitch sw) {
        node.datapathConnected(sw.id());
    }

    @Override
    public void switchRemoved(OFSwitch sw) {
        node.datapathDisconnected(sw.id());
    }
}
