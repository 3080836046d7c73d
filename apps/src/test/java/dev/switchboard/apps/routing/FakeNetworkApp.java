package dev.switchboard.apps.routing;

import dev.switchboard.controller.Registration;
import dev.switchboard.controller.app.AppContext;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.hosts.Host;
import dev.switchboard.hosts.HostListener;
import dev.switchboard.hosts.HostService;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
import dev.switchboard.topology.TopologyEvent;
import dev.switchboard.topology.TopologyListener;
import dev.switchboard.topology.TopologyService;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.VlanVid;

/** Stands in for the topology and hosts apps: publishes a fixed topology and a host table the test edits. */
final class FakeNetworkApp implements SwitchboardApp, TopologyService, HostService {
    private volatile Topology topology;
    private final Map<MacAddress, Host> hosts = new ConcurrentHashMap<>();
    private final List<TopologyListener> topologyListeners = new CopyOnWriteArrayList<>();
    private final List<HostListener> hostListeners = new CopyOnWriteArrayList<>();

    FakeNetworkApp(Topology topology) {
        this.topology = topology;
    }

    @Override
    public String name() {
        return "fake-network";
    }

    @Override
    public int cookieNumber() {
        return 0xF0;
    }

    @Override
    public List<Class<?>> provides() {
        return List.of(TopologyService.class, HostService.class);
    }

    @Override
    public void start(AppContext context) {
        // as the real apps do: each consumer's listeners go with it
        context.publishViews(TopologyService.class, dev.switchboard.topology.TopologyServiceViews.of(this));
        context.publishViews(HostService.class, dev.switchboard.hosts.HostServiceViews.of(this));
    }

    static Host host(String mac, SwitchPort at, String... ips) {
        Instant now = Instant.now();
        return new Host(MacAddress.of(mac), VlanVid.ZERO, at,
                java.util.Arrays.stream(ips).map(IPv4Address::of).collect(java.util.stream.Collectors.toSet()),
                Set.of(), now, now);
    }

    void addHost(Host host) {
        hosts.put(host.mac(), host);
        hostListeners.forEach(l -> l.hostAdded(host));
    }

    /** A new address for a known host, as the host table tells it. */
    void updateHost(Host after) {
        Host before = hosts.put(after.mac(), after);
        hostListeners.forEach(l -> l.hostUpdated(before, after));
    }

    void moveHost(MacAddress mac, SwitchPort to) {
        Host before = hosts.get(mac);
        Host after = new Host(mac, before.vlan(), to, before.ipv4(), before.ipv6(), before.firstSeen(), Instant.now());
        hosts.put(mac, after);
        hostListeners.forEach(l -> l.hostMoved(before, after));
    }

    void changeTopology(Topology after) {
        Topology before = topology;
        topology = after;
        Set<dev.switchboard.topology.Link> removed = new java.util.HashSet<>(before.links());
        removed.removeAll(after.links());
        Set<dev.switchboard.topology.Link> added = new java.util.HashSet<>(after.links());
        added.removeAll(before.links());
        TopologyEvent event = new TopologyEvent(before, after, Set.of(), Set.of(), added, removed);
        topologyListeners.forEach(l -> l.topologyChanged(event));
    }

    int listenerCount() {
        return topologyListeners.size() + hostListeners.size();
    }

    /** Reads left before {@link #pendingSilentChange} becomes current; no listener is told. */
    private final java.util.concurrent.atomic.AtomicInteger readsBeforeChange = new java.util.concurrent.atomic.AtomicInteger(-1);
    private volatile Topology pendingSilentChange;

    /**
     * Makes {@code after} current once {@code reads} more reads have been served, without
     * telling listeners: as if its event had been handled before the reader recorded anything.
     */
    void changeTopologyAfterReads(int reads, Topology after) {
        pendingSilentChange = after;
        readsBeforeChange.set(reads);
    }

    @Override
    public Topology current() {
        if (readsBeforeChange.get() >= 0 && readsBeforeChange.getAndDecrement() == 0) {
            topology = pendingSilentChange;
        }
        return topology;
    }

    @Override
    public Registration addListener(TopologyListener listener) {
        topologyListeners.add(listener);
        return () -> topologyListeners.remove(listener);
    }

    @Override
    public Collection<Host> hosts() {
        return hosts.values();
    }

    @Override
    public Optional<Host> host(MacAddress mac, VlanVid vlan) {
        return host(mac).filter(h -> h.vlan().equals(vlan));
    }

    @Override
    public Optional<Host> host(MacAddress mac) {
        return Optional.ofNullable(hosts.get(mac));
    }

    @Override
    public Optional<Host> hostWithIp(IPv4Address ip) {
        return hosts.values().stream().filter(h -> h.ipv4().contains(ip)).findFirst();
    }

    @Override
    public Optional<Host> hostWithIp(IPv6Address ip) {
        return hosts.values().stream().filter(h -> h.ipv6().contains(ip)).findFirst();
    }

    @Override
    public Registration addListener(HostListener listener) {
        hostListeners.add(listener);
        return () -> hostListeners.remove(listener);
    }
}
