package dev.switchboard.apps.forwarding;

import dev.switchboard.controller.NotMasterException;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchService;
import dev.switchboard.controller.app.AppCookies;
import dev.switchboard.controller.app.AppFlows;
import dev.switchboard.controller.openflow.OpenFlowMessages;
import dev.switchboard.controller.openflow.OpenFlowMessages.FlowSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.VlanVid;

/**
 * The installed routes and their flows. Called from several switches' event loops, the
 * discovery timer and the host tracker, so the tables are concurrent and a route is an
 * immutable value replaced as a whole; nothing here blocks: barrier replies complete futures
 * whose callbacks release packets.
 */
final class RouteInstaller {
    private final SwitchService switches;
    private final AppFlows flows;
    private final int priority;
    private final int idleTimeout;
    private final int hardTimeout;
    private final Map<RouteKey, Route> byKey = new ConcurrentHashMap<>();
    private final Map<Long, Route> byTag = new ConcurrentHashMap<>();
    /** Bits of a 40-bit tag that count routes within a run; the 16 above them are the run's epoch. */
    static final int SEQUENCE_BITS = 24;
    static final int EPOCHS = 1 << 16;
    /**
     * The last tag given: this run's epoch in the high 16 bits, a count in the low 24. Flows kept
     * from an earlier run carry that run's epoch, so a new route's tag never equals theirs, even
     * when it is made before the switch holding them was reconciled (their FLOW_REMOVED would
     * otherwise end the new route, and a delete by its cookie would hit them too). Past 16.7
     * million routes the count carries into the next epoch.
     */
    private final AtomicLong lastTag;
    /** Epochs of kept flows: this run never issues tags in them. */
    private final java.util.Set<Long> keptEpochs = ConcurrentHashMap.newKeySet();
    private final java.util.function.LongSupplier epochs;
    private final LongAdder failedInstalls = new LongAdder();

    RouteInstaller(SwitchService switches, AppFlows flows, int priority, int idleTimeoutSeconds, int hardTimeoutSeconds) {
        this(switches, flows, priority, idleTimeoutSeconds, hardTimeoutSeconds,
                () -> java.util.concurrent.ThreadLocalRandom.current().nextLong(1, EPOCHS));
    }

    /** @param epochs picks a run's epoch (1..65535; 0 is the tags of runs before epochs), again on a clash */
    RouteInstaller(SwitchService switches, AppFlows flows, int priority, int idleTimeoutSeconds, int hardTimeoutSeconds,
            java.util.function.LongSupplier epochs) {
        this.epochs = epochs;
        this.lastTag = new AtomicLong(epochs.getAsLong() << SEQUENCE_BITS);
        this.switches = switches;
        this.flows = flows;
        this.priority = priority;
        this.idleTimeout = idleTimeoutSeconds;
        this.hardTimeout = hardTimeoutSeconds;
    }

    int priority() {
        return priority;
    }

    long nextTag() {
        return lastTag.incrementAndGet() & AppCookies.TAG_MASK;
    }

    static long epoch(long tag) {
        return (tag & AppCookies.TAG_MASK) >>> SEQUENCE_BITS;
    }

    /**
     * Notes {@code tag}, one an earlier run used for flows still on a switch: a new route must
     * never share a cookie with them. Should this run's epoch be theirs (a 1 in 65535 draw), the
     * next tags move to a fresh epoch; tags given before are in a range the earlier run may not
     * have reached, the rest of the clash is left to chance.
     */
    void tagSeen(long tag) {
        long epoch = epoch(tag);
        keptEpochs.add(epoch);
        while (keptEpochs.contains(epoch(lastTag.get()))) {
            long current = lastTag.get();
            long fresh = epochs.getAsLong() & (EPOCHS - 1);
            while (fresh == 0 || keptEpochs.contains(fresh)) {
                fresh = (fresh + 1) & (EPOCHS - 1);
            }
            lastTag.compareAndSet(current, fresh << SEQUENCE_BITS);
        }
    }

    Optional<Route> route(RouteKey key) {
        return Optional.ofNullable(byKey.get(key));
    }

    List<Route> routes() {
        return List.copyOf(byKey.values());
    }

    long failedInstalls() {
        return failedInstalls.sum();
    }

    /**
     * Installs {@code route} in place of any older route of its key, destination switch first,
     * and completes when every switch on it answered a barrier: then its flows are all in place.
     * Fails when a switch on it is gone or does not answer; the route is then forgotten.
     */
    CompletableFuture<Void> install(Route route) {
        Route previous = byKey.put(route.key(), route);
        byTag.put(route.tag(), route);
        if (previous != null) {
            byTag.remove(previous.tag());
            if (!previous.runsAlong(route)) {
                // Sent before the new flows: a 1.0 strict delete of an identical match must not hit them.
                deleteFlows(previous);
            }
        }
        List<CompletableFuture<?>> barriers = new ArrayList<>();
        Hop ingress = route.hops().get(0);
        for (Hop hop : route.installOrder()) {
            Optional<OFSwitch> sw = switches.getSwitch(hop.dpid());
            if (sw.isEmpty() && hop == ingress) {
                remove(route);
                failedInstalls.increment();
                return CompletableFuture.failedFuture(new IllegalStateException("switch " + hop.dpid() + " is gone"));
            }
            if (sw.isEmpty() || !writeHop(sw.get(), route, hop)) {
                // Not served here. In a cluster the topology shows every member's switches and
                // this one is another member's: when the frame reaches it, its master gets the
                // packet-in and installs its own part of the way (hop by hop, member by member).
                // Alone, the switch has just gone: the topology's change removes the route.
                continue;
            }
            barriers.add(sw.get().barrier());
        }
        return CompletableFuture.allOf(barriers.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> {
            if (failure != null) {
                failedInstalls.increment();
                if (byKey.remove(route.key(), route)) {
                    byTag.remove(route.tag());
                }
            }
        });
    }

    /** Writes the hop's flow; false when the switch no longer takes writes from this instance (demoted in a cluster). */
    private boolean writeHop(OFSwitch sw, Route route, Hop hop) {
        OFFactory f = sw.factory();
        try {
            sw.write(OpenFlowMessages.flowAdd(f, spec(f, route, hop), OpenFlowMessages.outputs(f, List.of(hop.outPort())),
                    OFBufferId.NO_BUFFER));
            return true;
        } catch (NotMasterException demoted) {
            return false;
        }
    }

    /** Forgets the route and deletes its flows from the switches still connected. */
    boolean remove(Route route) {
        if (!forget(route)) {
            return false;
        }
        deleteFlows(route);
        return true;
    }

    /** Removes every route {@code which} selects, with its flows. */
    List<Route> removeIf(Predicate<Route> which) {
        List<Route> removed = new ArrayList<>();
        for (Route route : byKey.values()) {
            if (which.test(route) && remove(route)) {
                removed.add(route);
            }
        }
        return removed;
    }

    /** A flow of the route expired on its ingress switch: the route is gone, the rest of it expires too. */
    void expired(long tag, org.projectfloodlight.openflow.types.DatapathId at) {
        Route route = byTag.get(tag);
        if (route != null && route.hops().get(0).dpid().equals(at)) {
            forget(route);
        }
    }

    private boolean forget(Route route) {
        if (byKey.remove(route.key(), route)) {
            byTag.remove(route.tag());
            return true;
        }
        byTag.remove(route.tag(), route);
        return false;
    }

    private void deleteFlows(Route route) {
        for (Hop hop : route.hops()) {
            // Only the switches served here: another member's hops are its own to delete (they idle out).
            switches.getSwitch(hop.dpid()).filter(OFSwitch::isConnected).ifPresent(sw -> {
                OFFactory f = sw.factory();
                try {
                    sw.write(OpenFlowMessages.flowDelete(f, flows.cookie(route.tag()), match(f, route.key(), hop), priority));
                } catch (NotMasterException demoted) {
                    // demoted meanwhile: the switch's new master reconciles its flows
                }
            });
        }
    }

    private FlowSpec spec(OFFactory f, Route route, Hop hop) {
        boolean ingress = hop == route.hops().get(0);
        // Only the ingress flow reports its expiry: that is when the route is over.
        return new FlowSpec(flows.cookie(route.tag()), priority, idleTimeout, hardTimeout, match(f, route.key(), hop), ingress);
    }

    /** As l2-learning: the VLAN is always matched, untagged included, so VLANs never leak into each other. */
    static Match match(OFFactory f, RouteKey key, Hop hop) {
        VlanVid vlan = key.vlan();
        return f.buildMatch()
                .setExact(MatchField.IN_PORT, hop.inPort())
                .setExact(MatchField.ETH_SRC, key.src())
                .setExact(MatchField.ETH_DST, key.dst())
                .setExact(MatchField.VLAN_VID, vlan.equals(VlanVid.ZERO) ? OFVlanVidMatch.UNTAGGED : OFVlanVidMatch.ofVlanVid(vlan))
                .build();
    }
}
