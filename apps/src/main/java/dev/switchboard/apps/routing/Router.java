package dev.switchboard.apps.routing;

import static dev.switchboard.apps.routing.RouterFrames.ARP_REPLY;
import static dev.switchboard.apps.routing.RouterFrames.ARP_REQUEST;
import static dev.switchboard.controller.packet.EthernetFrames.TYPE_ARP;
import static dev.switchboard.controller.packet.EthernetFrames.TYPE_IPV4;

import dev.switchboard.apps.routing.HeldPackets.Held;
import dev.switchboard.apps.routing.RoutingTable.NextHop;
import dev.switchboard.controller.Disposition;
import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.PacketInProcessor;
import dev.switchboard.controller.SwitchService;
import dev.switchboard.controller.openflow.OpenFlowMessages;
import dev.switchboard.controller.packet.EthernetFrames;
import dev.switchboard.hosts.Host;
import dev.switchboard.hosts.HostListener;
import dev.switchboard.hosts.HostService;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.Topology;
import dev.switchboard.topology.TopologyEvent;
import dev.switchboard.topology.TopologyListener;
import dev.switchboard.topology.TopologyService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The virtual router present at every edge port: answers ARP and ping for its gateway
 * addresses, routes IPv4 sent to its MAC, and installs flows so that later packets of a
 * route stay in the switches.
 *
 * <p>Packet-ins run on the sending switch's event loop; the ARP wait runs out on the app's
 * timer; host and topology events come on whichever thread made them. Nothing here blocks:
 * switch writes are queued by the controller, the shared state is concurrent maps.
 */
final class Router implements PacketInProcessor, HostListener, TopologyListener {
    private final RoutingTable table;
    private final long routerMac;
    private final SwitchService switches;
    private final TopologyService topology;
    private final HostService hosts;
    private final ArpCache arpCache;
    private final HeldPackets held;
    private final RouteFlows flows;

    Router(RoutingTable table, MacAddress routerMac, SwitchService switches, TopologyService topology,
            HostService hosts, ArpCache arpCache, ScheduledExecutorService timer, Duration arpTimeout,
            RouteFlows flows) {
        this.table = table;
        this.routerMac = routerMac.getLong();
        this.switches = switches;
        this.topology = topology;
        this.hosts = hosts;
        this.arpCache = arpCache;
        this.held = new HeldPackets(timer, arpTimeout, this::nextHopUnreachable);
        this.flows = flows;
    }

    @Override
    public Disposition process(OFSwitch sw, OFPacketIn packetIn) {
        byte[] frame = packetIn.getData();
        if (!EthernetFrames.isEthernet(frame)) {
            return Disposition.CONTINUE;
        }
        // Untagged frames only: the EtherType is read at 12, so a tagged frame reads as
        // neither ARP nor IPv4 and goes on to forwarding.
        int type = EthernetFrames.u16(frame, 12);
        boolean toRouter = type == TYPE_IPV4 && EthernetFrames.destination(frame) == routerMac;
        if (type != TYPE_ARP && !toRouter) {
            return Disposition.CONTINUE;
        }
        OFPort inPort = OpenFlowMessages.inPort(packetIn);
        if (inPort == null) {
            return Disposition.STOP; // a 1.2+ packet-in without IN_PORT: no port to answer or route from
        }
        if (type == TYPE_ARP) {
            return onArp(sw, inPort, frame);
        }
        onIpv4ToRouter(sw, inPort, frame);
        return Disposition.STOP;
    }

    private Disposition onArp(OFSwitch sw, OFPort inPort, byte[] frame) {
        if (!RouterFrames.isArp(frame)) {
            return Disposition.CONTINUE;
        }
        IPv4Address sender = IPv4Address.of(RouterFrames.arpSenderIp(frame));
        learn(sender, RouterFrames.arpSenderMac(frame));
        int operation = RouterFrames.arpOperation(frame);
        IPv4Address target = IPv4Address.of(RouterFrames.arpTargetIp(frame));
        if (operation == ARP_REQUEST && table.isGateway(target)) {
            packetOut(sw, RouterFrames.arpReply(frame, routerMac), List.of(inPort));
            return Disposition.STOP;
        }
        if (operation == ARP_REPLY && (EthernetFrames.destination(frame) == routerMac || table.isGateway(target))) {
            return Disposition.STOP; // the answer to our own request: nobody else wants it
        }
        return Disposition.CONTINUE;
    }

    /** Any ARP from a host of a connected subnet tells us its MAC, and may free held packets. */
    private void learn(IPv4Address sender, long senderMac) {
        if (EthernetFrames.isGroupAddress(senderMac) || senderMac == 0 || senderMac == routerMac
                || table.isGateway(sender) || table.connectedSubnet(sender).isEmpty()) {
            return;
        }
        MacAddress mac = MacAddress.of(senderMac);
        if (arpCache.learn(sender, mac) || held.isWaitingFor(sender)) {
            releaseHeld(sender, mac);
        }
    }

    private void releaseHeld(IPv4Address nextHop, MacAddress mac) {
        for (Held packet : held.release(nextHop)) {
            forward(packet, nextHop, mac);
        }
    }

    private void onIpv4ToRouter(OFSwitch sw, OFPort inPort, byte[] frame) {
        if (!RouterFrames.isIpv4(frame)) {
            return; // addressed to the router and broken: dropped
        }
        IPv4Address destination = IPv4Address.of(RouterFrames.destinationIp(frame));
        if (table.isGateway(destination)) {
            if (RouterFrames.protocol(frame) == RouterFrames.PROTO_ICMP && RouterFrames.isWhole(frame)
                    && RouterFrames.icmpType(frame) == RouterFrames.ICMP_ECHO_REQUEST) {
                packetOut(sw, RouterFrames.echoReply(frame, routerMac), List.of(inPort));
            }
            return;
        }
        route(sw, inPort, frame, destination);
    }

    private void route(OFSwitch sw, OFPort inPort, byte[] frame, IPv4Address destination) {
        if (!isRoutable(destination)) {
            return;
        }
        // Also the packet-in that a flow's dec_ttl sends (reason INVALID_TTL, or ACTION on some
        // versions) when the TTL would reach zero: whatever the reason, the answer is the same.
        if (RouterFrames.ttl(frame) <= 1) {
            icmpError(sw, inPort, frame, RouterFrames.ICMP_TIME_EXCEEDED, 0);
            return;
        }
        Optional<NextHop> hop = table.lookup(destination);
        if (hop.isEmpty()) {
            icmpError(sw, inPort, frame, RouterFrames.ICMP_UNREACHABLE, RouterFrames.CODE_NET_UNREACHABLE);
            return;
        }
        if (!RouterFrames.isWhole(frame)) {
            return; // a truncated packet-in cannot be sent on
        }
        NextHop nextHop = hop.get();
        Held packet = new Held(sw.id(), inPort, frame);
        Optional<MacAddress> mac = resolve(nextHop.address());
        if (mac.isPresent()) {
            forward(packet, nextHop.address(), mac.get());
        } else if (held.hold(nextHop.address(), packet) == HeldPackets.Outcome.ASK) {
            askForMac(nextHop);
        }
    }

    /** Not the network or broadcast address of a connected subnet, not multicast or limited broadcast. */
    private boolean isRoutable(IPv4Address destination) {
        int d = destination.getInt();
        if ((d >>> 28) == 0xE || d == -1 || d == 0) {
            return false;
        }
        return table.connectedSubnet(destination)
                .map(s -> s.prefix().length() >= 31 || (d != s.prefix().network() && d != s.prefix().broadcast()))
                .orElse(true);
    }

    private Optional<MacAddress> resolve(IPv4Address nextHop) {
        Optional<MacAddress> known = arpCache.get(nextHop);
        return known.isPresent() ? known : hosts.hostWithIp(nextHop).map(Host::mac);
    }

    /**
     * ARP for the next hop from the router's address in its subnet, out of every edge port
     * that takes broadcasts: the next hop is somewhere at the edge, and the inter-switch ports
     * would only carry the request to edges that get their own copy. Except, in a cluster, the
     * edges of switches another member masters: this member cannot send there, so the request
     * also crosses the tree links towards them, and their masters flood it on as any broadcast.
     * The reply then reaches that member, and its address this one through the shared host
     * table ({@link #releaseHeldFor}).
     */
    private void askForMac(NextHop nextHop) {
        byte[] request = RouterFrames.arpRequest(routerMac, nextHop.subnet().gateway().getInt(),
                nextHop.address().getInt());
        Topology now = topology.current();
        for (DatapathId dpid : now.switches()) {
            Optional<OFSwitch> served = switches.getSwitch(dpid);
            if (served.isEmpty()) {
                continue;
            }
            Set<OFPort> towardsOthers = now.linksFrom(dpid).stream()
                    .filter(link -> switches.getSwitch(link.dst().dpid()).isEmpty())
                    .map(link -> link.src().port())
                    .collect(Collectors.toSet());
            List<OFPort> ports = now.floodPorts(dpid).stream()
                    .filter(port -> !now.isInterSwitchPort(new SwitchPort(dpid, port)) || towardsOthers.contains(port))
                    .toList();
            if (!ports.isEmpty()) {
                packetOut(served.get(), request, ports);
            }
        }
    }

    /**
     * Sends a routed packet straight out of the next hop's port, and installs the flows for
     * the packets that follow. Where the next hop's switch is not served here (another
     * member's, in a cluster), the packet leaves the ingress switch along the path and only
     * the served switches get flows. Where the next hop is not located yet, the packet is flooded
     * at the ingress switch and no flow is installed.
     */
    private void forward(Held packet, IPv4Address nextHop, MacAddress mac) {
        byte[] routed = RouterFrames.routed(packet.frame(), routerMac, mac.getLong());
        IPv4Address destination = IPv4Address.of(RouterFrames.destinationIp(packet.frame()));
        Optional<SwitchPort> location = hosts.host(mac).map(Host::location);
        Optional<OFSwitch> hostSwitch = location.flatMap(at -> switches.getSwitch(at.dpid()));
        if (location.isPresent() && hostSwitch.isPresent()) {
            SwitchPort at = location.get();
            if (at.equals(new SwitchPort(packet.ingress(), packet.inPort()))) {
                // Back out of the port it came in: an output to the in-port itself is dropped,
                // and a flow could only say so by matching the in-port; routed here each time.
                packetOut(hostSwitch.get(), routed, List.of(OFPort.IN_PORT), packet.inPort());
                return;
            }
            packetOut(hostSwitch.get(), routed, List.of(at.port()));
            topology.current().path(packet.ingress(), at.dpid()).ifPresent(path -> installFlows(packet, destination,
                    nextHop, mac, at, path));
            return;
        }
        Optional<List<Link>> pathToMember = location.flatMap(at -> topology.current().path(packet.ingress(), at.dpid()))
                .filter(path -> !path.isEmpty());
        Optional<OFSwitch> ingress = switches.getSwitch(packet.ingress());
        if (pathToMember.isPresent() && ingress.isPresent()) {
            // In a cluster, the next hop's switch is another member's: the packet leaves the
            // ingress switch along the path, addressed to the next hop's MAC, and the masters on
            // its way carry it on as any frame to a known host.
            packetOut(ingress.get(), routed, List.of(pathToMember.get().get(0).src().port()));
            installFlows(packet, destination, nextHop, mac, location.get(), pathToMember.get());
            return;
        }
        switches.getSwitch(packet.ingress()).ifPresent(sw -> {
            // Only the topology's flood ports: OFPP_FLOOD would also reach blocked and
            // quarantined ports. With none left the packet is dropped; the sender retries.
            List<OFPort> ports = topology.current().floodPorts(sw.id()).stream()
                    .filter(port -> !port.equals(packet.inPort()))
                    .toList();
            if (!ports.isEmpty()) {
                packetOut(sw, routed, ports);
            }
        });
    }

    private void installFlows(Held packet, IPv4Address destination, IPv4Address nextHop, MacAddress mac, SwitchPort at,
            List<Link> path) {
        if (flows.install(destination, nextHop, mac, packet.ingress(), at, path)
                && !stillValid(packet.ingress(), path, mac, at)) {
            // The path or the next hop changed after they were read, and the listener may
            // have run before the flows were recorded: nothing else would remove them.
            flows.remove(nextHop);
        }
    }

    /**
     * Whether flows just recorded for {@code path} still fit the newest topology and hosts:
     * every link and switch of the path still there, the next hop still at {@code at}.
     */
    private boolean stillValid(DatapathId ingress, List<Link> path, MacAddress nextHopMac, SwitchPort at) {
        Topology latest = topology.current();
        if (!latest.switches().contains(ingress) || !latest.links().containsAll(path)) {
            return false;
        }
        for (Link link : path) {
            if (!latest.switches().contains(link.dst().dpid())) {
                return false;
            }
        }
        return hosts.host(nextHopMac).map(Host::location).filter(at::equals).isPresent();
    }

    /** The ARP wait ran out: host unreachable to each held packet's source. */
    private void nextHopUnreachable(IPv4Address nextHop, List<Held> packets) {
        for (Held packet : packets) {
            switches.getSwitch(packet.ingress()).ifPresent(sw -> icmpError(sw, packet.inPort(), packet.frame(),
                    RouterFrames.ICMP_UNREACHABLE, RouterFrames.CODE_HOST_UNREACHABLE));
        }
    }

    /** An ICMP error back out of the port the offending packet came in, from the router's address towards its source. */
    private void icmpError(OFSwitch sw, OFPort inPort, byte[] frame, int type, int code) {
        if (!RouterFrames.deservesIcmpError(frame)) {
            return;
        }
        IPv4Address from = table.gatewayTowards(IPv4Address.of(RouterFrames.sourceIp(frame)));
        packetOut(sw, RouterFrames.icmpError(frame, routerMac, from.getInt(), type, code), List.of(inPort));
    }

    private static void packetOut(OFSwitch sw, byte[] frame, List<OFPort> ports) {
        packetOut(sw, frame, ports, OFPort.CONTROLLER);
    }

    private static void packetOut(OFSwitch sw, byte[] frame, List<OFPort> ports, OFPort inPort) {
        OFFactory f = sw.factory();
        sw.write(OpenFlowMessages.packetOut(f, frame, inPort, OpenFlowMessages.outputs(f, ports)));
    }

    // ---- what the host table learns, and what makes installed flows wrong ----

    @Override
    public void hostAdded(Host host) {
        releaseHeldFor(host);
    }

    @Override
    public void hostUpdated(Host before, Host after) {
        releaseHeldFor(after);
    }

    /**
     * Packets held for an address the host table now knows go on. Here, an ARP reply frees
     * them first; in a cluster, a next hop behind another member's switch answers to that
     * member, and its address arrives here only through the shared host table.
     */
    private void releaseHeldFor(Host host) {
        for (IPv4Address address : host.ipv4()) {
            releaseHeld(address, host.mac());
        }
    }

    @Override
    public void hostMoved(Host before, Host after) {
        flows.nextHopsWithMac(before.mac()).forEach(flows::remove);
        releaseHeldFor(after);
    }

    @Override
    public void hostRemoved(Host host) {
        arpCache.forget(host.mac());
        flows.nextHopsWithMac(host.mac()).forEach(flows::remove);
    }

    @Override
    public void topologyChanged(TopologyEvent event) {
        if (!event.linksRemoved().isEmpty() || !event.switchesRemoved().isEmpty()) {
            flows.nextHopsCrossing(event.linksRemoved(), event.switchesRemoved()).forEach(flows::remove);
        }
    }

    /** Forgets held packets when the app stops. */
    void stop() {
        held.clear();
    }
}
