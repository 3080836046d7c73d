package dev.switchboard.hosts;

import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.PacketInProcessor;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.TopologyEvent;
import dev.switchboard.topology.TopologyListener;
import dev.switchboard.topology.TopologyService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
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
 * The host service: owns the published {@link HostTable} and makes every change to it.
 * Learning from packets is {@link HostLearning}'s, telling listeners {@link HostEvents}'.
 *
 * <p>Threads: packets arrive on the switches' event loops, expiry on the app's timer, switch
 * and topology events on event loops or discovery's writer. No lock is taken anywhere: a
 * change reads the current table, makes the next one (copy-on-write, see {@link ShardedMap})
 * and publishes it with a compare-and-set, retrying on a race; only then, outside the update,
 * are the listeners told. Reads ({@link HostService}) are one volatile read of the table.
 *
 * <p>Bounds: any host can send from as many addresses (and any sender from as many MACs) as it
 * likes, so a host keeps at most {@link #MAX_ADDRESSES_PER_FAMILY} addresses of each family
 * (the oldest goes first) and the table at most {@code maxHosts} hosts (beyond that new hosts
 * are not learnt). That keeps the address checks on the packet path to a few comparisons and
 * every copy small.
 */
final class HostTracker implements HostService, PacketInProcessor, SwitchListener, TopologyListener {
    private static final Logger log = LoggerFactory.getLogger(HostTracker.class);

    /** Addresses kept per host and family; the oldest is dropped for a new one beyond this. */
    static final int MAX_ADDRESSES_PER_FAMILY = HostTable.MAX_ADDRESSES_PER_FAMILY;

    /**
     * A host seen at its attachment this recently does not move on a packet from elsewhere.
     * While the topology is still being discovered (a controller start, a switch that
     * reconnects late), a port whose link is not known yet looks like an edge port, and the
     * copies of a host's broadcast that the controller itself floods arrive there milliseconds
     * after the original: without the hold, such a copy "moves" the host onto the link and its
     * flows are deleted everywhere (seen as a 1-3 s outage in ControllerRestartIT). A host that
     * really moves has stopped sending from the old port, so its move waits at most this long.
     */
    static final long MOVE_HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final TopologyService topology;
    private final long expiryNanos;
    private final int maxHosts;
    /** Hosts not learnt because the table was full; logged on the first of each run of refusals. */
    private final LongAdder refusedHosts = new LongAdder();
    private volatile boolean tableWasFull;
    private final AtomicReference<HostTable> table = new AtomicReference<>(HostTable.EMPTY);
    private final HostEvents events = new HostEvents();
    private final HostLearning learning;
    /**
     * In a cluster, the hosts the other members learned; read after the local table, which wins
     * for a host both know (it is here now). Written only by the hosts timer ({@link #remoteChanged}).
     */
    private volatile RemoteHosts remote = RemoteHosts.EMPTY;
    /** The part last handed to the cluster exchange; the hosts timer's own. */
    private byte[] sharedPart;
    private long sharedVersion = -1;
    private boolean partWasCapped;
    /** Wall-clock time of {@link #anchorNanos}: lastSeen is kept in nanoTime and shown as an Instant. */
    private final Instant anchor = Instant.now();
    private final long anchorNanos = System.nanoTime();

    HostTracker(TopologyService topology, HostsConfig config) {
        this.topology = topology;
        this.expiryNanos = config.expiry().toNanos();
        this.maxHosts = config.maxHosts();
        this.learning = new HostLearning(this, topology);
    }

    /** The published table. */
    HostTable table() {
        return table.get();
    }

    // ---- packet path

    @Override
    public Disposition process(OFSwitch sw, OFPacketIn packetIn) {
        return learning.process(sw, packetIn);
    }

    /**
     * Adds, moves or updates a host, publishing a new table.
     *
     * @param edge false when {@code seenAt} is an inter-switch port: then only new addresses
     *             of a known host are learnt
     */
    void learn(long mac, int vlan, SwitchPort seenAt, boolean edge, int ipv4, long ipv6High, long ipv6Low,
            long now) {
        HostKey key = new HostKey(HostKey.of(mac, vlan));
        while (true) {
            HostTable before = table.get();
            // Checked again here: a link published since the packet path looked must not get a
            // host attached at its port. Discovery publishes its snapshot before it tells
            // listeners, and the check after publishing below closes the rest of the race.
            boolean atEdge = edge && !topology.current().isInterSwitchPort(seenAt);
            HostEntry entry = before.get(key);
            HostEntry after;
            Consumer<HostListener> event;
            boolean attachedHere;
            if (entry == null) {
                if (!atEdge || !roomForAnotherHost(before)) {
                    return;
                }
                int[] v4 = ipv4 == 0 ? new int[0] : new int[] {ipv4};
                long[] v6 = (ipv6High | ipv6Low) == 0 ? new long[0] : new long[] {ipv6High, ipv6Low};
                Instant seen = instantOf(now);
                Host host = new Host(MacAddress.of(mac), VlanVid.ofVlan(vlan), seenAt, ipv4Set(v4), ipv6Set(v6),
                        seen, seen);
                after = new HostEntry(key, host, v4, v6, now);
                event = shownInstead(remote.get(key.value), host);
                attachedHere = true;
            } else {
                entry.seen(now);
                Host was = view(entry);
                boolean here = was.location().equals(seenAt);
                if (atEdge && here) {
                    entry.seenAtLocation(now);
                }
                boolean moves = atEdge && !here && now - entry.seenAtLocationNanos >= MOVE_HOLD_NANOS;
                boolean newIpv4 = ipv4 != 0 && !entry.knowsIpv4(ipv4);
                boolean newIpv6 = (ipv6High | ipv6Low) != 0 && !entry.knowsIpv6(ipv6High, ipv6Low);
                if (!moves && !newIpv4 && !newIpv6) {
                    return; // seen passing an inter-switch port, or another thread learnt it first
                }
                int[] v4 = newIpv4 ? withIpv4(entry.ipv4s, ipv4) : entry.ipv4s;
                long[] v6 = newIpv6 ? withIpv6(entry.ipv6s, ipv6High, ipv6Low) : entry.ipv6s;
                Host host = new Host(was.mac(), was.vlan(), moves ? seenAt : was.location(),
                        newIpv4 ? ipv4Set(v4) : was.ipv4(), newIpv6 ? ipv6Set(v6) : was.ipv6(),
                        was.firstSeen(), instantOf(now));
                // A new address seen elsewhere leaves the hold as it was: only a packet at the
                // attachment renews it, and only a move starts a new one.
                after = new HostEntry(key, host, v4, v6, entry.lastSeenNanos,
                        moves ? now : entry.seenAtLocationNanos);
                event = moves ? l -> l.hostMoved(was, host) : l -> l.hostUpdated(was, host);
                attachedHere = moves;
            }
            HostTable next = before.replacing(entry, after);
            if (!table.compareAndSet(before, next)) {
                continue; // another change won: start again from the table it published
            }
            // handed in first: a version never handed in would hold every later event back
            events.published(next.version, List.of(event));
            if (entry != null) {
                carryOver(entry, after, !attachedHere);
            }
            if (entry == null) {
                log.debug("host {} added at {}", after.host.mac(), seenAt);
            } else if (attachedHere) {
                log.debug("host {} moved from {} to {}", after.host.mac(), entry.host.location(), seenAt);
            }
            // A link at seenAt published after our check above: its listener call may have run
            // before our table was published and missed the host. Either it sees the host or we
            // see the link here.
            if (attachedHere && topology.current().isInterSwitchPort(seenAt)) {
                remove(after, "at an inter-switch port");
            }
            return;
        }
    }

    /**
     * Marks the host of {@code entry} seen at {@code nanos}, and seen at its attachment if
     * {@code atLocation}, on the table's current entry for it. The packet path read
     * {@code entry} from the table without a lock; a change may have replaced it since and
     * copied its times before this write. So: write, then look again (both volatile). Either
     * the look finds the replacement, which then gets the write too, or the change had not
     * published yet, and its {@link #carryOver} after publishing sees the write.
     */
    void markSeen(HostEntry entry, long nanos, boolean atLocation) {
        HostEntry current = entry;
        boolean here = atLocation;
        while (true) {
            current.seen(nanos);
            if (here) {
                current.seenAtLocation(nanos);
            }
            HostEntry now = table.get().get(current.key);
            if (now == current || now == null) {
                return; // current, or removed (a host that is still there is learnt again by its next packet)
            }
            // moved meanwhile: a packet at the old attachment does not hold the new one
            here = here && now.isAt(current.dpid, current.port);
            current = now;
        }
    }

    /**
     * After {@code after} was published in place of {@code before}: what the packet path wrote
     * on {@code before} after this change copied its times (see {@link #markSeen}).
     */
    private static void carryOver(HostEntry before, HostEntry after, boolean sameAttachment) {
        after.seen(before.lastSeenNanos);
        if (sameAttachment) {
            after.seenAtLocation(before.seenAtLocationNanos);
        }
    }

    /**
     * What listeners hear when the service shows {@code after} for a host instead of
     * {@code before} (either null: not shown). In a cluster a host this member learns may have
     * been another member's until now (it moved here), and one it drops may still be another's.
     */
    private static Consumer<HostListener> shownInstead(Host before, Host after) {
        if (before == null) {
            return l -> l.hostAdded(after);
        }
        if (after == null) {
            return l -> l.hostRemoved(before);
        }
        if (!before.location().equals(after.location())) {
            return l -> l.hostMoved(before, after);
        }
        return l -> l.hostUpdated(before, after);
    }

    /** Whether {@code current} may take one more host. */
    private boolean roomForAnotherHost(HostTable current) {
        if (current.size() < maxHosts) {
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

    /** {@code known} with {@code address} added, the oldest dropped when full. */
    private static int[] withIpv4(int[] known, int address) {
        int keep = Math.min(known.length, MAX_ADDRESSES_PER_FAMILY - 1);
        int[] result = new int[keep + 1];
        System.arraycopy(known, known.length - keep, result, 0, keep);
        result[keep] = address;
        return result;
    }

    /** As {@link #withIpv4} for IPv6 (two longs an address). */
    private static long[] withIpv6(long[] known, long high, long low) {
        int count = known.length / 2;
        int keep = Math.min(count, MAX_ADDRESSES_PER_FAMILY - 1);
        long[] result = new long[(keep + 1) * 2];
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

    private Instant instantOf(long nanos) {
        return anchor.plusNanos(nanos - anchorNanos);
    }

    /** The entry's host with its latest last-seen time. */
    private Host view(HostEntry entry) {
        return entry.view(instantOf(entry.lastSeenNanos));
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

    /** Removes every host {@code which} accepts, as one new table. */
    private void removeWhere(Predicate<HostEntry> which, String why) {
        while (true) {
            HostTable before = table.get();
            List<HostEntry> gone = new ArrayList<>();
            before.forEach(entry -> {
                if (which.test(entry)) {
                    gone.add(entry);
                }
            });
            if (gone.isEmpty()) {
                return;
            }
            HostTable next = before;
            for (HostEntry entry : gone) {
                next = next.without(entry);
            }
            next = next.withVersion(before.version + 1);
            // built before publishing: once published, the version must be handed in, or every
            // later host event is held back
            List<Consumer<HostListener>> told = new ArrayList<>(gone.size());
            for (HostEntry entry : gone) {
                Host host = view(entry);
                told.add(shownInstead(host, remote.get(entry.key.value)));
            }
            if (table.compareAndSet(before, next)) {
                events.published(next.version, told);
                log.debug("hosts {}: {}", why, gone.size());
                return;
            }
        }
    }

    /** Removes {@code entry} if it is still the table's entry for its host. */
    void remove(HostEntry entry, String why) {
        while (true) {
            HostTable before = table.get();
            HostTable next = before.without(entry);
            if (next == before) {
                return;
            }
            Host host = view(entry); // before publishing, as above
            if (table.compareAndSet(before, next)) {
                events.published(next.version, List.of(shownInstead(host, remote.get(entry.key.value))));
                log.debug("host {} removed: {}", host.mac(), why);
                return;
            }
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
        HostTable current = table.get();
        RemoteHosts others = remote;
        List<Host> all = new ArrayList<>(current.size() + others.hosts().size());
        current.forEach(entry -> all.add(view(entry)));
        for (Host host : others.hosts()) {
            if (current.get(new HostKey(RemoteHosts.keyOf(host))) == null) {
                all.add(host);
            }
        }
        return List.copyOf(all);
    }

    @Override
    public Optional<Host> host(MacAddress mac, VlanVid vlan) {
        long key = HostKey.of(mac.getLong(), vlan.getVlan());
        HostEntry entry = table.get().get(new HostKey(key));
        return entry != null ? Optional.of(view(entry)) : Optional.ofNullable(remote.get(key));
    }

    @Override
    public Optional<Host> host(MacAddress mac) {
        Optional<Host> untagged = host(mac, VlanVid.ZERO);
        if (untagged.isPresent()) {
            return untagged;
        }
        List<HostEntry> tagged = new ArrayList<>();
        table.get().forEach(entry -> {
            if (entry.key.mac() == mac.getLong()) {
                tagged.add(entry);
            }
        });
        Optional<Host> local = tagged.stream().min(Comparator.comparingLong(entry -> entry.key.value)).map(this::view);
        if (local.isPresent()) {
            return local;
        }
        return remote.hosts().stream().filter(host -> host.mac().equals(mac))
                .min(Comparator.comparingLong(RemoteHosts::keyOf));
    }

    @Override
    public Optional<Host> hostWithIp(IPv4Address ip) {
        HostEntry entry = table.get().withIpv4(ip);
        return entry != null ? Optional.of(view(entry)) : Optional.ofNullable(remote.withIpv4(ip));
    }

    @Override
    public Optional<Host> hostWithIp(IPv6Address ip) {
        HostEntry entry = table.get().withIpv6(ip);
        return entry != null ? Optional.of(view(entry)) : Optional.ofNullable(remote.withIpv6(ip));
    }

    // ---- the cluster's hosts (on the hosts timer)

    /**
     * The other members' hosts changed: publishes them and tells the listeners what changed for
     * the hosts this member does not know itself, as one table version (so remote events are
     * ordered with the local ones like any other change).
     */
    void remoteChanged(RemoteHosts next) {
        RemoteHosts before = remote;
        remote = next;
        while (true) {
            HostTable current = table.get();
            List<Consumer<HostListener>> told = new ArrayList<>();
            before.byKey().forEach((key, was) -> {
                if (current.get(new HostKey(key)) != null) {
                    return;
                }
                Host now = next.get(key);
                if (now == null) {
                    told.add(l -> l.hostRemoved(was));
                } else if (!now.location().equals(was.location())) {
                    told.add(l -> l.hostMoved(was, now));
                } else if (!now.ipv4().equals(was.ipv4()) || !now.ipv6().equals(was.ipv6())) {
                    told.add(l -> l.hostUpdated(was, now));
                }
            });
            next.byKey().forEach((key, now) -> {
                if (before.get(key) == null && current.get(new HostKey(key)) == null) {
                    told.add(l -> l.hostAdded(now));
                }
            });
            if (told.isEmpty()) {
                return;
            }
            HostTable bumped = current.withVersion(current.version + 1);
            if (table.compareAndSet(current, bumped)) {
                events.published(bumped.version, told);
                return;
            }
        }
    }

    /**
     * This member's part: the hosts it learned, at most {@link HostsPart#MAX_HOSTS} (those first
     * seen earliest). Null when it is what was handed out last.
     */
    byte[] partIfChanged() {
        HostTable current = table.get();
        if (current.version == sharedVersion) {
            return null; // no change at all since the last look: nothing encoded
        }
        sharedVersion = current.version;
        List<Host> learnt = new ArrayList<>();
        current.forEach(entry -> learnt.add(entry.host));
        List<Host> local = learnt; // as learnt: the packet path's last-seen times change no part
        if (local.size() > HostsPart.MAX_HOSTS) {
            if (!partWasCapped) {
                log.warn("hosts: {} hosts learnt here, the cluster is told of the first {} only", local.size(),
                        HostsPart.MAX_HOSTS);
            }
            partWasCapped = true;
            local.sort(Comparator.comparing(Host::firstSeen).thenComparing(host -> host.mac().getLong()));
            local = local.subList(0, HostsPart.MAX_HOSTS);
        } else {
            partWasCapped = false;
        }
        local.sort(Comparator.comparing((Host host) -> host.mac().getLong()).thenComparing(host -> host.vlan().getVlan()));
        byte[] part = HostsPart.encode(local);
        if (java.util.Arrays.equals(part, sharedPart)) {
            return null;
        }
        sharedPart = part;
        return part;
    }

    @Override
    public Registration addListener(HostListener listener) {
        return events.add(listener);
    }
}
