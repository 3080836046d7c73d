package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Cidr;
import dev.switchboard.hostnet.IpAddresses;
import dev.switchboard.hostnet.Route;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks across a lab's objects, and the Mininet numbering of ports they rely on. Each
 * problem is named by the YAML key path of the object it is about, so a loaded spec's
 * problems can be traced to a line.
 */
final class LabValidator {

    /** Up to how many names a "no such node" message lists. */
    private static final int NAMES_SHOWN = 10;

    private final String lab;
    private final List<Host> hosts;
    private final List<Switch> switches;
    private final List<Link> links;
    private final List<Tap> taps;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, NodeRole> roles = new HashMap<>();
    private final Map<String, Switch> switchesByName = new HashMap<>();
    private final Map<String, String> pathOfNode = new HashMap<>();

    private LabValidator(String lab, List<Host> hosts, List<Switch> switches, List<Link> links, List<Tap> taps) {
        this.lab = lab;
        this.hosts = hosts;
        this.switches = switches;
        this.links = links;
        this.taps = taps;
    }

    /** Every problem of the lab, in a stable order; empty if it is valid. */
    static List<Problem> problems(String lab, List<Host> hosts, List<Switch> switches, List<Link> links, List<Tap> taps) {
        LabValidator v = new LabValidator(lab, hosts, switches, links, taps);
        v.check();
        return List.copyOf(v.problems);
    }

    /** The wiring of a lab that {@link #problems} found valid. */
    static List<Wire> wiring(String lab, List<Host> hosts, List<Switch> switches, List<Link> links) {
        LabValidator v = new LabValidator(lab, hosts, switches, links, List.of());
        v.indexNodes();
        List<Wire> wires = v.number();
        if (!v.problems.isEmpty()) {
            throw new IllegalStateException("wiring of an invalid lab: " + v.problems);
        }
        return wires;
    }

    /**
     * The switch ports of the taps that are attached to a switch, by tap name, in the order of
     * {@code taps}: each is numbered after every port its switch has already (link ports and
     * earlier taps), so Mininet's numbering of the links is unchanged.
     */
    static Map<String, Port> tapPorts(LabNames names, List<Tap> taps, List<Wire> wires) {
        Map<String, Integer> highest = new HashMap<>();
        for (Wire wire : wires) {
            for (Port port : List.of(wire.a(), wire.b())) {
                if (port.role() == NodeRole.SWITCH) {
                    highest.merge(port.node(), port.number(), Math::max);
                }
            }
        }
        Map<String, Port> out = new LinkedHashMap<>();
        for (Tap tap : taps) {
            tap.bridge().ifPresent(sw -> {
                int number = highest.merge(sw, 1, Integer::sum);
                String device = names.tap(tap.name());
                out.put(tap.name(), new Port(sw, NodeRole.SWITCH, number, device, device, List.of()));
            });
        }
        return out;
    }

    private void check() {
        Optional<LabNames> names = checkLabName();
        indexNodes();
        checkTaps();
        if (!checkLinkEnds()) {
            return; // numbering needs every end to name a node
        }
        List<Wire> wires = number();
        names.ifPresent(n -> checkDerivedNames(n, wires));
        checkAddresses(wires);
        checkHostRouting(wires);
        checkDatapathIds();
    }

    private void checkTaps() {
        Map<String, String> tapNames = new HashMap<>();
        for (Tap tap : taps) {
            String path = "taps." + tap.name();
            NodeRole role = roles.get(tap.name());
            if (role != null || tapNames.putIfAbsent(tap.name(), path) != null) {
                problems.add(new Problem(path, "the name " + tap.name() + " is already taken by a "
                        + (role == null ? "tap" : role == NodeRole.HOST ? "host" : "switch")
                        + "; host, switch and tap names must be unique"));
                continue;
            }
            pathOfNode.put(tap.name(), path);
            if (tap.bridge().isEmpty()) {
                continue;
            }
            String bridge = tap.bridge().get();
            String bridgePath = path + ".bridge";
            if (tap.mode() == TapMode.TUN) {
                problems.add(new Problem(path + ".mode", "tap " + tap.name() + " is a TUN device: it carries IP packets,"
                        + " not Ethernet frames, so it cannot be a port of switch " + bridge + "; use mode: tap, or drop bridge"));
            }
            NodeRole bridgeRole = roles.get(bridge);
            if (bridgeRole == null) {
                List<String> switchNames = new ArrayList<>(switchesByName.keySet());
                switchNames.sort(NaturalOrder.INSTANCE);
                problems.add(new Problem(bridgePath, "no switch is named " + bridge + (switchNames.isEmpty()
                        ? " (the lab has no switches)"
                        : " (switches: " + switchNames.stream().limit(NAMES_SHOWN).collect(Collectors.joining(", "))
                                + (switchNames.size() > NAMES_SHOWN ? ", …" : "") + ")")));
            } else if (bridgeRole == NodeRole.HOST) {
                problems.add(new Problem(bridgePath, bridge + " is a host: a tap attaches to a switch (a linux-bridge or"
                        + " an ovs switch); to give a host an interface, link it to a switch"));
            }
        }
    }

    private Optional<LabNames> checkLabName() {
        try {
            return Optional.of(LabNames.of(lab));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem("name", e.getMessage()));
            return Optional.empty();
        }
    }

    private void indexNodes() {
        for (Host host : hosts) {
            addNode(host.name(), NodeRole.HOST, "hosts." + host.name());
        }
        for (Switch sw : switches) {
            if (addNode(sw.name(), NodeRole.SWITCH, "switches." + sw.name())) {
                switchesByName.put(sw.name(), sw);
            }
        }
    }

    private boolean addNode(String name, NodeRole role, String path) {
        NodeRole earlier = roles.putIfAbsent(name, role);
        if (earlier != null) {
            problems.add(new Problem(path, "the name " + name + " is already taken by a "
                    + (earlier == NodeRole.HOST ? "host" : "switch") + "; host and switch names must be unique"));
            return false;
        }
        pathOfNode.put(name, path);
        return true;
    }

    private boolean checkLinkEnds() {
        boolean allKnown = true;
        for (int i = 0; i < links.size(); i++) {
            Link link = links.get(i);
            String path = "links[" + i + "]";
            boolean known = checkEnd(link.a(), path + ".a") & checkEnd(link.b(), path + ".b");
            allKnown &= known;
            if (known && link.kind() == LinkKind.PATCH) {
                for (LinkEnd end : List.of(link.a(), link.b())) {
                    if (!(switchesByName.get(end.node()) instanceof OvsSwitch)) {
                        problems.add(new Problem(path, "link " + label(link) + ": a patch link joins two ovs switches, and "
                                + end.node() + " is " + describe(end.node())));
                    }
                }
            }
        }
        return allKnown;
    }

    private boolean checkEnd(LinkEnd end, String path) {
        NodeRole role = roles.get(end.node());
        if (role == null && taps.stream().anyMatch(t -> t.name().equals(end.node()))) {
            problems.add(new Problem(path, end.node() + " is a tap: links join hosts and switches; attach the tap to a"
                    + " switch with its bridge key instead"));
            return false;
        }
        if (role == null) {
            problems.add(new Problem(path, "no host or switch is named " + end.node() + known()));
            return false;
        }
        if (role == NodeRole.HOST && end.port().isPresent()) {
            problems.add(new Problem(path + ".port", end.node() + " is a host: only switch ends have a port number"
                    + " (a host end may name its interface)"));
        }
        if (role == NodeRole.SWITCH && end.interfaceName().isPresent()) {
            problems.add(new Problem(path + ".interface", end.node() + " is a switch: its ports are named "
                    + "<lab>-<switch>-e<port>; choose the number with port instead"));
        }
        if (role == NodeRole.SWITCH && !end.addresses().isEmpty()) {
            problems.add(new Problem(path + ".addresses", end.node() + " is a switch: only host ends have addresses"));
        }
        return true;
    }

    private String known() {
        List<String> names = new ArrayList<>(roles.keySet());
        names.sort(NaturalOrder.INSTANCE);
        if (names.isEmpty()) {
            return " (the lab has no hosts or switches)";
        }
        String shown = names.stream().limit(NAMES_SHOWN).collect(Collectors.joining(", "));
        return " (nodes: " + shown + (names.size() > NAMES_SHOWN ? ", …" : "") + ")";
    }

    private String describe(String node) {
        Switch sw = switchesByName.get(node);
        return sw == null ? "a host" : "a " + sw.kind().text();
    }

    /** Numbers every end as Mininet's {@code Topo.addPort} does; records clashes. */
    private List<Wire> number() {
        LabNames names = labNamesOrPlaceholder();
        Map<String, Integer> portCount = new HashMap<>();
        Map<String, Map<Integer, String>> switchPorts = new HashMap<>();
        Map<String, Map<String, String>> hostInterfaces = new HashMap<>();
        List<Wire> wires = new ArrayList<>(links.size());
        for (int i = 0; i < links.size(); i++) {
            Link link = links.get(i);
            String path = "links[" + i + "]";
            Port a = numberEnd(link.a(), path + ".a", names, portCount, switchPorts, hostInterfaces);
            Port b = numberEnd(link.b(), path + ".b", names, portCount, switchPorts, hostInterfaces);
            wires.add(new Wire(i, link, a, b));
        }
        return wires;
    }

    private Port numberEnd(LinkEnd end, String path, LabNames names, Map<String, Integer> portCount,
                           Map<String, Map<Integer, String>> switchPorts, Map<String, Map<String, String>> hostInterfaces) {
        String node = end.node();
        int count = portCount.merge(node, 1, Integer::sum) - 1;
        if (roles.get(node) == NodeRole.SWITCH) {
            int number = end.port().orElse(count + 1);
            String earlier = switchPorts.computeIfAbsent(node, n -> new HashMap<>()).putIfAbsent(number, path);
            if (earlier != null) {
                problems.add(new Problem(path, "port " + number + " of switch " + node + " is already taken by "
                        + earlier + (end.port().isPresent() ? "" : " (ports are numbered like Mininet's: the next one is"
                        + " the count of the switch's ports plus one; give this end an unused port)")));
            }
            String device = names.port(node, number);
            return new Port(node, NodeRole.SWITCH, number, device, device, List.of());
        }
        String interfaceName = end.interfaceName().orElse("eth" + count);
        String earlier = hostInterfaces.computeIfAbsent(node, n -> new HashMap<>()).putIfAbsent(interfaceName, path);
        if (earlier != null) {
            problems.add(new Problem(path, "interface " + interfaceName + " of host " + node + " is already taken by "
                    + earlier + "; give this end another interface name"));
        }
        return new Port(node, NodeRole.HOST, count, interfaceName, names.port(node, count), end.addresses());
    }

    private LabNames labNamesOrPlaceholder() {
        try {
            return LabNames.of(lab);
        } catch (IllegalArgumentException e) {
            return LabNames.of("x"); // the lab name's own problem is reported; names still need a value
        }
    }

    private void checkDerivedNames(LabNames names, List<Wire> wires) {
        Map<String, String> owners = new HashMap<>();
        Set<String> tooLong = new HashSet<>();
        for (Host host : hosts) {
            checkLength(names.namespace(host.name()), "namespace of host " + host.name(), "hosts." + host.name(),
                    host.name(), tooLong);
        }
        for (Switch sw : switches) {
            String bridge = names.bridge(sw.name());
            String path = "switches." + sw.name();
            checkLength(bridge, "bridge of switch " + sw.name(), path, sw.name(), tooLong);
            claim(owners, bridge, "the bridge of switch " + sw.name(), path);
        }
        for (Wire wire : wires) {
            for (Port port : List.of(wire.a(), wire.b())) {
                String path = "links[" + wire.index() + "]." + (port == wire.a() ? "a" : "b");
                String what = port.role() == NodeRole.SWITCH
                        ? "port " + port.number() + " of switch " + port.node()
                        : "interface " + port.name() + " of host " + port.node() + " (while in the root namespace)";
                checkLength(port.rootName(), what, path, port.node(), tooLong);
                claim(owners, port.rootName(), what, path);
            }
        }
        for (Tap tap : taps) {
            if (roles.containsKey(tap.name())) {
                continue; // its name is taken: reported by checkTaps
            }
            String device = names.tap(tap.name());
            String path = "taps." + tap.name();
            String what = "device of tap " + tap.name();
            checkLength(device, what, path, tap.name(), tooLong);
            claim(owners, device, what, path);
        }
    }

    private void checkLength(String derived, String what, String path, String node, Set<String> reported) {
        if (derived.length() > LabNames.MAX_KERNEL_NAME && reported.add(node)) {
            problems.add(new Problem(path, "the " + what + " would be named " + derived + ", " + derived.length()
                    + " characters; Linux allows " + LabNames.MAX_KERNEL_NAME + ". Use a shorter lab name (" + lab
                    + ") or node name (" + node + ")"));
        }
    }

    private void claim(Map<String, String> owners, String name, String what, String path) {
        String earlier = owners.putIfAbsent(name, what);
        if (earlier != null && !earlier.equals(what)) { // the same port twice is reported by number()
            problems.add(new Problem(path, "the " + what + " would be named " + name + ", as is " + earlier
                    + "; rename one of the nodes"));
        }
    }

    private void checkAddresses(List<Wire> wires) {
        Map<InetAddress, String> owners = new HashMap<>();
        for (Wire wire : wires) {
            boolean ipv6 = false;
            for (Port port : List.of(wire.a(), wire.b())) {
                String end = port == wire.a() ? "a" : "b";
                for (int k = 0; k < port.addresses().size(); k++) {
                    Cidr cidr = port.addresses().get(k);
                    String path = "links[" + wire.index() + "]." + end + ".addresses[" + k + "]";
                    ipv6 |= !cidr.isIpv4();
                    unusable(cidr).ifPresent(why -> problems.add(new Problem(path, cidr + " " + why)));
                    String owner = port.node() + ":" + port.name();
                    String earlier = owners.putIfAbsent(cidr.address(), owner);
                    if (earlier != null) {
                        problems.add(new Problem(path, "address " + IpAddresses.format(cidr.address()) + " of " + owner
                                + " is already on " + earlier));
                    }
                }
            }
            Link link = wire.link();
            if (ipv6 && link.mtu().isPresent() && link.mtu().getAsInt() < 1280) {
                problems.add(new Problem("links[" + wire.index() + "].mtu", "link " + label(link) + " has IPv6 addresses,"
                        + " which need an mtu of at least 1280, not " + link.mtu().getAsInt()));
            }
        }
    }

    /** Why an address cannot be an interface's, if it cannot. */
    private static Optional<String> unusable(Cidr cidr) {
        InetAddress address = cidr.address();
        if (address.isAnyLocalAddress()) {
            return Optional.of("is the unspecified address");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("is a loopback address; every namespace has its own lo");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("is a multicast address");
        }
        if (cidr.isIpv4() && cidr.prefixLength() <= 30) {
            if (cidr.isNetwork()) {
                return Optional.of("is the network address of its subnet; hosts are numbered from "
                        + IpAddresses.format(next(address)));
            }
            if (cidr.lastAddress().equals(address)) {
                return Optional.of("is the broadcast address of its subnet " + cidr.network());
            }
        }
        return Optional.empty();
    }

    private static InetAddress next(InetAddress address) {
        byte[] b = address.getAddress();
        for (int i = b.length - 1; i >= 0; i--) {
            if (++b[i] != 0) {
                break;
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkHostRouting(List<Wire> wires) {
        Map<String, List<Cidr>> addresses = new LinkedHashMap<>();
        for (Wire wire : wires) {
            for (Port port : List.of(wire.a(), wire.b())) {
                if (port.role() == NodeRole.HOST) {
                    addresses.computeIfAbsent(port.node(), n -> new ArrayList<>()).addAll(port.addresses());
                }
            }
        }
        for (Host host : hosts) {
            String path = "hosts." + host.name();
            List<Cidr> own = addresses.getOrDefault(host.name(), List.of());
            host.gateway().ifPresent(gw -> nextHopProblem(host, own, gw, "gateway")
                    .ifPresent(why -> problems.add(new Problem(path + ".gateway", why))));
            Map<Cidr, Integer> destinations = new HashMap<>();
            for (int i = 0; i < host.routes().size(); i++) {
                Route route = host.routes().get(i);
                InetAddress via = route.gateway().orElseThrow();
                String routePath = path + ".routes[" + i + "]";
                nextHopProblem(host, own, via, "route to " + route.destination() + " via")
                        .ifPresent(why -> problems.add(new Problem(routePath + ".via", why)));
                Integer earlier = destinations.putIfAbsent(route.destination(), i);
                if (earlier != null) {
                    problems.add(new Problem(routePath + ".to", "host " + host.name() + " already has a route to "
                            + route.destination() + " (routes[" + earlier + "])"));
                }
                boolean gatewaySameFamily = host.gateway()
                        .filter(gw -> gw.getAddress().length == via.getAddress().length).isPresent();
                if (route.isDefault() && gatewaySameFamily) {
                    problems.add(new Problem(routePath + ".to", "host " + host.name() + " has a gateway, which is its"
                            + " default route already"));
                }
            }
        }
    }

    private static Optional<String> nextHopProblem(Host host, List<Cidr> own, InetAddress hop, String what) {
        String text = IpAddresses.format(hop);
        for (Cidr cidr : own) {
            if (cidr.address().equals(hop)) {
                return Optional.of(what + " " + text + " is host " + host.name() + "'s own address");
            }
        }
        if (own.stream().anyMatch(c -> c.contains(hop))) {
            return Optional.empty();
        }
        return Optional.of(what + " " + text + " is not in any subnet of host " + host.name()
                + (own.isEmpty() ? " (it has no addresses)"
                : " (" + own.stream().map(Cidr::toString).collect(Collectors.joining(", ")) + ")"));
    }

    private void checkDatapathIds() {
        Map<Long, String> owners = new HashMap<>();
        for (Switch sw : switches) {
            if (sw instanceof OvsSwitch ovs && ovs.datapathId().isPresent()) {
                String earlier = owners.putIfAbsent(ovs.datapathId().getAsLong(), ovs.name());
                if (earlier != null) {
                    problems.add(new Problem("switches." + ovs.name() + ".datapathId", "datapath id "
                            + ovs.datapathIdHex().orElseThrow() + " is also switch " + earlier + "'s"));
                }
            }
        }
    }

    static String label(Link link) {
        return link.a().node() + "<->" + link.b().node();
    }
}
