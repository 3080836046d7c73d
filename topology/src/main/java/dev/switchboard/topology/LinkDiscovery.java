package dev.switchboard.topology;

import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.PacketInProcessor;
import dev.switchboard.controller.PeerText;
import dev.switchboard.controller.Registration;
import dev.switchboard.controller.SwitchListener;
import dev.switchboard.controller.SwitchService;
import dev.switchboard.controller.openflow.OpenFlowMessages;
import dev.switchboard.controller.packet.EthernetFrames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LLDP/BDDP link discovery: the model of switches, enabled ports and quarantines, and the
 * events that change it. The links seen are {@link LinkRecords}', sending probes is
 * {@link ProbeSender}'s, publishing snapshots {@link TopologyPublisher}'s.
 *
 * <p>Threads: one writer. Every change of the model runs on the app's timer (a single thread,
 * {@link #writer}), which also makes and publishes the snapshots and tells the listeners, in
 * order. Switch and port events and new probes arrive on the switches' event loops, which only
 * hand the change to the writer and return: no event loop waits on a lock here. A probe
 * confirming a link already known is handled on the event loop itself: it moves the link's
 * last-seen time forward with a compare-and-set, which fails (and hands the probe to the
 * writer) only when expiry or a port going down retired the link in between.
 */
final class LinkDiscovery implements TopologyService, SwitchListener, PacketInProcessor {
    private static final Logger log = LoggerFactory.getLogger(LinkDiscovery.class);

    private final SwitchService switchService;
    private final TopologyConfig config;
    private final ProbeAuthenticator authenticator;
    /** The single thread that changes the model; also runs the periodic tasks. */
    private final ScheduledExecutorService writer;
    private final ProbeSender probes;
    private final TopologyPublisher publisher = new TopologyPublisher();

    // Confined to the writer.
    private final Map<DatapathId, OFSwitch> knownSwitches = new HashMap<>();
    private final Map<DatapathId, Set<OFPort>> enabledPorts = new HashMap<>();
    private final Map<SwitchPort, Long> quarantineEnds = new HashMap<>();
    /** The quarantined ports whose link expired: their quarantine ends early when a link is back. */
    private final Set<SwitchPort> quarantinedByExpiry = new HashSet<>();

    /** Confirmed on the packet path; added and removed by the writer only. */
    private final LinkRecords links = new LinkRecords();

    /** In a cluster, where this member shares its part of the topology and hears the others'; null alone. */
    private final ClusterExchange exchange;
    // Confined to the writer: the other members' parts as last heard, and this member's part as last handed out.
    private Map<String, TopologyPart> remoteParts = Map.of();
    private TopologyPart sharedPart;

    /**
     * @param timer runs one task at a time (the app's scheduler): it is discovery's writer
     */
    LinkDiscovery(SwitchService switchService, TopologyConfig config, ProbeAuthenticator authenticator,
            ScheduledExecutorService timer) {
        this(switchService, config, authenticator, timer, null);
    }

    /**
     * @param exchange in a cluster, where this member shares its part of the topology and hears
     *                 the others'; null alone
     */
    LinkDiscovery(SwitchService switchService, TopologyConfig config, ProbeAuthenticator authenticator,
            ScheduledExecutorService timer, ClusterExchange exchange) {
        this.exchange = exchange;
        this.switchService = switchService;
        this.config = config;
        this.authenticator = authenticator;
        this.writer = timer;
        this.probes = new ProbeSender(config.bddp(), authenticator);
    }

    /** Runs {@code change} on the writer; from an event loop this only enqueues. */
    private void onWriter(Runnable change) {
        try {
            writer.execute(() -> {
                try {
                    change.run();
                } catch (RuntimeException e) {
                    log.warn("topology: a change failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("topology: stopped, change dropped");
        }
    }

    /**
     * In a cluster: hears the other members' parts (on the exchange's thread, handed to the
     * writer, so a remote change is published and told like a local one).
     */
    Registration watchCluster() {
        return exchange.watch(TopologyPart.KIND, parts -> onWriter(() -> remoteChanged(parts)));
    }

    private void remoteChanged(Map<String, byte[]> parts) {
        Map<String, TopologyPart> decoded = new HashMap<>();
        parts.forEach((member, bytes) -> {
            try {
                decoded.put(member, TopologyPart.decode(bytes));
            } catch (IllegalArgumentException e) {
                log.warn("topology: member {}'s part ignored: {}", PeerText.escape(member), e.getMessage());
            }
        });
        // A switch another member reported and no member reports now went away (or to a member
        // that has not reported yet): the links from it that this member found go at once, as
        // for a local switch, rather than at their timeout.
        Set<DatapathId> gone = new HashSet<>();
        remoteParts.values().forEach(part -> gone.addAll(part.switches()));
        decoded.values().forEach(part -> gone.removeAll(part.switches()));
        gone.removeAll(knownSwitches.keySet());
        if (!gone.isEmpty()) {
            links.retire(ends -> gone.contains(ends.src().dpid()));
        }
        remoteParts = Map.copyOf(decoded);
        publish();
    }

    /** Adds the switches already connected and starts the periodic tasks. */
    void start() {
        for (OFSwitch sw : switchService.switches()) {
            switchAdded(sw);
        }
        long probeNanos = config.probeInterval().toNanos();
        writer.scheduleAtFixedRate(this::probeAllSafely, probeNanos, probeNanos, TimeUnit.NANOSECONDS);
        long expiryNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(probeNanos, config.linkTimeout().toNanos() / 3));
        writer.scheduleAtFixedRate(this::expireSafely, expiryNanos, expiryNanos, TimeUnit.NANOSECONDS);
    }

    // ---- TopologyService

    @Override
    public Topology current() {
        return publisher.current();
    }

    @Override
    public Registration addListener(TopologyListener listener) {
        return publisher.addListener(listener);
    }

    // ---- packet path

    @Override
    public Disposition process(OFSwitch sw, OFPacketIn packetIn) {
        byte[] frame = packetIn.getData();
        if (!EthernetFrames.isEthernet(frame)) {
            return Disposition.CONTINUE;
        }
        int type = EthernetFrames.etherType(frame);
        if (type != EthernetFrames.TYPE_LLDP && type != EthernetFrames.TYPE_BDDP) {
            return Disposition.CONTINUE;
        }
        // Probes are consumed whoever sent them: flooding one would make links appear
        // between ports that are not wired together.
        ProbeFrames.Origin origin = ProbeFrames.parse(frame, authenticator);
        OFPort inPort = OpenFlowMessages.inPort(packetIn);
        if (origin != null && inPort != null) {
            probeReceived(origin, new SwitchPort(sw.id(), inPort), sw, type == EthernetFrames.TYPE_BDDP);
        }
        return Disposition.STOP;
    }

    private void probeReceived(ProbeFrames.Origin origin, SwitchPort dst, OFSwitch receiver, boolean bddp) {
        SwitchPort src = new SwitchPort(DatapathId.of(origin.dpid()), OFPort.of(origin.port()));
        if (src.equals(dst)) {
            return; // reflected back where it left: not a link
        }
        long now = System.nanoTime();
        LinkRecords.Ends ends = new LinkRecords.Ends(src, dst);
        if (links.confirm(ends, bddp, now)) {
            return;
        }
        onWriter(() -> {
            if (knownSwitches.get(dst.dpid()) != receiver || !maySend(src) || !isEnabled(dst)) {
                return; // a probe in flight from a port or switch that has since gone
            }
            links.see(ends, bddp, now);
            // The link is back: its ends are inter-switch ports again and the spanning tree,
            // not the quarantine, decides whether broadcasts use them.
            liftExpiryQuarantine(src);
            liftExpiryQuarantine(dst);
            publish();
        });
    }

    // ---- switch and port events (told on the switches' event loops, handled on the writer)

    @Override
    public void switchAdded(OFSwitch sw) {
        onWriter(() -> addSwitch(sw));
    }

    private void addSwitch(OFSwitch sw) {
        List<OFPortDesc> toProbe = new ArrayList<>();
        if (knownSwitches.get(sw.id()) == sw) {
            return; // seen at start and then told by the listener
        }
        forgetSwitch(sw.id());
        knownSwitches.put(sw.id(), sw);
        Set<OFPort> enabled = new HashSet<>();
        for (OFPortDesc port : sw.ports().values()) {
            if (isUsable(port)) {
                enabled.add(port.getPortNo());
                quarantine(new SwitchPort(sw.id(), port.getPortNo()));
                toProbe.add(port);
            }
        }
        enabledPorts.put(sw.id(), enabled);
        publish();
        log.info("topology: switch {} added with {} enabled ports", sw.id(), toProbe.size());
        probes.probe(sw, toProbe);
    }

    @Override
    public void switchRemoved(OFSwitch sw) {
        onWriter(() -> {
            if (knownSwitches.get(sw.id()) != sw) {
                return;
            }
            forgetSwitch(sw.id());
            publish();
            log.info("topology: switch {} removed", sw.id());
        });
    }

    @Override
    public void portAdded(OFSwitch sw, OFPortDesc port) {
        portState(sw, port, isUsable(port));
    }

    @Override
    public void portChanged(OFSwitch sw, OFPortDesc before, OFPortDesc after) {
        portState(sw, after, isUsable(after));
    }

    @Override
    public void portRemoved(OFSwitch sw, OFPortDesc port) {
        portState(sw, port, false);
    }

    private void portState(OFSwitch sw, OFPortDesc desc, boolean usable) {
        onWriter(() -> changePortState(sw, desc, usable));
    }

    private void changePortState(OFSwitch sw, OFPortDesc desc, boolean usable) {
        SwitchPort at = new SwitchPort(sw.id(), desc.getPortNo());
        boolean cameUp;
        Set<OFPort> enabled = enabledPorts.get(sw.id());
        if (knownSwitches.get(sw.id()) != sw || enabled == null) {
            return;
        }
        boolean wasUsable = enabled.contains(at.port());
        cameUp = usable && !wasUsable;
        if (cameUp) {
            enabled.add(at.port());
            quarantine(at);
        } else if (!usable && wasUsable) {
            enabled.remove(at.port());
            quarantineEnds.remove(at);
            quarantinedByExpiry.remove(at);
            probes.forget(at);
            removeLinksAt(at);
        } else {
            return; // no change the topology shows; a changed address is seen by the probe cache
        }
        publish();
        if (cameUp) {
            probes.probe(sw, List.of(desc));
        }
    }

    /** Not LOCAL or another reserved port, administratively up, with a link. */
    static boolean isUsable(OFPortDesc port) {
        OFPort number = port.getPortNo();
        return !number.equals(OFPort.LOCAL)
                && Integer.compareUnsigned(number.getPortNumber(), OFPort.MAX.getPortNumber()) <= 0
                && !port.getConfig().contains(OFPortConfig.PORT_DOWN)
                && !port.getState().contains(OFPortState.LINK_DOWN);
    }

    // ---- on the writer

    private boolean isEnabled(SwitchPort port) {
        Set<OFPort> enabled = enabledPorts.get(port.dpid());
        return enabled != null && enabled.contains(port.port());
    }

    /**
     * Whether a probe from {@code src} may make a link: its port is enabled here or, in a
     * cluster, its switch is another member's (that member sent the probe, the shared key proves
     * it; its part says which ports are enabled, and it may not have arrived yet).
     */
    private boolean maySend(SwitchPort src) {
        return isEnabled(src) || exchange != null && !knownSwitches.containsKey(src.dpid());
    }

    private void forgetSwitch(DatapathId dpid) {
        knownSwitches.remove(dpid);
        enabledPorts.remove(dpid);
        quarantineEnds.keySet().removeIf(port -> port.dpid().equals(dpid));
        quarantinedByExpiry.removeIf(port -> port.dpid().equals(dpid));
        probes.forget(dpid);
        links.retire(ends -> ends.src().dpid().equals(dpid) || ends.dst().dpid().equals(dpid));
    }

    private void removeLinksAt(SwitchPort port) {
        links.retire(ends -> ends.touches(port));
    }

    private void quarantine(SwitchPort port) {
        if (config.quarantine().isZero()) {
            return;
        }
        quarantineEnds.put(port, System.nanoTime() + config.quarantine().toNanos());
        writer.schedule(this::endQuarantinesSafely, config.quarantine().toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Keeps an end of an expired link out of floods. The link went silent but the port stayed
     * up, so the cable may well still be there (probes lost, a switch too busy to answer): as
     * an edge port at once it would flood broadcasts around the loop the link closed. It stays
     * out for at least a link timeout, in which the probes sent now would have brought the
     * link back; it comes back sooner when they do.
     */
    private void quarantineAfterExpiry(SwitchPort port, long now) {
        long nanos = Math.max(config.linkTimeout().toNanos(), config.quarantine().toNanos());
        quarantineEnds.merge(port, now + nanos, (a, b) -> b - a > 0 ? b : a);
        quarantinedByExpiry.add(port);
        writer.schedule(this::endQuarantinesSafely, nanos, TimeUnit.NANOSECONDS);
    }

    private void liftExpiryQuarantine(SwitchPort port) {
        if (quarantinedByExpiry.remove(port)) {
            quarantineEnds.remove(port);
        }
    }

    /** Publishes the snapshot of the current model, if the network differs, and tells listeners. */
    private void publish() {
        if (exchange == null) {
            publisher.publish(new TopologySnapshot(publisher.nextVersion(), knownSwitches.keySet(), enabledPorts,
                    quarantineEnds.keySet(), links.effectiveLinks()));
            return;
        }
        TopologyPart local = new TopologyPart(enabledPorts, quarantineEnds.keySet(), links.effectiveLinks());
        if (!local.equals(sharedPart)) {
            sharedPart = local;
            try {
                exchange.publish(TopologyPart.KIND, local.encode());
            } catch (IllegalArgumentException tooLarge) {
                // still served here; the other members keep this member's last part
                log.warn("topology: this member's part is not shared: {}", tooLarge.getMessage());
            }
        }
        List<TopologyPart> all = new ArrayList<>(remoteParts.values());
        all.add(local);
        publisher.publish(TopologyPart.union(all).snapshot(publisher.nextVersion()));
    }

    // ---- timer tasks

    private void expireSafely() {
        try {
            expire(System.nanoTime());
        } catch (RuntimeException e) {
            log.warn("topology: link expiry failed", e);
        }
    }

    void expire(long now) {
        long timeout = config.linkTimeout().toNanos();
        List<SwitchPort> toProbe = new ArrayList<>();
        LinkRecords.Expired expired = links.expire(now, timeout);
        for (LinkRecords.Ends ends : expired.gone()) {
            for (SwitchPort end : List.of(ends.src(), ends.dst())) {
                // Ports that went down lost their links at once (not here); a port with
                // another link left is still an inter-switch port and stays on the tree.
                if (isEnabled(end) && !links.hasLinkAt(end) && !quarantinedByExpiry.contains(end)) {
                    quarantineAfterExpiry(end, now);
                    toProbe.add(end);
                }
            }
        }
        if (expired.changed()) {
            publish();
        }
        probeAgain(toProbe);
    }

    /** Probes these ports now, so a link that is still there comes back (and its quarantine ends) soon. */
    private void probeAgain(List<SwitchPort> ports) {
        for (SwitchPort port : ports) {
            switchService.getSwitch(port.dpid()).ifPresent(sw -> {
                OFPortDesc desc = sw.ports().get(port.port());
                if (desc != null) {
                    probes.probe(sw, List.of(desc));
                }
            });
        }
    }

    private void endQuarantinesSafely() {
        try {
            long now = System.nanoTime();
            if (quarantineEnds.values().removeIf(end -> end - now <= 0)) {
                quarantinedByExpiry.retainAll(quarantineEnds.keySet());
                publish();
            }
        } catch (RuntimeException e) {
            log.warn("topology: ending port quarantine failed", e);
        }
    }

    private void probeAllSafely() {
        try {
            for (OFSwitch sw : switchService.switches()) {
                Set<OFPort> enabled = publisher.current().enabledPortsOf(sw.id());
                List<OFPortDesc> ports = new ArrayList<>(enabled.size());
                for (OFPort port : enabled) {
                    OFPortDesc desc = sw.ports().get(port);
                    if (desc != null) {
                        ports.add(desc);
                    }
                }
                probes.probe(sw, ports); // a switch demoted since the listing is left to its new master
            }
        } catch (RuntimeException e) {
            log.warn("topology: probing failed", e);
        }
    }
}
