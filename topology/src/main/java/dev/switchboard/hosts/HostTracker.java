package dev.switchboard.hosts;

import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.PacketInProcessor;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.topology.InPorts;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.TopologyEvent;
import dev.switchboard.topology.TopologyListener;
import dev.switchboard.topology.TopologyService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.VlanVid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host table.
 *
 * <p>Threads: packets arrive on the switches' event loops, expiry on the app's timer,
 * switch and topology events on either. Reads ({@link HostService}) take no lock. A packet
 * from a known host at its known port carrying no new address only stores the time it was
 * seen (one map lookup with a per-thread key, one volatile write); anything else (a new host,
 * a move, a new address, removal) is made under {@link #lock}, which keeps the table, the
 * address indexes and the listener calls in step.
 */
final class HostTracker implements HostService, PacketInProcessor, SwitchListener, TopologyListener {
    private static final Logger log = LoggerFactory.getLogger(HostTracker.class);

    private final TopologyService topology;
    private final long expiryNanos;
    private final List<HostListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    /** Wall-clock time of {@link #anchorNanos}: lastSeen is kept in nanoTime and shown as an Instant. */
    private final Instant anchor = Instant.now();
    private final long anchorNanos = System.nanoTime();

    private final Map<HostKey, HostEntry> hosts = new ConcurrentHashMap<>();
    private final Map<IPv4Address, HostEntry> byIpv4 = new ConcurrentHashMap<>();
    private final Map<IPv6Address, HostEntry> byIpv6 = new ConcurrentHashMap<>();
    /** Each event loop's lookup key, so a lookup does not box a long. Never stored in {@link #hosts}. */
    private final ThreadLocal<HostKey> lookupKey = ThreadLocal.withInitial(() -> new HostKey(0));

    HostTracker(TopologyService topology, HostsConfig config) {
        this.topology = topology;
        this.expiryNanos = config.expiry().toNanos();
    }

    /**
     * MAC (low 48 bits) and VLAN (the 12 bits above) in one long. Keys stored in the table
     * are never changed; only the per-thread lookup key is, and only by its thread.
     */
    static final class HostKey {
        private long value;

        HostKey(long value) {
            this.value = value;
        }

        static long of(long mac, int vlan) {
            return ((long) vlan << 48) | mac;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof HostKey key && key.value == value;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(value);
        }
    }

    /** One host: its last published description and, separately, when it was last seen. */
    private static final class HostEntry {
        final HostKey key;
        volatile Host host;
        /** The attachment as primitives, compared on the packet path without allocating. */
        volatile long dpid;
        volatile int port;
        volatile int[] ipv4s;
        /** Two longs per address: high, low. */
        volatile long[] ipv6s;
        volatile long lastSeenNanos;

        HostEntry(HostKey key) {
            this.key = key;
        }

        boolean isAt(long atDpid, int atPort) {
            return dpid == atDpid && port == atPort;
        }

        boolean knowsIpv4(int address) {
            for (int known : ipv4s) {
                if (known == address) {
                    return true;
                }
            }
            return false;
        }

        boolean knowsIpv6(long high, long low) {
            long[] known = ipv6s;
            for (int i = 0; i < known.length; i += 2) {
                if (known[i] == high && known[i + 1] == low) {
                    return true;
                }
            }
            return false;
        }
    }

    // ---- packet path

    @Override
    public Disposition process(OFSwitch sw, OFPacketIn packetIn) {
        byte[] frame = packetIn.getData();
        if (!EthernetFrames.isEthernet(frame)) {
            return Disposition.CONTINUE;
        }
        long mac = EthernetFrames.source(frame);
        if (mac == 0 || EthernetFrames.isGroupAddress(mac)) {
            return Disposition.CONTINUE; // not a host's own address
        }
        OFPort inPort = InPorts.of(packetIn);
        if (inPort == null) {
            return Disposition.CONTINUE;
        }
        int tag = EthernetFrames.vlan(frame);
        int vlan = tag == EthernetFrames.UNTAGGED ? 0 : tag;
        long now = System.nanoTime();

        // The source address, if the packet names one: ARP sender, IPv4 or IPv6 source.
        int type = EthernetFrames.etherType(frame);
        int payload = EthernetFrames.payloadOffset(frame);
        int ipv4 = 0;
        long ipv6High = 0;
        long ipv6Low = 0;
        if (type == EthernetFrames.TYPE_ARP && frame.length >= payload + 28
                && EthernetFrames.u16(frame, payload + 2) == EthernetFrames.TYPE_IPV4 && frame[payload + 5] == 4) {
            ipv4 = EthernetFrames.u32(frame, payload + 14);
        } else if (type == EthernetFrames.TYPE_IPV4 && frame.length >= payload + 20) {
            ipv4 = EthernetFrames.u32(frame, payload + 12);
        } else if (type == EthernetFrames.TYPE_IPV6 && frame.length >= payload + 40) {
            ipv6High = u64(frame, payload + 8);
            ipv6Low = u64(frame, payload + 16);
        }

        HostKey probe = lookupKey.get();
        probe.value = HostKey.of(mac, vlan);
        HostEntry entry = hosts.get(probe);
        boolean nothingNew = entry != null && (ipv4 == 0 || entry.knowsIpv4(ipv4))
                && ((ipv6High | ipv6Low) == 0 || entry.knowsIpv6(ipv6High, ipv6Low));
        if (nothingNew && entry.isAt(sw.id().getLong(), inPort.getPortNumber())) {
            entry.lastSeenNanos = now;
            return Disposition.CONTINUE;
        }
        SwitchPort seenAt = new SwitchPort(sw.id(), inPort);
        // Hosts are attached only at edge ports: at an inter-switch port we see hosts of
        // other switches passing through, which must neither attach nor move them.
        if (topology.current().isInterSwitchPort(seenAt)) {
            if (entry != null) {
                entry.lastSeenNanos = now;
                if (!nothingNew) {
                    learn(mac, vlan, seenAt, false, ipv4, ipv6High, ipv6Low, now);
                }
            }
            return Disposition.CONTINUE;
        }
        learn(mac, vlan, seenAt, true, ipv4, ipv6High, ipv6Low, now);
        return Disposition.CONTINUE;
    }

    /**
     * Adds, moves or updates a host under the lock.
     *
     * @param edge false when {@code seenAt} is an inter-switch port: then only new addresses
     *             of a known host are learnt
     */
    private void learn(long mac, int vlan, SwitchPort seenAt, boolean edge, int ipv4, long ipv6High, long ipv6Low,
            long now) {
        IPv4Address newIpv4 = ipv4 == 0 ? null : IPv4Address.of(ipv4);
        IPv6Address newIpv6 = (ipv6High | ipv6Low) == 0 ? null : IPv6Address.of(ipv6High, ipv6Low);
        synchronized (lock) {
            HostKey key = new HostKey(HostKey.of(mac, vlan));
            HostEntry entry = hosts.get(key);
            if (entry == null) {
                if (!edge) {
                    return;
                }
                entry = new HostEntry(key);
                Instant seen = instantOf(now);
                Host host = new Host(MacAddress.of(mac), VlanVid.ofVlan(vlan), seenAt,
                        newIpv4 == null ? Set.of() : Set.of(newIpv4), newIpv6 == null ? Set.of() : Set.of(newIpv6),
                        seen, seen);
                install(entry, host, now);
                hosts.put(key, entry);
                log.debug("host {} added at {}", host.mac(), seenAt);
                fire(l -> l.hostAdded(host));
                return;
            }
            entry.lastSeenNanos = now;
            Host before = view(entry);
            boolean moves = edge && !before.location().equals(seenAt);
            Set<IPv4Address> v4 = with(before.ipv4(), newIpv4);
            Set<IPv6Address> v6 = with(before.ipv6(), newIpv6);
            boolean newAddress = v4.size() != before.ipv4().size() || v6.size() != before.ipv6().size();
            if (!moves && !newAddress) {
                return; // seen passing an inter-switch port, or a race with another thread that learnt it
            }
            Host after = new Host(before.mac(), before.vlan(), moves ? seenAt : before.location(), v4, v6,
                    before.firstSeen(), instantOf(now));
            install(entry, after, now);
            if (moves) {
                log.debug("host {} moved from {} to {}", after.mac(), before.location(), seenAt);
                fire(l -> l.hostMoved(before, after));
            } else {
                fire(l -> l.hostUpdated(before, after));
            }
        }
    }

    private static <T> Set<T> with(Set<T> set, T element) {
        if (element == null || set.contains(element)) {
            return set;
        }
        Set<T> bigger = new HashSet<>(set);
        bigger.add(element);
        return bigger;
    }

    /** Under the lock: makes {@code host} the entry's description and indexes its addresses. */
    private void install(HostEntry entry, Host host, long now) {
        entry.host = host;
        entry.dpid = host.location().dpid().getLong();
        entry.port = host.location().port().getPortNumber();
        entry.ipv4s = host.ipv4().stream().mapToInt(IPv4Address::getInt).toArray();
        long[] v6 = new long[host.ipv6().size() * 2];
        int i = 0;
        for (IPv6Address address : host.ipv6()) {
            byte[] bytes = address.getBytes();
            v6[i++] = u64(bytes, 0);
            v6[i++] = u64(bytes, 8);
        }
        entry.ipv6s = v6;
        entry.lastSeenNanos = now;
        // An address now used by this host is this host's (the newest claim wins).
        host.ipv4().forEach(address -> byIpv4.put(address, entry));
        host.ipv6().forEach(address -> byIpv6.put(address, entry));
    }

    private Instant instantOf(long nanos) {
        return anchor.plusNanos(nanos - anchorNanos);
    }

    /** The entry's host with its latest last-seen time. */
    private Host view(HostEntry entry) {
        Host host = entry.host;
        Instant lastSeen = instantOf(entry.lastSeenNanos);
        if (host.lastSeen().equals(lastSeen)) {
            return host;
        }
        return new Host(host.mac(), host.vlan(), host.location(), host.ipv4(), host.ipv6(), host.firstSeen(),
                lastSeen);
    }

    // ---- removal

    void expireSafely() {
        try {
            long now = System.nanoTime();
            removeWhere(entry -> now - entry.lastSeenNanos > expiryNanos, "expired");
        } catch (RuntimeException e) {
            log.warn("hosts: expiry failed", e);
        }
    }

    private void removeWhere(Predicate<HostEntry> which, String why) {
        List<Host> removed = new ArrayList<>();
        synchronized (lock) {
            for (HostEntry entry : hosts.values()) {
                if (which.test(entry)) {
                    hosts.remove(entry.key, entry);
                    byIpv4.values().removeIf(indexed -> indexed == entry);
                    byIpv6.values().removeIf(indexed -> indexed == entry);
                    Host host = view(entry);
                    removed.add(host);
                    fire(l -> l.hostRemoved(host));
                }
            }
        }
        if (!removed.isEmpty()) {
            log.debug("hosts {}: {}", why, removed.size());
        }
    }

    @Override
    public void switchRemoved(OFSwitch sw) {
        long dpid = sw.id().getLong();
        removeWhere(entry -> entry.dpid == dpid, "of a removed switch");
    }

    @Override
    public void portRemoved(OFSwitch sw, OFPortDesc port) {
        removeAt(sw.id(), port.getPortNo());
    }

    @Override
    public void portChanged(OFSwitch sw, OFPortDesc before, OFPortDesc after) {
        if (after.getState().contains(OFPortState.LINK_DOWN) || after.getConfig().contains(OFPortConfig.PORT_DOWN)) {
            removeAt(sw.id(), after.getPortNo()); // unplugged: it will be learnt again where it reappears
        }
    }

    private void removeAt(DatapathId dpid, OFPort port) {
        long atDpid = dpid.getLong();
        int atPort = port.getPortNumber();
        removeWhere(entry -> entry.isAt(atDpid, atPort), "of a removed port");
    }

    /** Hosts learnt at a port before discovery found a link there were not hosts after all. */
    @Override
    public void topologyChanged(TopologyEvent event) {
        if (event.linksAdded().isEmpty()) {
            return;
        }
        Set<SwitchPort> linkEnds = new HashSet<>();
        for (Link link : event.linksAdded()) {
            linkEnds.add(link.src());
            linkEnds.add(link.dst());
        }
        removeWhere(entry -> linkEnds.contains(entry.host.location()), "at new inter-switch ports");
    }

    // ---- HostService

    @Override
    public Collection<Host> hosts() {
        List<Host> all = new ArrayList<>(hosts.size());
        for (HostEntry entry : hosts.values()) {
            all.add(view(entry));
        }
        return List.copyOf(all);
    }

    @Override
    public Optional<Host> host(MacAddress mac, VlanVid vlan) {
        HostEntry entry = hosts.get(new HostKey(HostKey.of(mac.getLong(), vlan.getVlan())));
        return entry == null ? Optional.empty() : Optional.of(view(entry));
    }

    @Override
    public Optional<Host> host(MacAddress mac) {
        Optional<Host> untagged = host(mac, VlanVid.ZERO);
        if (untagged.isPresent()) {
            return untagged;
        }
        return hosts.values().stream()
                .filter(entry -> (entry.key.value & 0xFFFF_FFFF_FFFFL) == mac.getLong())
                .min(java.util.Comparator.comparingLong(entry -> entry.key.value))
                .map(this::view);
    }

    @Override
    public Optional<Host> hostWithIp(IPv4Address ip) {
        HostEntry entry = byIpv4.get(ip);
        return entry == null ? Optional.empty() : Optional.of(view(entry));
    }

    @Override
    public Optional<Host> hostWithIp(IPv6Address ip) {
        HostEntry entry = byIpv6.get(ip);
        return entry == null ? Optional.empty() : Optional.of(view(entry));
    }

    @Override
    public Registration addListener(HostListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void fire(java.util.function.Consumer<HostListener> call) {
        for (HostListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("host listener {} failed", listener, e);
            }
        }
    }

    private static long u64(byte[] bytes, int at) {
        return ((long) EthernetFrames.u32(bytes, at) << 32) | (EthernetFrames.u32(bytes, at + 4) & 0xFFFF_FFFFL);
    }
}
