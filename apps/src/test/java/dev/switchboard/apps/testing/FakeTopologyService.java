package dev.switchboard.apps.testing;

import dev.switchboard.controller.Registration;
import dev.switchboard.topology.Topology;
import dev.switchboard.topology.TopologyEvent;
import dev.switchboard.topology.TopologyListener;
import dev.switchboard.topology.TopologyService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Publishes snapshots the test hands it and tells listeners what changed, on the test's thread. */
public final class FakeTopologyService implements TopologyService {
    private final List<TopologyListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Topology current;

    public FakeTopologyService(Topology initial) {
        this.current = initial;
    }

    @Override
    public Topology current() {
        return current;
    }

    @Override
    public Registration addListener(TopologyListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void replace(Topology next) {
        Topology before = current;
        current = next;
        TopologyEvent event = new TopologyEvent(before, next,
                minus(next.switches(), before.switches()), minus(before.switches(), next.switches()),
                minus(next.links(), before.links()), minus(before.links(), next.links()));
        listeners.forEach(l -> l.topologyChanged(event));
    }

    public int listenerCount() {
        return listeners.size();
    }

    private static <T> Set<T> minus(Set<T> a, Set<T> b) {
        Set<T> result = new HashSet<>(a);
        result.removeAll(b);
        return result;
    }

}
