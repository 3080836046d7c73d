package dev.switchboard.apps.routing;

import dev.switchboard.apps.common.FlowPriorities;

import dev.switchboard.controller.NotMasterException;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchService;
import dev.switchboard.controller.app.AppFlows;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * The flows that route one destination along a path, and their removal when the next hop
 * moves or goes or a link of the path fails.
 *
 * <p>At the ingress switch the flow matches IPv4 to the router MAC and this destination
 * (/32: a prefix-wide flow could shadow a longer prefix the table routes elsewhere),
 * decrements the TTL, rewrites both MACs and outputs towards the next hop; each later switch
 * of the path matches the next hop's MAC and the destination and outputs along the path.
 * The destination switch is written first and the ingress switch last, so no packet meets a
 * switch that does not know the flow yet.
 *
 * <p>Each flow's cookie carries its next hop's address as the app's tag, so one delete by
 * cookie clears a next hop on OpenFlow 1.1+. OpenFlow 1.0 has no cookie mask: there each
 * flow is remembered (match and priority) and deleted strictly. On 1.0 the TTL is decremented
 * with Nicira's {@code NXAST_DEC_TTL} (openflowj's {@code OFActionNiciraDecTtl}), which OVS
 * implements, so 1.0 switches get flows as well.
 *
 * <p>Threads: installs run on the switches' event loops, removals on event loops or listener
 * threads. The bookkeeping takes no lock: each next hop's record is an immutable value,
 * replaced with compare-and-set in a concurrent map (installs are rare next to packets, one
 * per new destination and ingress switch, so copying a record is cheap).
 */
final class RouteFlows {
    /** Ingress flows: above forwarding's MAC flows, which would otherwise see the router MAC. */
    static final int INGRESS_PRIORITY = FlowPriorities.ROUTING + 100;
    /** Transit flows: above forwarding's flows for the next hop's MAC, so the path is ours. */
    static final int TRANSIT_PRIORITY = FlowPriorities.ROUTING;
    /** Past this many remembered 1.0 flows per next hop, the rest are left to idle out. */
    static final int MAX_REMEMBERED_FLOWS = 4_096;

    /** A flow as needed to delete it strictly. */
    record InstalledFlow(DatapathId dpid, Match match, int priority) {
    }

    /**
     * What was installed for one next hop; immutable, replaced as a whole. {@code generation}
     * stays the same across the copies made by installs and is new when a removal dropped the
     * record and an install starts a new one, so an install can tell whether its flows are
     * still the ones recorded.
     */
    private record NextHopFlows(Object generation, MacAddress mac, Set<Link> links, Set<DatapathId> switches,
            Set<InstalledFlow> flows) {

        static NextHopFlows first(MacAddress mac) {
            return new NextHopFlows(new Object(), mac, Set.of(), Set.of(), Set.of());
        }

        NextHopFlows with(List<Link> path, List<InstalledFlow> toWrite) {
            Set<Link> allLinks = new HashSet<>(links);
            allLinks.addAll(path);
            Set<DatapathId> allSwitches = new HashSet<>(switches);
            Set<InstalledFlow> allFlows = new LinkedHashSet<>(flows);
            for (InstalledFlow flow : toWrite) {
                allSwitches.add(flow.dpid());
                if (allFlows.size() < MAX_REMEMBERED_FLOWS) {
                    allFlows.add(flow);
                }
            }
            return new NextHopFlows(generation, mac, Set.copyOf(allLinks), Set.copyOf(allSwitches),
                    Collections.unmodifiableSet(allFlows));
        }
    }

    private final SwitchService switchService;
    private final AppFlows appFlows;
    private final MacAddress routerMac;
    private final int idleTimeoutSeconds;
    private final ConcurrentMap<IPv4Address, NextHopFlows> installed = new ConcurrentHashMap<>();

    RouteFlows(SwitchService switchService, AppFlows appFlows, MacAddress routerMac, Duration idleTimeout) {
        this.switchService = switchService;
        this.appFlows = appFlows;
        this.routerMac = routerMac;
        this.idleTimeoutSeconds = (int) idleTimeout.toSeconds();
    }

    /** The cookie of every flow towards {@code nextHop}. */
    U64 cookie(IPv4Address nextHop) {
        return appFlows.cookie(nextHop.getInt() & 0xFFFF_FFFFL);
    }

    /**
     * Installs the flows that carry packets for {@code destination} from {@code ingress} to
     * the next hop at {@code host}, along {@code path} (empty when on the same switch).
     * Nothing is installed unless the ingress switch is served here; of the rest of the path,
     * only the switches served here get their flow (in a cluster, the others are other members').
     *
     * <p>The flows are recorded before they are written, so a removal that runs meanwhile (a
     * link of the path failing, the next hop moving) finds and deletes them. If such a removal
     * took the record away before the writes went out, its deletes may have reached a switch
     * ahead of our adds; then the adds are deleted again here.
     *
     * @return true when the flows were written and are still recorded; the caller then checks
     *         that what it computed them from still holds
     */
    boolean install(IPv4Address destination, IPv4Address nextHop, MacAddress nextHopMac,
            DatapathId ingress, SwitchPort host, List<Link> path) {
        record Hop(OFSwitch sw, OFPort out, boolean ingress) {
        }
        List<Hop> hops = new ArrayList<>();
        // Destination switch first, ingress last.
        List<SwitchPort> outs = new ArrayList<>();
        outs.add(host);
        for (int i = path.size() - 1; i >= 0; i--) {
            outs.add(path.get(i).src());
        }
        if (!outs.get(outs.size() - 1).dpid().equals(ingress)) {
            return false; // the path does not start where the packet came in: a stale snapshot
        }
        for (int i = 0; i < outs.size(); i++) {
            boolean atIngress = i == outs.size() - 1;
            Optional<OFSwitch> sw = switchService.getSwitch(outs.get(i).dpid());
            if (sw.isEmpty() && atIngress) {
                return false;
            }
            // Not served here: in a cluster the topology shows every member's switches, and this
            // one is another member's. The routed frame reaches it addressed to the next hop's
            // MAC, so its master carries it on (forwarding's flows or packet-in). Alone, the
            // switch has just gone, and the topology's change removes the flows along it.
            OFPort out = outs.get(i).port();
            sw.ifPresent(served -> hops.add(new Hop(served, out, atIngress)));
        }
        U64 cookie = cookie(nextHop);
        List<InstalledFlow> toWrite = new ArrayList<>();
        for (Hop hop : hops) {
            OFFactory f = hop.sw().factory();
            // The router handles untagged frames only, so its flows must not catch tagged ones
            // (which would be routed with their tag into another VLAN).
            Match match = f.buildMatch()
                    .setExact(MatchField.VLAN_VID, OFVlanVidMatch.UNTAGGED)
                    .setExact(MatchField.ETH_TYPE, EthType.IPv4)
                    .setExact(MatchField.ETH_DST, hop.ingress() ? routerMac : nextHopMac)
                    .setExact(MatchField.IPV4_DST, destination)
                    .build();
            toWrite.add(new InstalledFlow(hop.sw().id(), match, hop.ingress() ? INGRESS_PRIORITY : TRANSIT_PRIORITY));
        }
        Object generation = remember(nextHop, nextHopMac, path, toWrite);
        for (int i = 0; i < hops.size(); i++) {
            Hop hop = hops.get(i);
            InstalledFlow flow = toWrite.get(i);
            OFFactory f = hop.sw().factory();
            List<OFAction> actions = hop.ingress()
                    ? routeActions(f, nextHopMac, hop.out())
                    : List.of(f.actions().output(hop.out(), 0));
            try {
                hop.sw().write(flowAdd(f, cookie, flow.priority(), flow.match(), actions));
            } catch (NotMasterException demoted) {
                // demoted meanwhile (in a cluster): the switch's new master programs it
            }
        }
        NextHopFlows now = installed.get(nextHop);
        if (now == null || now.generation() != generation) {
            deleteFlows(nextHop, NextHopFlows.first(nextHopMac).with(List.of(), toWrite));
            return false;
        }
        return true;
    }

    /** Adds the flows to the next hop's record (a new one if it has none); returns the record's generation. */
    private Object remember(IPv4Address nextHop, MacAddress nextHopMac, List<Link> path, List<InstalledFlow> toWrite) {
        while (true) {
            NextHopFlows before = installed.get(nextHop);
            if (before == null) {
                NextHopFlows first = NextHopFlows.first(nextHopMac).with(path, toWrite);
                if (installed.putIfAbsent(nextHop, first) == null) {
                    return first.generation();
                }
            } else if (installed.replace(nextHop, before, before.with(path, toWrite))) {
                return before.generation();
            }
        }
    }

    /**
     * Decrement first: when the TTL runs out, OVS stops the action list there and sends the
     * packet to the controller unchanged, still addressed to the router MAC, so the
     * packet-in is recognised as a routed packet and answered with time exceeded.
     */
    private List<OFAction> routeActions(OFFactory f, MacAddress nextHopMac, OFPort out) {
        return switch (f.getVersion()) {
            case OF_10 -> List.of(f.actions().niciraDecTtl(), f.actions().setDlSrc(routerMac),
                    f.actions().setDlDst(nextHopMac), f.actions().output(out, 0));
            case OF_11 -> List.of(f.actions().decNwTtl(), f.actions().setDlSrc(routerMac),
                    f.actions().setDlDst(nextHopMac), f.actions().output(out, 0));
            default -> List.of(f.actions().decNwTtl(),
                    f.actions().setField(f.oxms().ethSrc(routerMac)),
                    f.actions().setField(f.oxms().ethDst(nextHopMac)),
                    f.actions().output(out, 0));
        };
    }

    private OFFlowAdd flowAdd(OFFactory f, U64 cookie, int priority, Match match, List<OFAction> actions) {
        OFFlowAdd.Builder b = f.buildFlowAdd()
                .setCookie(cookie)
                .setPriority(priority)
                .setIdleTimeout(idleTimeoutSeconds)
                .setHardTimeout(0)
                .setBufferId(OFBufferId.NO_BUFFER)
                .setMatch(match);
        if (f.getVersion() == OFVersion.OF_10) {
            b.setActions(actions);
        } else {
            b.setInstructions(List.of(f.instructions().applyActions(actions)));
        }
        return b.build();
    }

    /** The next hops with flows whose MAC is {@code mac}. */
    Set<IPv4Address> nextHopsWithMac(MacAddress mac) {
        Set<IPv4Address> found = new HashSet<>();
        installed.forEach((ip, flows) -> {
            if (flows.mac().equals(mac)) {
                found.add(ip);
            }
        });
        return found;
    }

    /** The next hops with flows along one of {@code links} or on one of {@code switches}. */
    Set<IPv4Address> nextHopsCrossing(Collection<Link> links, Collection<DatapathId> switches) {
        Set<IPv4Address> found = new HashSet<>();
        installed.forEach((ip, flows) -> {
            if (links.stream().anyMatch(flows.links()::contains)
                    || switches.stream().anyMatch(flows.switches()::contains)) {
                found.add(ip);
            }
        });
        return found;
    }

    /** Deletes every flow towards {@code nextHop}, from every switch that has one. */
    void remove(IPv4Address nextHop) {
        NextHopFlows flows = installed.remove(nextHop);
        if (flows != null) {
            deleteFlows(nextHop, flows);
        }
    }

    private void deleteFlows(IPv4Address nextHop, NextHopFlows flows) {
        U64 cookie = cookie(nextHop);
        for (DatapathId dpid : flows.switches()) {
            switchService.getSwitch(dpid).filter(OFSwitch::isConnected).ifPresent(sw -> {
                try {
                    deleteFlows(sw, cookie, flows);
                } catch (NotMasterException demoted) {
                    // demoted meanwhile (in a cluster): the switch's new master reconciles its flows
                }
            });
        }
    }

    private static void deleteFlows(OFSwitch sw, U64 cookie, NextHopFlows flows) {
        OFFactory f = sw.factory();
        if (f.getVersion() == OFVersion.OF_10) {
            flows.flows().stream().filter(flow -> flow.dpid().equals(sw.id())).forEach(flow ->
                    sw.write(f.buildFlowDeleteStrict()
                            .setMatch(flow.match())
                            .setPriority(flow.priority())
                            .setOutPort(OFPort.ANY)
                            .build()));
        } else {
            sw.write(f.buildFlowDelete()
                    .setCookie(cookie)
                    .setCookieMask(U64.of(-1L)) // exactly this next hop's tag
                    .setTableId(TableId.ALL)
                    .setOutPort(OFPort.ANY)
                    .setOutGroup(OFGroup.ANY)
                    .build());
        }
    }

    int nextHopCount() {
        return installed.size();
    }
}
