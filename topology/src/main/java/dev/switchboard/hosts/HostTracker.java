package dev.switchboard.hosts;

import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.Listeners;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.PacketInProcessor;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.openflow.OpenFlowMessages;
import dev.switchboard.controller.packet.ArpFrames;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.controller.packet.Ipv4Frames;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
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
 *
 * <p>Bounds: any host can send from as many addresses (and any sender from as many MACs) as it
 * likes, so a host keeps at most {@link #MAX_ADDRESSES_PER_FAMILY} addresses of each family
 * (the oldest goes first) and the table at most {@code maxHosts} hosts (beyond that new hosts
 * are not learnt). That keeps the address checks on the packet path to a few comparisons and
 * every copy made under the lock small.
 */
final class HostTracker implements HostService, PacketInProcessor, SwitchListener, TopologyListener {
    private static final Logger log = LoggerFactory.getLogger(HostTracker.class);

    /** Addresses kept per host and family; the oldest is dropped for a new one beyond this. */
    static final int MAX_ADDRESSES_PER_FAMILY = 8;

    private final TopologyService topology;
    private final long expiryNanos;
    private final int maxHosts;
    /** Hosts not learnt because the table was full; logged on the first of each run of refusals. */
    private final java.util.concurrent.atomic.LongAdder refusedHosts = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean tableWasFull;
    private final Listeners<HostListener> listeners = new Listeners<>();
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
        this.maxHosts = config.maxHosts();
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
    /**
     * A host seen at its attachment this recently does not move on a packet from elsewhere.
     * While the topology is still being discovered (a controller start, a switch that
     * reconnects late), a port whose link is not known yet looks like an edge port, and the
     * copies of a host's broadcast that the controller itself floods arrive there milliseconds
     * after the original: without the hold, such a copy "moves" the host onto the link and its
     * flows are deleted everywhere (seen as a 1-3 s outage in ControllerRestartIT). A host that
     * really moves has stopped sending from the old port, so its move waits at most this long.
     */
    static final long MOVE_HOLD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private static final class HostEntry {
        final HostKey key;
        volatile Host host;
        /** The attachment as primitives, compared on the packet path without allocating. */
        volatile long dpid;
        volatile int port;
        /** Oldest first, at most {@link #MAX_ADDRESSES_PER_FAMILY}; replaced, never changed in place. */
        volatile int[] ipv4s = new int[0];
        /** Two longs per address (high, low), oldest first, at most {@link #MAX_ADDRESSES_PER_FAMILY}. */
        volatile long[] ipv6s = new long[0];
        volatile long lastSeenNanos;
        /** When a packet of the host last came in at its own attachment (not passing a link). */
        volatile long seenAtLocationNanos;
        /**
         * The topology snapshot in which the attachment was last found to be an edge port, so
         * the packet path checks it once per snapshot rather than once per packet.
         */
        volatile Topology edgeCheckedIn;

        HostEntry(HostKey key) {
            this.key = key;
        }

        boolean isAt(long atDpid, int atPort) {
            return dpid == atDpid && port == atPort;
        }

        boolean knowsIpv4(int address) {
            int[] known4 = ipv4s;
            for (int known : known4) {
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
        OFPort inPort = OpenFlowMessages.inPort(packetIn);
        if (inPort == null) {
            return Disposition.CONTINUE;
        }
        int tag = EthernetFrames.vlan(frame);
        int vlan = tag == EthernetFrames.UNTAGGED ? 0 : tag;
        long nanos = System.nanoTime();

        // The source address, if the packet names one: ARP sender, IPv4 or IPv6 source.
        int type = EthernetFrames.etherType(frame);
        int payload = EthernetFrames.payloadOffset(frame);
        int ipv4 = 0;
        long ipv6High = 0;
        long ipv6Low = 0;
        if (type == EthernetFrames.TYPE_ARP && ArpFrames.isIpv4OverEthernet(frame, payload)) {
            ipv4 = ArpFrames.senderIp(frame, payload);
        } else if (type == EthernetFrames.TYPE_IPV4 && Ipv4Frames.isIpv4(frame, payload)) {
            ipv4 = Ipv4Frames.source(frame, payload);
        } else if (type == EthernetFrames.TYPE_IPV6 && frame.length >= payload + 40) {
            ipv6High = u64(frame, payload + 8);
            ipv6Low = u64(frame, payload + 16);
        }

        HostKey probe = lookupKey.get();
        probe.value = HostKey.of(mac, vlan);
        HostEntry entry = hosts.get(probe);
        boolean nothingNew = entry != null && (ipv4 == 0 || entry.knowsIpv4(ipv4))
                && ((ipv6High | ipv6Low) == 0 || entry.knowsIpv6(ipv6High, ipv6Low));
        Topology now = topology.current();
        if (nothingNew && entry.isAt(sw.id().getLong(), inPort.getPortNumber())) {
            entry.seenAtLocationNanos = nanos;
            refreshIfAtEdge(entry, now, nanos);
            return Disposition.CONTINUE;
        }
        // Hosts are attached only at edge ports: at an inter-switch port we see hosts of
        // other switches passing through, which must neither attach nor move them.
        if (now.isInterSwitchPort(sw.id(), inPort)) {
            if (entry != null) {
                refreshIfAtEdge(entry, now, nanos);
                if (!nothingNew) {
                    learn(mac, vlan, new SwitchPort(sw.id(), inPort), false, ipv4, ipv6High, ipv6Low, nanos);
                }
            }
            return Disposition.CONTINUE;
        }
        learn(mac, vlan, new SwitchPort(sw.id(), inPort), true, ipv4, ipv6High, ipv6Low, nanos);
        return Disposition.CONTINUE;
    }

    /**
     * Marks a known host as seen, unless its own attachment has become an inter-switch port:
     * such an entry is wrong (it was learnt before the link was known) and is dropped rather
     * than kept alive by the transit traffic that crosses that port.
     */
    private void refreshIfAtEdge(HostEntry entry, Topology now, long nanos) {
        if (entry.edgeCheckedIn != now) {
            if (now.isInterSwitchPort(entry.host.location())) {
                remove(entry, "at an inter-switch port");
                return;
            }
            entry.edgeCheckedIn = now;
        }
        entry.lastSeenNanos = nanos;
    }

    /**
     * Adds, moves or updates a host under the lock.
     *
     * @param edge false when {@code seenAt} is an inter-switch port: then only new addresses
     *             of a known host are learnt
     */
    private void learn(long mac, int vlan, SwitchPort seenAt, boolean edge, int ipv4, long ipv6High, long ipv6Low,
            long now) {
        synchronized (lock) {
            // Checked again under the lock: a link published since the packet path looked must
            // not get a host attached at its port. Discovery publishes the snapshot before it
            // tells listeners, and our listener takes this lock, so either we see the link here
            // or the listener runs after us and drops what we learnt.
            if (edge && topology.current().isInterSwitchPort(seenAt)) {
                edge = false;
            }
            HostKey key = new HostKey(HostKey.of(mac, vlan));
            HostEntry entry = hosts.get(key);
            if (entry == null) {
                if (!edge || !roomForAnotherHost()) {
                    return;
                }
                entry = new HostEntry(key);
                entry.ipv4s = ipv4 == 0 ? new int[0] : new int[] {ipv4};
                entry.ipv6s = (ipv6High | ipv6Low) == 0 ? new long[0] : new long[] {ipv6High, ipv6Low};
                Instant seen = instantOf(now);
                Host host = new Host(MacAddress.of(mac), VlanVid.ofVlan(vlan), seenAt, ipv4Set(entry.ipv4s),
                        ipv6Set(entry.ipv6s), seen, seen);
                install(entry, host, now);
                hosts.put(key, entry);
                log.debug("host {} added at {}", host.mac(), seenAt);
                listeners.fire("hostAdded", l -> l.hostAdded(host));
                return;
            }
            entry.lastSeenNanos = now;
            Host before = view(entry);
            boolean here = before.location().equals(seenAt);
            if (edge && here) {
                entry.seenAtLocationNanos = now;
            }
            boolean moves = edge && !here && now - entry.seenAtLocationNanos >= MOVE_HOLD_NANOS;
            boolean newIpv4 = ipv4 != 0 && !entry.knowsIpv4(ipv4);
            boolean newIpv6 = (ipv6High | ipv6Low) != 0 && !entry.knowsIpv6(ipv6High, ipv6Low);
            if (!moves && !newIpv4 && !newIpv6) {
                return; // seen passing an inter-switch port, or a race with another thread that learnt it
            }
            if (newIpv4) {
                entry.ipv4s = withIpv4(entry, ipv4);
            }
            if (newIpv6) {
                entry.ipv6s = withIpv6(entry, ipv6High, ipv6Low);
            }
            Host after = new Host(before.mac(), before.vlan(), moves ? seenAt : before.location(),
                    newIpv4 ? ipv4Set(entry.ipv4s) : before.ipv4(), newIpv6 ? ipv6Set(entry.ipv6s) : before.ipv6(),
                    before.firstSeen(), instantOf(now));
            install(entry, after, now);
            if (moves) {
                log.debug("host {} moved from {} to {}", after.mac(), before.location(), seenAt);
                listeners.fire("hostMoved", l -> l.hostMoved(before, after));
            } else {
                listeners.fire("hostUpdated", l -> l.hostUpdated(before, after));
            }
        }
    }

    /** Under the lock: whether the table may take one more host. */
    private boolean roomForAnotherHost() {
        if (hosts.size() < maxHosts) {
            tableWasFull = false;
            return true;
        }
        refusedHosts.increment();
        if (!tableWasFull) {
            tableWasFull = true;
            log.warn("hosts: table full ({} hosts); new hosts are not learnt until others expire", maxHosts);
        }
        return false;
    }

    /** Hosts not learnt because the table was full, since start. */
    long refusedHosts() {
        return refusedHosts.sum();
    }

    /** Under the lock: the entry's IPv4 addresses with {@code address} added, the oldest dropped (and unindexed) when full. */
    private int[] withIpv4(HostEntry entry, int address) {
        int[] known = entry.ipv4s;
        int keep = Math.min(known.length, MAX_ADDRESSES_PER_FAMILY - 1);
        int[] result = new int[keep + 1];
        for (int i = 0; i < known.length - keep; i++) {
            byIpv4.remove(IPv4Address.of(known[i]), entry);
        }
        System.arraycopy(known, known.length - keep, result, 0, keep);
        result[keep] = address;
        return result;
    }

    /** Under the lock: as {@link #withIpv4} for IPv6. */
    private long[] withIpv6(HostEntry entry, long high, long low) {
        long[] known = entry.ipv6s;
        int count = known.length / 2;
        int keep = Math.min(count, MAX_ADDRESSES_PER_FAMILY - 1);
        long[] result = new long[(keep + 1) * 2];
        for (int i = 0; i < count - keep; i++) {
            byIpv6.remove(IPv6Address.of(known[2 * i], known[2 * i + 1]), entry);
        }
        System.arraycopy(known, (count - keep) * 2, result, 0, keep * 2);
        result[keep * 2] = high;
        result[keep * 2 + 1] = low;
        return result;
    }

    private static Set<IPv4Address> ipv4Set(int[] addresses) {
        Set<IPv4Address> set = new HashSet<>();
        for (int address : addresses) {
            set.add(IPv4Address.of(address));
        }
        return set;
    }

    private static Set<IPv6Address> ipv6Set(long[] addresses) {
        Set<IPv6Address> set = new HashSet<>();
        for (int i = 0; i < addresses.length; i += 2) {
            set.add(IPv6Address.of(addresses[i], addresses[i + 1]));
        }
        return set;
    }

    /**
     * Under the lock: makes {@code host} the entry's description and indexes its addresses
     * (at most {@link #MAX_ADDRESSES_PER_FAMILY} of each family, already in the entry's arrays).
     */
    private void install(HostEntry entry, Host host, long now) {
        entry.host = host;
        entry.dpid = host.location().dpid().getLong();
        entry.port = host.location().port().getPortNumber();
        entry.edgeCheckedIn = null;
        entry.lastSeenNanos = now;
        entry.seenAtLocationNanos = now;
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
        int removed = 0;
        synchronized (lock) {
            for (HostEntry entry : hosts.values()) {
                if (which.test(entry) && removeUnderLock(entry)) {
                    removed++;
                }
            }
        }
        if (removed > 0) {
            log.debug("hosts {}: {}", why, removed);
        }
    }

    private void remove(HostEntry entry, String why) {
        boolean removed;
        synchronized (lock) {
            removed = removeUnderLock(entry);
        }
        if (removed) {
            log.debug("host {} removed: {}", entry.host.mac(), why);
        }
    }

    /** Under the lock: drops the entry and its index entries, found by its own addresses (no index scan). */
    private boolean removeUnderLock(HostEntry entry) {
        if (!hosts.remove(entry.key, entry)) {
            return false;
        }
        // Conditional removes: an address another host claimed since stays that host's.
        int[] v4 = entry.ipv4s;
        for (int address : v4) {
            byIpv4.remove(IPv4Address.of(address), entry);
        }
        long[] v6 = entry.ipv6s;
        for (int i = 0; i < v6.length; i += 2) {
            byIpv6.remove(IPv6Address.of(v6[i], v6[i + 1]), entry);
        }
        Host host = view(entry);
        listeners.fire("hostRemoved", l -> l.hostRemoved(host));
        return true;
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
        return listeners.add(listener);
    }

    private static long u64(byte[] bytes, int at) {
        return ((long) EthernetFrames.u32(bytes, at) << 32) | (EthernetFrames.u32(bytes, at + 4) & 0xFFFF_FFFFL);
    }
}
