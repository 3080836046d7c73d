package dev.switchboard.rest;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchErrorListener;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.MessageListener;
import dev.switchboard.controller.SwitchService;
import dev.switchboard.hosts.Host;
import dev.switchboard.hosts.HostListener;
import dev.switchboard.hosts.HostService;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
import dev.switchboard.topology.TopologyListener;
import dev.switchboard.topology.TopologyService;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.VlanVid;

/** Switches, a topology and hosts the test sets up. */
final class FakeSources {
    final Map<DatapathId, OFSwitch> switches = new ConcurrentHashMap<>();
    volatile List<Link> links = List.of();
    volatile List<Host> hosts = List.of();
    volatile boolean topologyRunning = true;
    volatile boolean hostsRunning = true;
    volatile List<AppCatalog.AppInfo> apps = List.of();
    final List<SwitchListener> switchListeners = new CopyOnWriteArrayList<>();
    final List<TopologyListener> topologyListeners = new CopyOnWriteArrayList<>();
    /** Told when the test says apps were enabled or disabled ({@link #appsChanged}). */
    final List<Runnable> appChangeListeners = new CopyOnWriteArrayList<>();
    /** One instance while running, a new one each time it starts again: the runtime's views behave so. */
    private volatile TopologyService topology = topologyService();
    /** The cluster this fake instance is a member of; null: alone. */
    volatile ClusterInfo cluster;

    void add(OFSwitch sw) {
        switches.put(sw.id(), sw);
    }

    RestSources sources() {
        AppCatalog catalog = new AppCatalog() {
            @Override
            public List<AppInfo> apps() {
                return apps;
            }

            @Override
            public Registration addChangeListener(Runnable listener) {
                appChangeListeners.add(listener);
                return () -> appChangeListeners.remove(listener);
            }
        };
        return new RestSources(switchService(), () -> topologyRunning ? Optional.of(topology) : Optional.empty(),
                () -> hostsRunning ? Optional.of(hostService()) : Optional.empty(), catalog, Optional.empty(),
                Optional.ofNullable(cluster));
    }

    /** The topology app stops or starts (a new service when it starts again), and the API is told. */
    void topologyRuns(boolean runs) {
        if (runs && !topologyRunning) {
            topology = topologyService();
        }
        topologyRunning = runs;
        appChangeListeners.forEach(Runnable::run);
    }

    private SwitchService switchService() {
        return new SwitchService() {
            @Override
            public Collection<OFSwitch> switches() {
                return List.copyOf(switches.values());
            }

            @Override
            public Optional<OFSwitch> getSwitch(DatapathId id) {
                return Optional.ofNullable(switches.get(id));
            }

            @Override
            public Registration addSwitchListener(SwitchListener listener) {
                switchListeners.add(listener);
                return () -> switchListeners.remove(listener);
            }

            @Override
            public Registration addErrorListener(SwitchErrorListener listener) {
                return () -> { };
            }

            @Override
            public Registration addMessageListener(OFType type, MessageListener listener) {
                return () -> { };
            }
        };
    }

    private TopologyService topologyService() {
        Topology topology = new Topology() {
            @Override
            public long version() {
                return 1;
            }

            @Override
            public Set<DatapathId> switches() {
                return Set.copyOf(switches.keySet());
            }

            @Override
            public Set<Link> links() {
                return Set.copyOf(links);
            }

            @Override
            public Set<Link> linksFrom(DatapathId dpid) {
                return Set.copyOf(links.stream().filter(l -> l.src().dpid().equals(dpid)).toList());
            }

            @Override
            public boolean isInterSwitchPort(SwitchPort port) {
                return links.stream().anyMatch(l -> l.src().equals(port) || l.dst().equals(port));
            }

            /** One hop when a link joins the two switches; the same switch is an empty path. */
            @Override
            public Optional<List<Link>> path(DatapathId from, DatapathId to) {
                if (from.equals(to)) {
                    return Optional.of(List.of());
                }
                return links.stream().filter(l -> l.src().dpid().equals(from) && l.dst().dpid().equals(to))
                        .findFirst().map(List::of);
            }

            @Override
            public Set<OFPort> floodPorts(DatapathId dpid) {
                return Set.of();
            }

            @Override
            public boolean acceptsBroadcast(SwitchPort port) {
                return true;
            }
        };
        return new TopologyService() {
            @Override
            public Topology current() {
                return topology;
            }

            @Override
            public Registration addListener(TopologyListener listener) {
                topologyListeners.add(listener);
                return () -> topologyListeners.remove(listener);
            }
        };
    }

    private HostService hostService() {
        return new HostService() {
            @Override
            public Collection<Host> hosts() {
                return hosts;
            }

            @Override
            public Optional<Host> host(MacAddress mac, VlanVid vlan) {
                return hosts.stream().filter(h -> h.mac().equals(mac) && h.vlan().equals(vlan)).findFirst();
            }

            @Override
            public Optional<Host> host(MacAddress mac) {
                return hosts.stream().filter(h -> h.mac().equals(mac)).findFirst();
            }

            @Override
            public Optional<Host> hostWithIp(IPv4Address ip) {
                return hosts.stream().filter(h -> h.ipv4().contains(ip)).findFirst();
            }

            @Override
            public Optional<Host> hostWithIp(IPv6Address ip) {
                return hosts.stream().filter(h -> h.ipv6().contains(ip)).findFirst();
            }

            @Override
            public Registration addListener(HostListener listener) {
                return () -> { };
            }
        };
    }
}
