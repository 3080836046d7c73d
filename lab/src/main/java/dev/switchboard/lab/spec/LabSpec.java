package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Shaping;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A lab: hosts (namespaces), switches (OVS or Linux bridges) and the links between them.
 * Immutable and always valid: the constructor checks the whole lab and throws a
 * {@link LabSpecException} listing every problem. Load one from YAML with
 * {@link LabSpecs#load}, take a Mininet-named one from {@link Topologies#parse}, or build
 * one with {@link #builder}. Equality is structural (record equality), list order included.
 *
 * <p>What the constructor checks, beyond each record's own checks: the lab name
 * ({@link LabNames}); host and switch names unique together; links end on existing
 * nodes; {@code patch} links only between ovs switches; taps named apart from hosts and
 * switches, attached to an existing switch, and not of mode TUN when attached; ports only on switch ends,
 * interface names and addresses only on host ends; no switch port number or host
 * interface name used twice (so at most one link per interface); every derived kernel
 * name within {@value LabNames#MAX_KERNEL_NAME} characters and unique; no address used
 * twice across all hosts, none that is unspecified, loopback, multicast, or an IPv4
 * network or broadcast address; IPv6 addresses only on links with an mtu of at least
 * 1280; gateways and route next hops inside one of the host's own subnets and not its own
 * address; no two routes of a host to one destination, no default route beside a gateway
 * of the same family; datapath ids unique.
 *
 * @param name     the lab's name: the prefix of every object it creates ({@link LabNames})
 * @param hosts    in the order given (Mininet-named topologies: the order Mininet adds them)
 * @param switches in the order given
 * @param links    in the order given: it decides port numbers ({@link Port})
 * @param taps     TAP and TUN devices, in the order given; a tap attached to a switch takes the
 *                 switch's next port number after its links ({@link #tapPorts()})
 */
public record LabSpec(String name, List<Host> hosts, List<Switch> switches, List<Link> links, List<Tap> taps) {

    public LabSpec {
        if (name == null) {
            throw new LabSpecException(List.of(new Problem("name", "missing: every lab needs a name")));
        }
        hosts = List.copyOf(hosts);
        switches = List.copyOf(switches);
        links = List.copyOf(links);
        taps = List.copyOf(taps);
        List<Problem> problems = LabValidator.problems(name, hosts, switches, links, taps);
        if (!problems.isEmpty()) {
            throw new LabSpecException(problems);
        }
    }

    /** A lab without taps. */
    public LabSpec(String name, List<Host> hosts, List<Switch> switches, List<Link> links) {
        this(name, hosts, switches, links, List.of());
    }

    /** An empty builder for a lab named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this lab's content. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.hosts.addAll(hosts);
        b.switches.addAll(switches);
        b.links.addAll(links);
        b.taps.addAll(taps);
        return b;
    }

    /** The names this lab gives to kernel and OVS objects. */
    public LabNames names() {
        return LabNames.of(name);
    }

    /** The host named {@code hostName}. */
    public Optional<Host> findHost(String hostName) {
        return hosts.stream().filter(h -> h.name().equals(hostName)).findFirst();
    }

    /** The tap named {@code tapName}. */
    public Optional<Tap> findTap(String tapName) {
        return taps.stream().filter(t -> t.name().equals(tapName)).findFirst();
    }

    /**
     * The switch port of every tap that is attached to a switch, by tap name, in the order of
     * {@link #taps()}: its node is the switch, its number the switch's next after its link
     * ports and earlier taps (on an OVS switch, the OpenFlow port number), its name the tap's
     * device {@link LabNames#tap}.
     */
    public Map<String, Port> tapPorts() {
        return Collections.unmodifiableMap(LabValidator.tapPorts(names(), taps, wiring()));
    }

    /** The switch named {@code switchName}. */
    public Optional<Switch> findSwitch(String switchName) {
        return switches.stream().filter(s -> s.name().equals(switchName)).findFirst();
    }

    /** Every link, in order, with its ends numbered and named (see {@link Port}). */
    public List<Wire> wiring() {
        return LabValidator.wiring(name, hosts, switches, links);
    }

    /**
     * The ports of {@code node} in the order they were numbered: a host's interfaces
     * ({@code eth0}, {@code eth1}…) or a switch's ports.
     */
    public List<Port> portsOf(String node) {
        List<Port> out = new ArrayList<>();
        for (Wire wire : wiring()) {
            if (wire.a().node().equals(node)) {
                out.add(wire.a());
            }
            if (wire.b().node().equals(node)) {
                out.add(wire.b());
            }
        }
        return out;
    }

    /** What the machine must offer to bring this lab up; check before changing anything. */
    public Set<KernelNeed> kernelNeeds() {
        EnumSet<KernelNeed> needs = EnumSet.noneOf(KernelNeed.class);
        if (!hosts.isEmpty()) {
            needs.add(KernelNeed.NETNS);
        }
        for (Switch sw : switches) {
            needs.add(sw instanceof OvsSwitch ? KernelNeed.OPENVSWITCH : KernelNeed.LINUX_BRIDGE);
        }
        for (Link link : links) {
            if (link.kind() == LinkKind.VETH) {
                needs.add(KernelNeed.VETH);
            }
            if (link.shaping().filter(s -> s.rateBitsPerSecond().isPresent()).isPresent()) {
                needs.add(KernelNeed.HTB);
            }
            if (link.shaping().filter(Shaping::needsNetem).isPresent()) {
                needs.add(KernelNeed.NETEM);
            }
            for (LinkEnd end : List.of(link.a(), link.b())) {
                if (end.addresses().stream().anyMatch(c -> !c.isIpv4())) {
                    needs.add(KernelNeed.IPV6);
                }
            }
        }
        if (!taps.isEmpty()) {
            needs.add(KernelNeed.TUN);
        }
        for (Host host : hosts) {
            boolean v6Gateway = host.gateway().filter(g -> g.getAddress().length == 16).isPresent();
            if (v6Gateway || host.routes().stream().anyMatch(r -> r.destination().isIpv6())) {
                needs.add(KernelNeed.IPV6);
            }
        }
        return Collections.unmodifiableSet(needs);
    }

    /**
     * Things that are allowed but probably not meant, one sentence each: switches that flood
     * without STP or a controller and form a loop (a broadcast storm; Mininet-named
     * {@code ring} topologies are such a loop until {@link #withController} is applied), and
     * hosts without links.
     */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (List<String> members : floodingLoops()) {
            out.add("switches " + String.join(", ", members) + " are joined in a loop and flood without STP or a"
                    + " controller: a broadcast storm; set stp: true on them or give them a controller");
        }
        Set<String> linked = new HashSet<>();
        links.forEach(l -> {
            linked.add(l.a().node());
            linked.add(l.b().node());
        });
        hosts.stream().filter(h -> !linked.contains(h.name()))
                .forEach(h -> out.add("host " + h.name() + " has no links: its namespace will have only lo"));
        return out;
    }

    /**
     * The loops of switches that flood on their own, without STP or a controller
     * ({@link Switch#floodsWithoutLoopProtection()}): the switches of each connected group of
     * such switches that holds a loop, in natural order; the groups sorted too. Bringing one up
     * makes a broadcast storm, so a runtime should refuse it.
     */
    public List<List<String>> floodingLoops() {
        Map<String, String> parent = new HashMap<>();
        Set<String> looped = new TreeSet<>(NaturalOrder.INSTANCE);
        Map<String, Switch> flooding = switches.stream().filter(Switch::floodsWithoutLoopProtection)
                .collect(Collectors.toMap(Switch::name, s -> s));
        for (Link link : links) {
            String a = link.a().node();
            String b = link.b().node();
            if (flooding.containsKey(a) && flooding.containsKey(b)) {
                String ra = root(parent, a);
                String rb = root(parent, b);
                if (ra.equals(rb)) {
                    looped.add(ra);
                } else {
                    parent.put(ra, rb);
                    if (looped.remove(ra)) {
                        looped.add(rb);
                    }
                }
            }
        }
        List<List<String>> loops = new ArrayList<>();
        for (String loopRoot : Set.copyOf(looped)) {
            String root = root(parent, loopRoot);
            List<String> members = flooding.keySet().stream().filter(s -> root(parent, s).equals(root))
                    .sorted(NaturalOrder.INSTANCE).toList();
            loops.add(members);
        }
        loops.sort((x, y) -> NaturalOrder.INSTANCE.compare(x.get(0), y.get(0)));
        return List.copyOf(loops);
    }

    private static String root(Map<String, String> parent, String node) {
        String r = node;
        while (parent.containsKey(r)) {
            r = parent.get(r);
        }
        return r;
    }

    /**
     * The canonical, sorted description of this lab's topology, to compare with Mininet's:
     * hosts with their addresses, switches, and links {@code node:port<->node:port} with
     * Mininet's port numbering.
     */
    public Description describe() {
        Map<String, List<String>> addresses = new HashMap<>();
        List<String> linkLines = new ArrayList<>();
        for (Wire wire : wiring()) {
            linkLines.add(Description.link(wire.a().label(), wire.b().label()));
            for (Port port : List.of(wire.a(), wire.b())) {
                port.addresses().forEach(c -> addresses.computeIfAbsent(port.node(), n -> new ArrayList<>()).add(c.toString()));
            }
        }
        List<String> hostLines = hosts.stream().map(h -> {
            List<String> own = new ArrayList<>(addresses.getOrDefault(h.name(), List.of()));
            own.sort(NaturalOrder.INSTANCE);
            return own.isEmpty() ? h.name() : h.name() + " " + String.join(" ", own);
        }).toList();
        List<String> switchLines = switches.stream().map(s -> s instanceof OvsSwitch ovs && ovs.datapathId().isPresent()
                ? s.name() + " dpid=" + ovs.datapathIdHex().orElseThrow() : s.name()).toList();
        return new Description(hostLines, switchLines, linkLines);
    }

    /**
     * This lab with every OVS switch connecting to {@code target} ({@code tcp:HOST:PORT});
     * Linux bridges are unchanged. A switch that did not set {@code failMode} becomes
     * {@link FailMode#SECURE}, as Mininet's switches with a remote controller are.
     *
     * @throws IllegalArgumentException if {@code target} does not parse
     */
    public LabSpec withController(String target) {
        return withController(ControllerTarget.parse(target));
    }

    /** This lab with every OVS switch connecting to {@code target}. */
    public LabSpec withController(ControllerTarget target) {
        List<Switch> changed = switches.stream()
                .map(s -> s instanceof OvsSwitch ovs ? (Switch) ovs.withController(target) : s).toList();
        return new LabSpec(name, hosts, changed, links, taps);
    }

    /**
     * This lab under another name (so its objects get another prefix).
     *
     * @throws LabSpecException if the name is invalid or makes a derived name too long
     */
    public LabSpec withName(String newName) {
        return new LabSpec(newName, hosts, switches, links, taps);
    }

    @Override
    public String toString() {
        return "LabSpec[" + name + ": " + hosts.size() + " hosts, " + switches.size() + " switches, "
                + links.size() + " links" + (taps.isEmpty() ? "" : ", " + taps.size() + " taps") + "]";
    }

    /** Collects a lab's objects; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {

        private String name;
        private final List<Host> hosts = new ArrayList<>();
        private final List<Switch> switches = new ArrayList<>();
        private final List<Link> links = new ArrayList<>();
        private final List<Tap> taps = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder name(String newName) {
            this.name = newName;
            return this;
        }

        public Builder host(Host host) {
            hosts.add(host);
            return this;
        }

        /** Adds a host with no gateway and no routes. */
        public Builder host(String hostName) {
            return host(Host.named(hostName));
        }

        public Builder addSwitch(Switch sw) {
            switches.add(sw);
            return this;
        }

        /** Adds a standalone OVS switch with the defaults of {@link OvsSwitch#named}. */
        public Builder ovsSwitch(String switchName) {
            return addSwitch(OvsSwitch.named(switchName));
        }

        /** Adds a Linux bridge without STP. */
        public Builder linuxBridge(String switchName) {
            return addSwitch(LinuxBridge.named(switchName));
        }

        public Builder link(Link link) {
            links.add(link);
            return this;
        }

        /** Adds a plain veth link between {@code a} and {@code b}. */
        public Builder link(String a, String b) {
            return link(Link.veth(a, b));
        }

        public Builder tap(Tap tap) {
            taps.add(tap);
            return this;
        }

        /**
         * The lab.
         *
         * @throws LabSpecException listing every problem
         */
        public LabSpec build() {
            return new LabSpec(name, hosts, switches, links, taps);
        }
    }
}
