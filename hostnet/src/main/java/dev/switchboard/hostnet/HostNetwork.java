package dev.switchboard.hostnet;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Linux side of a host's virtual network: network namespaces, veth pairs, Linux bridges, TAP/TUN devices,
 * addresses, routes, IP forwarding, traffic shaping, and running programs inside a namespace.
 *
 * <p><b>Every method blocks</b> (it runs iproute2 programs and waits for them, typically a few milliseconds, at most
 * the command timeout). Never call it on an event loop; give it an executor of its own.
 *
 * <p>Every change is validated before anything is changed: names the kernel would refuse (longer than 15
 * characters, empty, containing '/', ':' or whitespace, "." or ".."), names already taken, namespaces and links that
 * do not exist, addresses that do not parse (see {@link Cidr}), missing privileges ("needs root (CAP_NET_ADMIN)"),
 * and kernel features this kernel lacks. A change that takes several kernel operations is undone as a whole if one
 * of them fails. Use {@link #changes()} to apply many changes together, all-or-nothing and with few processes.
 *
 * <p>Namespaces are given as {@link Netns}: {@link Netns#ROOT} (this process's namespace) or {@code Netns.named(..)}.
 *
 * <p>Thread-safe: methods may be called from several threads, but concurrent changes to the same objects are not
 * coordinated (each is checked against the state it read, and the kernel refuses the loser).
 */
public final class HostNetwork {

    /** The default time a single iproute2 command may take. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final IpRoute2 ip;
    private final Privileges privileges;

    /** A host network with {@link #DEFAULT_COMMAND_TIMEOUT}. */
    public HostNetwork() {
        this(DEFAULT_COMMAND_TIMEOUT);
    }

    /** A host network whose iproute2 commands are killed after {@code commandTimeout}. */
    public HostNetwork(Duration commandTimeout) {
        this(commandTimeout, Privileges.SELF_STATUS);
    }

    /** For tests: privileges read from another status file. */
    HostNetwork(Duration commandTimeout, Path procStatus) {
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive, was " + commandTimeout);
        }
        this.ip = new IpRoute2(commandTimeout);
        this.privileges = new Privileges(procStatus);
    }

    // ---- batches

    /** An empty set of changes to collect and {@link Changes#apply() apply} together. */
    public Changes changes() {
        return new Changes(this);
    }

    void apply(List<Consumer<Planner>> planned) {
        privileges.require();
        Planner planner = new Planner(ip, this::kernelFeatures);
        planned.forEach(change -> change.accept(planner));
        new StepRunner(ip).apply(planner.steps(), planner.snapshots());
    }

    // ---- namespaces

    /** Creates a namespace (as {@code ip netns} names them) and brings up its loopback. */
    public void createNamespace(String name) {
        changes().createNamespace(name).apply();
    }

    /** Deletes a namespace; its links go with it (a veth's peer elsewhere disappears shortly after). */
    public void deleteNamespace(String name) {
        changes().deleteNamespace(name).apply();
    }

    /** The named namespaces. */
    public List<String> namespaces() {
        return listNamespaces(ip);
    }

    public boolean namespaceExists(String name) {
        Names.checkNamespaceName(name);
        return namespaces().contains(name);
    }

    static List<String> listNamespaces(IpRoute2 ip) {
        List<String> names = new ArrayList<>();
        for (JsonNode item : ip.json(Netns.ROOT, "namespaces", "netns", "list")) {
            names.add(item.path("name").asText());
        }
        return names;
    }

    // ---- links

    /** Creates a veth pair, each end in its namespace; see {@link VethSpec}. */
    public void createVeth(VethSpec spec) {
        changes().createVeth(spec).apply();
    }

    /** Creates a Linux bridge; see {@link BridgeSpec}. */
    public void createBridge(BridgeSpec spec) {
        changes().createBridge(spec).apply();
    }

    /** Creates a persistent TAP or TUN device; see {@link TapSpec}. */
    public void createTap(TapSpec spec) {
        changes().createTap(spec).apply();
    }

    /** Attaches {@code link} to the Linux bridge {@code bridge}; both must be in {@code ns}. */
    public void enslave(Netns ns, String link, String bridge) {
        changes().enslave(ns, link, bridge).apply();
    }

    /** Detaches {@code link} from its bridge; does nothing if it has none. */
    public void release(Netns ns, String link) {
        changes().release(ns, link).apply();
    }

    /**
     * Turns 802.1Q VLAN filtering of a Linux bridge on or off.
     *
     * @throws KernelFeatureMissingException naming "bridge VLAN filtering" when the kernel lacks it
     */
    public void setVlanFiltering(Netns ns, String bridge, boolean on) {
        changes().setVlanFiltering(ns, bridge, on).apply();
    }

    /** Moves a link to another namespace; it arrives down, without addresses and without a master. */
    public void moveToNamespace(Netns from, String link, Netns to) {
        changes().moveToNamespace(from, link, to).apply();
    }

    public void rename(Netns ns, String link, String newName) {
        changes().rename(ns, link, newName).apply();
    }

    /** Sets a link's MAC address, e.g. {@code "02:00:00:00:00:01"}. */
    public void setMac(Netns ns, String link, String mac) {
        changes().setMac(ns, link, mac).apply();
    }

    public void setMtu(Netns ns, String link, int mtu) {
        changes().setMtu(ns, link, mtu).apply();
    }

    public void setUp(Netns ns, String link) {
        changes().setUp(ns, link).apply();
    }

    public void setDown(Netns ns, String link) {
        changes().setDown(ns, link).apply();
    }

    /** Deletes a link; a veth's peer goes with it. */
    public void deleteLink(Netns ns, String link) {
        changes().deleteLink(ns, link).apply();
    }

    /** The links of a namespace. */
    public List<Link> links(Netns ns) {
        Objects.requireNonNull(ns, "ns");
        JsonNode items = ip.json(ns, "links", "-details", "link", "show");
        Map<Integer, String> nsids = nsidNames(ns, items);
        List<Link> out = new ArrayList<>();
        items.forEach(item -> out.add(Parsing.link(item, ns, nsids)));
        return out;
    }

    /** One link of a namespace, if it exists. */
    public Optional<Link> link(Netns ns, String name) {
        Objects.requireNonNull(ns, "ns");
        Names.checkInterfaceName("link name", name);
        JsonNode items;
        try {
            items = ip.json(ns, "link '" + name + "'", "-details", "link", "show", "dev", name);
        } catch (NotFoundException e) {
            throw e;
        } catch (HostNetworkException e) {
            if (e.getMessage().contains("does not exist")) {
                return Optional.empty();
            }
            throw e;
        }
        if (items.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Parsing.link(items.get(0), ns, nsidNames(ns, items)));
    }

    /** Maps the nsids that links refer to onto namespace names, asking iproute2 only when some link needs it. */
    private Map<Integer, String> nsidNames(Netns ns, JsonNode links) {
        boolean needed = false;
        for (JsonNode link : links) {
            needed |= link.has("link_netnsid");
        }
        if (!needed) {
            return Map.of();
        }
        Map<Integer, String> names = new HashMap<>();
        for (JsonNode item : ip.json(ns, "namespace ids", "netns", "list-id")) {
            if (item.has("name")) {
                names.put(item.path("nsid").asInt(), item.get("name").asText());
            }
        }
        return names;
    }

    // ---- addresses and routes

    /** Adds an address to a link; IPv6 addresses skip duplicate address detection so they are usable at once. */
    public void addAddress(Netns ns, String link, Cidr address) {
        changes().addAddress(ns, link, address).apply();
    }

    public void removeAddress(Netns ns, String link, Cidr address) {
        changes().removeAddress(ns, link, address).apply();
    }

    /** The IPv4 and IPv6 addresses of a link, including link-local ones. */
    public List<Cidr> addresses(Netns ns, String link) {
        Objects.requireNonNull(ns, "ns");
        Names.checkInterfaceName("link name", link);
        JsonNode items;
        try {
            items = ip.json(ns, "addresses of link '" + link + "'", "address", "show", "dev", link);
        } catch (NotFoundException e) {
            throw e;
        } catch (HostNetworkException e) {
            if (e.getMessage().contains("does not exist")) {
                throw new NotFoundException("link '" + link + "' does not exist in " + ns);
            }
            throw e;
        }
        List<Cidr> out = new ArrayList<>();
        items.forEach(item -> out.addAll(Parsing.addresses(item)));
        return out;
    }

    /** Adds a route to the main table, e.g. {@code Route.to(Cidr.parse("10.0.9.0/24")).via(gateway)}. */
    public void addRoute(Netns ns, Route route) {
        changes().addRoute(ns, route).apply();
    }

    /** Sets (or replaces) the default route of the gateway's address family. */
    public void setDefaultGateway(Netns ns, InetAddress gateway) {
        changes().setDefaultGateway(ns, gateway).apply();
    }

    /** The IPv4 and IPv6 unicast routes of the main table. */
    public List<Route> routes(Netns ns) {
        Objects.requireNonNull(ns, "ns");
        List<Route> out = new ArrayList<>();
        for (JsonNode item : ip.json(ns, "routes", "route", "show")) {
            Parsing.route(item, false).ifPresent(out::add);
        }
        for (JsonNode item : ip.json(ns, "routes", "-6", "route", "show")) {
            Parsing.route(item, true).ifPresent(out::add);
        }
        return out;
    }

    /** Turns IPv4 and IPv6 forwarding on or off in a namespace, making it a router. */
    public void setIpForwarding(Netns ns, boolean on) {
        changes().setIpForwarding(ns, on).apply();
    }

    // ---- shaping

    /**
     * Replaces the egress shaping of a link.
     *
     * @throws KernelFeatureMissingException naming "netem (tc qdisc netem)" if a delay or loss is asked for and the
     *                                       kernel lacks netem; nothing is changed then
     */
    public void shape(Netns ns, String link, Shaping shaping) {
        changes().shape(ns, link, shaping).apply();
    }

    /** Removes the egress shaping of a link; does nothing if it has none. */
    public void clearShaping(Netns ns, String link) {
        changes().clearShaping(ns, link).apply();
    }

    // ---- programs

    /**
     * Runs a program inside a namespace (or, for {@link Netns#ROOT}, directly) and waits for it. Its output is
     * drained as it comes, so it never blocks on a full pipe; after {@code timeout} it and its children are killed and
     * the result says {@link ExecResult#timedOut()}. A program that cannot be found gives a non-zero exit status.
     *
     * @throws NotFoundException if the namespace does not exist
     */
    public ExecResult exec(Netns ns, List<String> command, Duration timeout) {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(timeout, "timeout");
        if (command.isEmpty()) {
            throw new InvalidRequestException("exec in " + ns + ": the command is empty");
        }
        List<String> full = new ArrayList<>();
        if (!ns.isRoot()) {
            privileges.require();
            if (!namespaces().contains(ns.name().orElseThrow())) {
                throw new NotFoundException("cannot run '" + command.get(0) + "' in " + ns + ": it does not exist");
            }
            full.addAll(List.of(ip.ip(), "netns", "exec", ns.name().orElseThrow()));
        }
        full.addAll(command);
        ExecResult result;
        try {
            result = Processes.run(full, null, timeout);
        } catch (HostNetworkException e) {
            if (!(e.getCause() instanceof java.io.IOException)) {
                throw e;
            }
            // as a shell would say it, and as ip netns exec does for a program it cannot start
            return new ExecResult(command, 127, "", e.getMessage() + "\n", false, false, Duration.ZERO);
        }
        return new ExecResult(command, result.exitCode(), result.stdout(), result.stderr(), result.timedOut(),
                result.truncated(), result.elapsed());
    }

    // ---- kernel features

    /**
     * What this kernel can do: probed on the first call in this JVM (in a scratch namespace that is always deleted,
     * about 0.2 s), then kept, since the kernel cannot gain or lose features while it runs here.
     */
    public KernelFeatures kernelFeatures() {
        return KernelFeatures.probeOnce(ip, privileges);
    }
}
