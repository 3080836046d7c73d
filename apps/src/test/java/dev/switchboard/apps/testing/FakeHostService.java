package dev.switchboard.apps.testing;

import dev.switchboard.controller.Registration;
import dev.switchboard.hosts.Host;
import dev.switchboard.hosts.HostListener;
import dev.switchboard.hosts.HostService;
import dev.switchboard.topology.SwitchPort;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.VlanVid;

/** Hosts the test places; listeners are told on the test's thread. */
public final class FakeHostService implements HostService {
    private final Map<List<Object>, Host> hosts = new ConcurrentHashMap<>();
    private final List<HostListener> listeners = new CopyOnWriteArrayList<>();

    public static Host host(long mac, long dpid, int port) {
        Instant now = Instant.now();
        return new Host(MacAddress.of(mac), VlanVid.ZERO, new SwitchPort(DatapathId.of(dpid), OFPort.of(port)),
                Set.of(), Set.of(), now, now);
    }

    /** Adds or moves the host. */
    public void put(Host host) {
        Host before = hosts.put(List.of(host.mac(), host.vlan()), host);
        if (before == null) {
            listeners.forEach(l -> l.hostAdded(host));
        } else if (!before.location().equals(host.location())) {
            listeners.forEach(l -> l.hostMoved(before, host));
        }
    }

    public void remove(Host host) {
        if (hosts.remove(List.of(host.mac(), host.vlan())) != null) {
            listeners.forEach(l -> l.hostRemoved(host));
        }
    }

    @Override
    public Collection<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    @Override
    public Optional<Host> host(MacAddress mac, VlanVid vlan) {
        return Optional.ofNullable(hosts.get(List.of(mac, vlan)));
    }

    @Override
    public Optional<Host> host(MacAddress mac) {
        return host(mac, VlanVid.ZERO);
    }

    @Override
    public Optional<Host> hostWithIp(IPv4Address ip) {
        return Optional.empty();
    }

    @Override
    public Optional<Host> hostWithIp(IPv6Address ip) {
        return Optional.empty();
    }

    @Override
    public Registration addListener(HostListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
