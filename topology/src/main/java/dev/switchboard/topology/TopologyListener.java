package dev.switchboard.topology;

/**
 * Told of each new topology snapshot.
 *
 * <p>Threading contract: called after the snapshot is published ({@link TopologyService#current()}
 * returns {@code event.after()} or a newer one), one call at a time and in version order, with
 * no lock held, on topology discovery's writer thread (the topology app's timer), never on a
 * switch's event loop. A listener must not block: while it runs, discovery makes no change.
 */
@FunctionalInterface
public interface TopologyListener {
    void topologyChanged(TopologyEvent event);
}
