package dev.switchboard.hostnet;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Validates a list of changes against the current state and turns them into {@link Step}s, before anything is
 * changed. It keeps a model of the namespaces and links the changes touch (read once per namespace) and updates it as
 * each change is planned, so later changes are checked against what earlier ones will have made.
 */
final class Planner {

    /** What the plan knows of a link. */
    private static final class LinkState {
        String name;
        String kind;
        TapSpec.Mode tunMode;
        /** Created by this plan: deleting it undoes everything else done to it. */
        boolean created;
        String master;
        String mac;
        int mtu;
        int minMtu;
        int maxMtu;
        boolean up;
        Boolean vlanFiltering;
        /** A veth peer in the same namespace. */
        String peer;
        boolean shaped;
        final Set<Cidr> addresses = new LinkedHashSet<>();

        boolean isKind(String k) {
            return k.equals(kind);
        }
    }

    private final IpRoute2 ip;
    private final Supplier<KernelFeatures> features;
    private Set<String> namespaces;
    private final Set<String> createdNamespaces = new HashSet<>();
    private final Map<Netns, Map<String, LinkState>> links = new HashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final Map<Netns, Snapshot> snapshots = new LinkedHashMap<>();

    Planner(IpRoute2 ip, Supplier<KernelFeatures> features) {
        this.ip = ip;
        this.features = features;
    }

    List<Step> steps() {
        return steps;
    }

    /** Snapshots of namespaces where a planned step may drop addresses or routes as a side effect. */
    List<Snapshot> snapshots() {
        return List.copyOf(snapshots.values());
    }

    /** Records the namespace's addresses and routes if the link existed before this plan; see {@link Snapshot}. */
    private void snapshotBefore(Netns ns, LinkState link) {
        if (!link.created && !snapshots.containsKey(ns)) {
            snapshots.put(ns, Snapshot.take(ip, ns));
        }
    }

    // ---- namespaces

    void createNamespace(String name) {
        Netns ns = Netns.named(name);
        if (namespaceSet().contains(name)) {
            throw new AlreadyExistsException("cannot create namespace '" + name + "': it already exists");
        }
        add(Step.ip(Netns.ROOT, "create namespace '" + name + "'", "netns add " + name)
                .changes(Step.nsObject(ns))
                .undo(Step.ip(Netns.ROOT, "delete namespace '" + name + "'", "netns del " + name)));
        add(Step.ip(ns, "bring up loopback in " + ns, "link set dev lo up")
                .uses(Step.nsObject(ns)).changes(Step.linkObject(ns, "lo")));
        namespaceSet().add(name);
        createdNamespaces.add(name);
        Map<String, LinkState> fresh = new LinkedHashMap<>();
        LinkState lo = new LinkState();
        lo.name = "lo";
        lo.mtu = 65536;
        lo.up = true;
        lo.created = true;
        fresh.put("lo", lo);
        links.put(ns, fresh);
    }

    void deleteNamespace(String name) {
        Netns ns = Netns.named(name);
        requireNamespace(ns);
        add(Step.ip(Netns.ROOT, "delete namespace '" + name + "'", "netns del " + name).barrier());
        namespaceSet().remove(name);
        links.remove(ns);
    }

    // ---- creating links

    void createVeth(VethSpec spec) {
        Netns a = spec.namespace();
        Netns b = spec.peerNamespace();
        requireFree(a, spec.name(), "veth");
        requireFree(b, spec.peerName(), "veth");
        Netns runIn = a.equals(b) ? a : Netns.ROOT;
        StringBuilder line = new StringBuilder("link add name ").append(spec.name());
        if (!runIn.equals(a)) {
            line.append(" netns ").append(ip.netnsArgument(a));
        }
        spec.mac().ifPresent(m -> line.append(" address ").append(m));
        spec.mtu().ifPresent(m -> line.append(" mtu ").append(m));
        line.append(" type veth peer name ").append(spec.peerName());
        if (!runIn.equals(b)) {
            line.append(" netns ").append(ip.netnsArgument(b));
        }
        spec.peerMac().ifPresent(m -> line.append(" address ").append(m));
        spec.mtu().ifPresent(m -> line.append(" mtu ").append(m));
        String what = "create veth '" + spec.name() + "' in " + a + " with peer '" + spec.peerName() + "' in " + b;
        add(Step.ip(runIn, what, line.toString())
                .uses(Step.nsObject(a), Step.nsObject(b))
                .changes(Step.linkObject(a, spec.name()), Step.linkObject(b, spec.peerName()))
                .undo(Step.ip(a, "delete veth '" + spec.name() + "' in " + a, "link del dev " + spec.name())));
        LinkState end = created(a, spec.name(), "veth", spec.mac().orElse(null), spec.mtu().orElse(1500), 68, 65535);
        LinkState peer = created(b, spec.peerName(), "veth", spec.peerMac().orElse(null), spec.mtu().orElse(1500), 68,
                65535);
        if (a.equals(b)) {
            end.peer = peer.name;
            peer.peer = end.name;
        }
        if (spec.up()) {
            setUp(a, spec.name());
            setUp(b, spec.peerName());
        }
    }

    void createBridge(BridgeSpec spec) {
        Netns ns = spec.namespace();
        requireFree(ns, spec.name(), "bridge");
        StringBuilder line = new StringBuilder("link add name ").append(spec.name());
        spec.mac().ifPresent(m -> line.append(" address ").append(m));
        spec.mtu().ifPresent(m -> line.append(" mtu ").append(m));
        line.append(" type bridge stp_state ").append(spec.stp() ? 1 : 0);
        add(Step.ip(ns, "create bridge '" + spec.name() + "' in " + ns, line.toString())
                .uses(Step.nsObject(ns))
                .changes(Step.linkObject(ns, spec.name()))
                .undo(Step.ip(ns, "delete bridge '" + spec.name() + "' in " + ns, "link del dev " + spec.name())));
        LinkState bridge = created(ns, spec.name(), "bridge", spec.mac().orElse(null), spec.mtu().orElse(1500), 68,
                65535);
        bridge.vlanFiltering = false;
        if (spec.up()) {
            setUp(ns, spec.name());
        }
    }

    void createTap(TapSpec spec) {
        Netns ns = spec.namespace();
        String what = spec.mode() == TapSpec.Mode.TAP ? "TAP" : "TUN";
        requireFree(ns, spec.name(), what);
        StringBuilder line = new StringBuilder("tuntap add dev ").append(spec.name())
                .append(" mode ").append(spec.mode() == TapSpec.Mode.TAP ? "tap" : "tun");
        spec.owner().ifPresent(uid -> line.append(" user ").append(uid));
        spec.group().ifPresent(gid -> line.append(" group ").append(gid));
        String object = what + " '" + spec.name() + "' in " + ns;
        add(Step.ip(ns, "create " + object, line.toString())
                .uses(Step.nsObject(ns))
                .changes(Step.linkObject(ns, spec.name()))
                .undo(Step.ip(ns, "delete " + object, "link del dev " + spec.name())));
        LinkState tap = created(ns, spec.name(), "tun", spec.mac().orElse(null), 1500, 68,
                spec.mode() == TapSpec.Mode.TAP ? 65521 : 65535);
        tap.tunMode = spec.mode();
        spec.mac().ifPresent(m -> setMac(ns, spec.name(), m));
        spec.mtu().ifPresent(m -> setMtu(ns, spec.name(), m));
        if (spec.up()) {
            setUp(ns, spec.name());
        }
    }

    // ---- changing links

    void enslave(Netns ns, String link, String bridge) {
        LinkState port = requireLink(ns, link);
        LinkState master = requireLink(ns, bridge);
        if (!master.isKind("bridge")) {
            throw new InvalidRequestException("cannot attach link '" + link + "' to '" + bridge + "' in " + ns
                    + ": '" + bridge + "' is " + kindText(master) + ", not a bridge");
        }
        if (link.equals(bridge)) {
            throw new InvalidRequestException("cannot attach bridge '" + bridge + "' in " + ns + " to itself");
        }
        String undoLine = port.master == null
                ? "link set dev " + link + " nomaster" : "link set dev " + link + " master " + port.master;
        add(Step.ip(ns, "attach link '" + link + "' to bridge '" + bridge + "' in " + ns,
                        "link set dev " + link + " master " + bridge)
                .uses(Step.nsObject(ns), Step.linkObject(ns, bridge))
                .changes(Step.linkObject(ns, link))
                .undo(port.created ? null : Step.ip(ns, "detach link '" + link + "' in " + ns, undoLine)));
        port.master = bridge;
    }

    void release(Netns ns, String link) {
        LinkState port = requireLink(ns, link);
        if (port.master == null) {
            return;
        }
        add(Step.ip(ns, "detach link '" + link + "' from '" + port.master + "' in " + ns,
                        "link set dev " + link + " nomaster")
                .uses(Step.nsObject(ns), Step.linkObject(ns, port.master))
                .changes(Step.linkObject(ns, link))
                .undo(port.created ? null : Step.ip(ns, "re-attach link '" + link + "' in " + ns,
                        "link set dev " + link + " master " + port.master)));
        port.master = null;
    }

    void setVlanFiltering(Netns ns, String bridge, boolean on) {
        features.get().require(KernelFeature.BRIDGE_VLAN_FILTERING,
                "turning VLAN filtering " + (on ? "on" : "off") + " on bridge '" + bridge + "' in " + ns);
        LinkState state = requireLink(ns, bridge);
        if (!state.isKind("bridge")) {
            throw new InvalidRequestException("cannot set VLAN filtering on '" + bridge + "' in " + ns + ": it is "
                    + kindText(state) + ", not a bridge");
        }
        Boolean before = state.vlanFiltering;
        add(Step.ip(ns, "turn VLAN filtering " + (on ? "on" : "off") + " on bridge '" + bridge + "' in " + ns,
                        "link set dev " + bridge + " type bridge vlan_filtering " + (on ? 1 : 0))
                .uses(Step.nsObject(ns))
                .changes(Step.linkObject(ns, bridge))
                .undo(state.created || before == null ? null : Step.ip(ns, "restore VLAN filtering on '" + bridge
                        + "' in " + ns, "link set dev " + bridge + " type bridge vlan_filtering " + (before ? 1 : 0))));
        state.vlanFiltering = on;
    }

    void moveToNamespace(Netns from, String link, Netns to) {
        LinkState state = requireLink(from, link);
        if (from.equals(to)) {
            throw new InvalidRequestException("cannot move link '" + link + "': it is in " + to + " already");
        }
        requireFree(to, link, "link");
        snapshotBefore(from, state);
        String what = "move link '" + link + "' from " + from + " to " + to;
        List<Step> undo = new ArrayList<>();
        undo.add(Step.ip(to, "move link '" + link + "' back from " + to + " to " + from,
                "link set dev " + link + " netns " + ip.netnsArgument(from)));
        if (!state.created) {
            // the kernel drops these on a move; put them back
            String object = "link '" + link + "' in " + from;
            if (state.master != null) {
                undo.add(Step.ip(from, "re-attach " + object, "link set dev " + link + " master " + state.master));
            }
            for (Cidr address : state.addresses) {
                if (!isLinkLocal(address)) {
                    undo.add(Step.ip(from, "add address " + address + " back to " + object, "address add " + address
                            + " dev " + link + (address.isIpv6() ? " nodad" : "")));
                }
            }
            if (state.up) {
                undo.add(Step.ip(from, "bring up " + object + " again", "link set dev " + link + " up"));
            }
        }
        add(Step.ip(from, what, "link set dev " + link + " netns " + ip.netnsArgument(to))
                .uses(Step.nsObject(from), Step.nsObject(to))
                .changes(Step.linkObject(from, link), Step.linkObject(to, link))
                .undo(undo.toArray(Step[]::new)));
        linksIn(from).remove(link);
        if (state.peer != null) {
            LinkState peer = linksIn(from).get(state.peer);
            if (peer != null) {
                peer.peer = null;
            }
            state.peer = null;
        }
        state.master = null;
        state.up = false;
        state.addresses.clear();
        linksIn(to).put(link, state);
    }

    private static boolean isLinkLocal(Cidr address) {
        // the kernel adds an IPv6 link-local address by itself when the link comes up
        return address.isIpv6() && address.address().isLinkLocalAddress();
    }

    void rename(Netns ns, String link, String newName) {
        LinkState state = requireLink(ns, link);
        Names.checkInterfaceName("new name of link '" + link + "'", newName);
        requireFree(ns, newName, "link");
        add(Step.ip(ns, "rename link '" + link + "' to '" + newName + "' in " + ns,
                        "link set dev " + link + " name " + newName)
                .uses(Step.nsObject(ns))
                .changes(Step.linkObject(ns, link), Step.linkObject(ns, newName))
                .undo(Step.ip(ns, "rename link '" + newName + "' back to '" + link + "' in " + ns,
                        "link set dev " + newName + " name " + link)));
        Map<String, LinkState> map = linksIn(ns);
        map.remove(link);
        state.name = newName;
        map.put(newName, state);
        for (LinkState other : map.values()) {
            if (link.equals(other.peer)) {
                other.peer = newName;
            }
            if (link.equals(other.master)) {
                other.master = newName;
            }
        }
    }

    void setMac(Netns ns, String link, String mac) {
        LinkState state = requireLink(ns, link);
        String normal = Names.checkMac("MAC for link '" + link + "'", mac);
        if (state.tunMode == TapSpec.Mode.TUN) {
            throw new InvalidRequestException("cannot set a MAC on TUN '" + link + "' in " + ns
                    + ": it carries IP packets and has no MAC");
        }
        add(Step.ip(ns, "set MAC of link '" + link + "' in " + ns + " to " + normal,
                        "link set dev " + link + " address " + normal)
                .uses(Step.nsObject(ns))
                .changes(Step.linkObject(ns, link))
                .undo(state.created || state.mac == null ? null : Step.ip(ns, "restore MAC of link '" + link
                        + "' in " + ns, "link set dev " + link + " address " + state.mac)));
        state.mac = normal;
    }

    void setMtu(Netns ns, String link, int mtu) {
        LinkState state = requireLink(ns, link);
        int min = state.minMtu > 0 ? state.minMtu : 68;
        int max = state.maxMtu > 0 ? state.maxMtu : 65535;
        Names.checkMtu("MTU for link '" + link + "' in " + ns, mtu, min, max);
        if (mtu < 1280) {
            // IPv6 needs 1280; the kernel drops the link's IPv6 addresses below it
            snapshotBefore(ns, state);
        }
        add(Step.ip(ns, "set MTU of link '" + link + "' in " + ns + " to " + mtu, "link set dev " + link + " mtu " + mtu)
                .uses(Step.nsObject(ns))
                .changes(Step.linkObject(ns, link))
                .undo(state.created ? null : Step.ip(ns, "restore MTU of link '" + link + "' in " + ns,
                        "link set dev " + link + " mtu " + state.mtu)));
        state.mtu = mtu;
    }

    void setUp(Netns ns, String link) {
        setState(ns, link, true);
    }

    void setDown(Netns ns, String link) {
        setState(ns, link, false);
    }

    private void setState(Netns ns, String link, boolean up) {
        LinkState state = requireLink(ns, link);
        if (!up) {
            snapshotBefore(ns, state);
        }
        String word = up ? "up" : "down";
        add(Step.ip(ns, "bring " + word + " link '" + link + "' in " + ns, "link set dev " + link + " " + word)
                .uses(Step.nsObject(ns))
                .changes(Step.linkObject(ns, link))
                .undo(state.created || state.up == up ? null : Step.ip(ns, "bring " + (up ? "down" : "up")
                        + " link '" + link + "' in " + ns + " again", "link set dev " + link + " "
                        + (up ? "down" : "up"))));
        state.up = up;
    }

    void deleteLink(Netns ns, String link) {
        LinkState state = requireLink(ns, link);
        add(Step.ip(ns, "delete link '" + link + "' in " + ns, "link del dev " + link).barrier());
        Map<String, LinkState> map = linksIn(ns);
        map.remove(link);
        if (state.peer != null && state.isKind("veth")) {
            map.remove(state.peer);
        }
        for (LinkState other : map.values()) {
            if (link.equals(other.master)) {
                other.master = null;
            }
        }
    }

    // ---- addresses, routes, forwarding

    void addAddress(Netns ns, String link, Cidr address) {
        LinkState state = requireLink(ns, link);
        if (state.addresses.contains(address)) {
            throw new AlreadyExistsException("cannot add address " + address + " to link '" + link + "' in " + ns
                    + ": it is there already");
        }
        String options = address.isIpv6() ? " nodad" : "";
        add(Step.ip(ns, "add address " + address + " to link '" + link + "' in " + ns,
                        "address add " + address + " dev " + link + options)
                .uses(Step.nsObject(ns))
                .changes(Step.linkObject(ns, link))
                .undo(Step.ip(ns, "remove address " + address + " from link '" + link + "' in " + ns,
                        "address del " + address + " dev " + link)));
        state.addresses.add(address);
    }

    void removeAddress(Netns ns, String link, Cidr address) {
        LinkState state = requireLink(ns, link);
        if (!state.addresses.contains(address)) {
            throw new NotFoundException("cannot remove address " + address + " from link '" + link + "' in " + ns
                    + ": it is not there (it has " + state.addresses + ")");
        }
        snapshotBefore(ns, state);
        String options = address.isIpv6() ? " nodad" : "";
        add(Step.ip(ns, "remove address " + address + " from link '" + link + "' in " + ns,
                        "address del " + address + " dev " + link)
                .uses(Step.nsObject(ns))
                .changes(Step.linkObject(ns, link))
                .undo(Step.ip(ns, "add address " + address + " back to link '" + link + "' in " + ns,
                        "address add " + address + " dev " + link + options)));
        state.addresses.remove(address);
    }

    void addRoute(Netns ns, Route route) {
        requireNamespace(ns);
        Cidr destination = route.destination();
        if (!destination.isNetwork()) {
            throw new InvalidRequestException("route destination " + destination + " in " + ns
                    + " has host bits set; the network is " + destination.network());
        }
        if (route.gateway().isEmpty() && route.device().isEmpty()) {
            throw new InvalidRequestException("route to " + destination + " in " + ns
                    + " needs a gateway, a device or both");
        }
        route.device().ifPresent(dev -> requireLink(ns, dev));
        String spec = routeText(route);
        add(Step.ip(ns, "add route " + route + " in " + ns, "route add " + spec)
                .uses(Step.nsObject(ns))
                .changes(Step.anyLinkObject(ns))
                .undo(Step.ip(ns, "delete route " + route + " in " + ns, "route del " + spec)));
    }

    void setDefaultGateway(Netns ns, InetAddress gateway) {
        requireNamespace(ns);
        boolean v6 = IpAddresses.isIpv6(gateway);
        Route route = Route.defaultVia(gateway);
        Step undo;
        Optional<Route> before = createdNamespaces.contains(ns.name().orElse(null))
                ? Optional.empty() : currentDefault(ns, v6);
        if (before.isPresent()) {
            undo = Step.ip(ns, "restore default route " + before.get() + " in " + ns,
                    "route replace " + routeText(before.get()));
        } else {
            undo = Step.ip(ns, "delete default route " + route + " in " + ns, "route del " + routeText(route));
        }
        add(Step.ip(ns, "set default gateway " + IpAddresses.format(gateway) + " in " + ns,
                        "route replace " + routeText(route))
                .uses(Step.nsObject(ns))
                .changes(Step.anyLinkObject(ns))
                .undo(undo));
    }

    void setIpForwarding(Netns ns, boolean on) {
        requireNamespace(ns);
        String value = on ? "1" : "0";
        String what = "turn IP forwarding " + (on ? "on" : "off") + " in " + ns;
        Optional<String[]> before = createdNamespaces.contains(ns.name().orElse(null))
                ? Optional.empty() : Optional.of(currentForwarding(ns));
        Step undo = before.map(v -> forwardingStep(ns, "restore IP forwarding in " + ns, v[0], v[1])).orElse(null);
        add(forwardingStep(ns, what, value, value)
                .uses(Step.nsObject(ns))
                .changes("sysctl:" + ns.name().orElse(""))
                .undo(undo));
    }

    private Step forwardingStep(Netns ns, String what, String ipv4, String ipv6) {
        List<String> sysctl = List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=" + ipv4,
                "net.ipv6.conf.all.forwarding=" + ipv6);
        if (ns.isRoot()) {
            return Step.process(ns, what, sysctl);
        }
        return Step.ip(Netns.ROOT, what, "netns exec " + ns.name().orElseThrow() + " " + String.join(" ", sysctl));
    }

    private String[] currentForwarding(Netns ns) {
        List<String> command = new ArrayList<>();
        if (!ns.isRoot()) {
            command.addAll(List.of(ip.ip(), "netns", "exec", ns.name().orElseThrow()));
        }
        command.addAll(List.of("sysctl", "-n", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"));
        ExecResult result = ip.run(command);
        String[] values = result.stdout().strip().split("\\s+");
        if (!result.succeeded() || values.length != 2) {
            throw new HostNetworkException("reading IP forwarding in " + ns + " failed: "
                    + IpRoute2.errorText(result));
        }
        return values;
    }

    private Optional<Route> currentDefault(Netns ns, boolean v6) {
        JsonNode routes = v6 ? ip.json(ns, "default routes", "-6", "route", "show", "default")
                : ip.json(ns, "default routes", "route", "show", "default");
        for (JsonNode item : routes) {
            Optional<Route> route = Parsing.route(item, v6);
            if (route.isPresent() && route.get().isDefault()) {
                return route;
            }
        }
        return Optional.empty();
    }

    private static String routeText(Route route) {
        return route.destination() + route.gateway().map(g -> " via " + IpAddresses.format(g)).orElse("")
                + route.device().map(d -> " dev " + d).orElse("");
    }

    // ---- shaping

    void shape(Netns ns, String link, Shaping shaping) {
        LinkState state = requireLink(ns, link);
        String object = "link '" + link + "' in " + ns;
        if (shaping.needsNetem()) {
            features.get().require(KernelFeature.NETEM, "shaping " + object + " with delay or loss");
        }
        if (shaping.rateBitsPerSecond().isPresent()) {
            KernelFeature limiter = shaping.limiter() == Shaping.RateLimiter.TBF ? KernelFeature.TBF : KernelFeature.HTB;
            features.get().require(limiter, "rate-limiting " + object);
        }
        Step undo = Step.tc(ns, "remove shaping of " + object, "qdisc del dev " + link + " root");
        List<String> lines = new ArrayList<>();
        String netemParent;
        if (shaping.rateBitsPerSecond().isPresent()) {
            long rate = shaping.rateBitsPerSecond().getAsLong();
            long burst = shaping.effectiveBurstBytes();
            if (shaping.limiter() == Shaping.RateLimiter.TBF) {
                lines.add("qdisc replace dev " + link + " root handle 5: tbf rate " + rate + "bit burst " + burst
                        + " latency 50ms");
            } else {
                lines.add("qdisc replace dev " + link + " root handle 5: htb default 1");
                lines.add("class add dev " + link + " parent 5: classid 5:1 htb rate " + rate + "bit burst " + burst);
            }
            netemParent = "parent 5:1";
        } else {
            netemParent = "root";
        }
        String leaf = "qdisc " + (netemParent.equals("root") ? "replace" : "add") + " dev " + link + ' ' + netemParent
                + " handle 10: ";
        if (shaping.needsNetem()) {
            StringBuilder netem = new StringBuilder(leaf).append("netem");
            shaping.delay().ifPresent(d -> {
                netem.append(" delay ").append(d.toNanos() / 1000).append("us");
                shaping.jitter().ifPresent(j -> netem.append(' ').append(j.toNanos() / 1000).append("us"));
            });
            shaping.lossPercent().stream().filter(l -> l > 0).forEach(l -> netem.append(" loss ").append(l).append('%'));
            shaping.queuePackets().ifPresent(q -> netem.append(" limit ").append(q));
            lines.add(netem.toString());
        } else if (shaping.queuePackets().isPresent()) {
            // as Mininet: the queue length is netem's limit where netem is there, else a plain FIFO's
            lines.add(leaf + "pfifo limit " + shaping.queuePackets().getAsInt());
        }
        if (lines.isEmpty()) {
            return; // only a loss of 0: nothing to do
        }
        for (int i = 0; i < lines.size(); i++) {
            add(Step.tc(ns, "shape " + object + " (" + describe(shaping) + ")", lines.get(i))
                    .uses(Step.nsObject(ns))
                    .changes(Step.linkObject(ns, link))
                    .undo(i == 0 ? undo : null));
        }
        state.shaped = true;
    }

    void clearShaping(Netns ns, String link) {
        LinkState state = requireLink(ns, link);
        boolean shaped = state.shaped;
        if (!shaped && !state.created) {
            for (JsonNode qdisc : ip.tcJson(ns, "qdiscs of link '" + link + "'", "qdisc", "show", "dev", link)) {
                if (qdisc.path("root").asBoolean(false) && !qdisc.path("handle").asText("0:").equals("0:")) {
                    shaped = true;
                }
            }
        }
        if (!shaped) {
            return;
        }
        add(Step.tc(ns, "remove shaping of link '" + link + "' in " + ns, "qdisc del dev " + link + " root")
                .uses(Step.nsObject(ns))
                .changes(Step.linkObject(ns, link)));
        state.shaped = false;
    }

    private static String describe(Shaping s) {
        List<String> parts = new ArrayList<>();
        s.rateBitsPerSecond().ifPresent(r -> parts.add(r + " bit/s " + s.limiter().name().toLowerCase(java.util.Locale.ROOT)));
        s.delay().ifPresent(d -> parts.add("delay " + d.toMillis() + " ms"));
        s.lossPercent().ifPresent(l -> parts.add("loss " + l + "%"));
        s.queuePackets().ifPresent(q -> parts.add("queue " + q + " packets"));
        return String.join(", ", parts);
    }

    // ---- the model

    private void add(Step step) {
        steps.add(step);
    }

    private Set<String> namespaceSet() {
        if (namespaces == null) {
            namespaces = new HashSet<>(HostNetwork.listNamespaces(ip));
        }
        return namespaces;
    }

    private void requireNamespace(Netns ns) {
        java.util.Objects.requireNonNull(ns, "namespace");
        ns.name().ifPresent(name -> {
            if (!namespaceSet().contains(name)) {
                throw new NotFoundException(ns + " does not exist");
            }
        });
    }

    private Map<String, LinkState> linksIn(Netns ns) {
        requireNamespace(ns);
        Map<String, LinkState> known = links.get(ns);
        if (known == null) {
            known = new LinkedHashMap<>();
            for (JsonNode item : ip.json(ns, "links", "-details", "address", "show")) {
                Link link = Parsing.link(item, ns, Map.of());
                LinkState state = new LinkState();
                state.name = link.name();
                state.kind = link.kind().orElse(null);
                state.tunMode = link.tunMode().orElse(null);
                state.master = link.master().orElse(null);
                state.mac = link.mac().orElse(null);
                state.mtu = link.mtu();
                state.minMtu = link.minMtu();
                state.maxMtu = link.maxMtu();
                state.up = link.up();
                state.peer = item.has("link_netnsid") ? null : link.peer().orElse(null);
                JsonNode filtering = item.path("linkinfo").path("info_data").path("vlan_filtering");
                state.vlanFiltering = filtering.isMissingNode() ? null : filtering.asInt() != 0;
                state.addresses.addAll(Parsing.addresses(item));
                known.put(state.name, state);
            }
            links.put(ns, known);
        }
        return known;
    }

    private LinkState requireLink(Netns ns, String name) {
        Names.checkInterfaceName("link name", name);
        LinkState state = linksIn(ns).get(name);
        if (state == null) {
            throw new NotFoundException("link '" + name + "' does not exist in " + ns);
        }
        return state;
    }

    private void requireFree(Netns ns, String name, String what) {
        if (linksIn(ns).containsKey(name)) {
            LinkState existing = linksIn(ns).get(name);
            throw new AlreadyExistsException("cannot create " + what + " '" + name + "' in " + ns + ": "
                    + kindText(existing) + " of that name exists already");
        }
    }

    private LinkState created(Netns ns, String name, String kind, String mac, int mtu, int minMtu, int maxMtu) {
        LinkState state = new LinkState();
        state.name = name;
        state.kind = kind;
        state.created = true;
        state.mac = mac;
        state.mtu = mtu;
        state.minMtu = minMtu;
        state.maxMtu = maxMtu;
        linksIn(ns).put(name, state);
        return state;
    }

    private static String kindText(LinkState state) {
        if (state.kind == null) {
            return "a link";
        }
        if (state.tunMode != null) {
            return "a " + state.tunMode + " device";
        }
        return "a " + state.kind;
    }
}
