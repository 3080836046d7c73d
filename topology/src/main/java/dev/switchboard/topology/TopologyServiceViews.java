package dev.switchboard.topology;

import dev.switchboard.controller.Registration;
import dev.switchboard.controller.app.Registrations;
import dev.switchboard.controller.app.ServiceViews;

/**
 * One consuming app's view of a topology service: {@link #current()} goes straight to the
 * service (it sits on the packet path), listeners are handed to the consumer's registrations
 * so they go when it stops.
 */
public final class TopologyServiceViews implements TopologyService {
    private final TopologyService topology;
    private final Registrations consumer;

    private TopologyServiceViews(TopologyService topology, Registrations consumer) {
        this.topology = topology;
        this.consumer = consumer;
    }

    /** Each consumer's view of {@code topology}. */
    public static ServiceViews<TopologyService> of(TopologyService topology) {
        return consumer -> new TopologyServiceViews(topology, consumer);
    }

    @Override
    public Topology current() {
        return topology.current();
    }

    @Override
    public Registration addListener(TopologyListener listener) {
        return consumer.track(topology.addListener(listener));
    }
}
