package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Cidr;
import dev.switchboard.hostnet.HostNetworkException;
import dev.switchboard.hostnet.Route;
import dev.switchboard.hostnet.Shaping;
import dev.switchboard.lab.yaml.YamlTree;
import dev.switchboard.lab.yaml.YamlTree.Mapping;
import dev.switchboard.lab.yaml.YamlTree.Scalar;
import dev.switchboard.lab.yaml.YamlTree.Sequence;
import dev.switchboard.lab.yaml.YamlTree.Value;

import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns a {@link YamlTree} into a {@link LabSpec}: checks keys and types, collecting every
 * problem with its key path and line, then lets {@link LabSpec} check the lab as a whole and
 * gives its problems the lines of the keys they name. The YAML shape is documented on
 * {@link LabSpecs#load}.
 */
final class SpecReader {

    private static final Set<String> ROOT_KEYS = Set.of("name", "hosts", "switches", "links", "taps");
    private static final Set<String> HOST_KEYS = Set.of("gateway", "routes", "forwarding");
    private static final Set<String> ROUTE_KEYS = Set.of("to", "via");
    private static final Set<String> OVS_KEYS = Set.of("kind", "stp", "protocols", "failMode", "controller", "datapathId");
    private static final Set<String> LINUX_BRIDGE_KEYS = Set.of("kind", "stp");
    private static final Set<String> LINK_KEYS = Set.of("a", "b", "kind", "mtu", "rate", "delay", "loss", "queue", "addresses");
    private static final Set<String> END_KEYS = Set.of("node", "interface", "port", "addresses");
    private static final Set<String> TAP_KEYS = Set.of("bridge", "mode", "owner", "group");

    /** Names people bring from Mininet, OVS or habit, and what this format calls them. */
    private static final Map<String, String> RENAMED = Map.ofEntries(
            Map.entry("bw", "rate"), Map.entry("max_queue_size", "queue"), Map.entry("dpid", "datapathId"),
            Map.entry("datapath_id", "datapathId"), Map.entry("fail_mode", "failMode"), Map.entry("intf", "interface"),
            Map.entry("ip", "addresses"), Map.entry("ips", "addresses"), Map.entry("address", "addresses"),
            Map.entry("defaultRoute", "gateway"), Map.entry("type", "kind"), Map.entry("nodes", "hosts"),
            Map.entry("switch", "bridge"), Map.entry("master", "bridge"), Map.entry("user", "owner"),
            Map.entry("uid", "owner"), Map.entry("gid", "group"));

    private final List<Problem> problems;
    private final Map<String, Integer> lines = new HashMap<>();
    /** Paths with a YAML-level problem (an alias): what is read there would only add noise. */
    private final Set<String> spoiled = new HashSet<>();

    private SpecReader(List<Problem> problems) {
        this.problems = problems;
        problems.forEach(p -> spoiled.add(p.path()));
    }

    /**
     * Reads a lab from a parsed document.
     *
     * @param source   named in the exception's messages
     * @param root     the document, {@code null} when empty
     * @param problems problems found while parsing, to report with the others
     * @throws LabSpecException listing every problem
     */
    static LabSpec read(String source, Value root, List<Problem> problems) {
        SpecReader reader = new SpecReader(new ArrayList<>(problems));
        LabSpec.Builder builder = reader.root(root);
        if (!reader.problems.isEmpty() || builder == null) {
            throw new LabSpecException(source, byLine(reader.problems));
        }
        try {
            return builder.build();
        } catch (LabSpecException e) {
            throw new LabSpecException(source, byLine(e.problems().stream().map(reader::withLine).toList()));
        }
    }

    /** Problems in file order; those without a line first, the order found kept among equals. */
    private static List<Problem> byLine(List<Problem> problems) {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(p -> p.line().orElse(0)));
        return sorted;
    }

    private Problem withLine(Problem problem) {
        String path = problem.path();
        while (!path.isEmpty()) {
            Integer line = lines.get(path);
            if (line != null) {
                return problem.atLine(line);
            }
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            path = cut < 0 ? "" : path.substring(0, cut);
        }
        return problem;
    }

    private LabSpec.Builder root(Value root) {
        if (root == null) {
            problems.add(new Problem("", "the file is empty; a lab is a mapping with name, hosts, switches and links"));
            return null;
        }
        if (!(root instanceof Mapping doc)) {
            problems.add(new Problem("", "a lab is a mapping with name, hosts, switches and links, not "
                    + describe(root)).atLine(root.line()));
            return null;
        }
        record(doc, "");
        keys(doc, "", ROOT_KEYS);
        LabSpec.Builder builder = LabSpec.builder(null);
        Optional<String> name = parsed(doc, "name", "", text -> {
            LabNames.checkLabName(text);
            return text;
        });
        if (name.isPresent()) {
            builder.name(name.get());
        } else if (!doc.entries().containsKey("name")) {
            problems.add(new Problem("name", "missing: every lab needs a name, a lower-case letter followed by up to "
                    + (LabNames.MAX_LAB_NAME - 1) + " lower-case letters or digits").atLine(doc.line()));
        }
        optionalMapping(doc, "hosts", "").ifPresent(hosts -> hosts.entries().forEach((hostName, body) ->
                host(hostName, body, "hosts." + hostName).ifPresent(builder::host)));
        optionalMapping(doc, "switches", "").ifPresent(switches -> switches.entries().forEach((switchName, body) ->
                switchOf(switchName, body, "switches." + switchName).ifPresent(builder::addSwitch)));
        optionalSequence(doc, "links", "").ifPresent(links -> {
            for (int i = 0; i < links.items().size(); i++) {
                link(links.items().get(i), "links[" + i + "]").ifPresent(builder::link);
            }
        });
        optionalMapping(doc, "taps", "").ifPresent(taps -> taps.entries().forEach((tapName, body) ->
                tap(tapName, body, "taps." + tapName).ifPresent(builder::tap)));
        return builder;
    }

    private Optional<Tap> tap(String name, Value value, String path) {
        Optional<Mapping> body = body(value, path, "tap " + name);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = body.get();
        int before = problems.size();
        keys(m, path, TAP_KEYS);
        Optional<String> bridge = text(m, "bridge", path);
        TapMode mode = parsed(m, "mode", path, TapMode::fromText).orElse(TapMode.TAP);
        OptionalInt owner = integer(m, "owner", path);
        OptionalInt group = integer(m, "group", path);
        if (problems.size() > before) {
            return Optional.empty();
        }
        return construct(path, () -> new Tap(name, bridge, mode, owner, group));
    }

    private Optional<Host> host(String name, Value value, String path) {
        Optional<Mapping> body = body(value, path, "host " + name);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = body.get();
        int before = problems.size();
        keys(m, path, HOST_KEYS);
        Optional<InetAddress> gateway = parsed(m, "gateway", path, LabValues::address);
        List<Route> routes = new ArrayList<>();
        optionalSequence(m, "routes", path).ifPresent(seq -> {
            for (int i = 0; i < seq.items().size(); i++) {
                route(seq.items().get(i), path + ".routes[" + i + "]").ifPresent(routes::add);
            }
        });
        boolean forwarding = bool(m, "forwarding", path).orElse(false);
        return problems.size() > before ? Optional.empty() : construct(path, () -> new Host(name, gateway, routes, forwarding));
    }

    private Optional<Route> route(Value value, String path) {
        Optional<Mapping> m = mapping(value, path, "a route like {to: 10.9.0.0/16, via: 10.0.8.254}");
        if (m.isEmpty()) {
            return Optional.empty();
        }
        keys(m.get(), path, ROUTE_KEYS);
        Optional<String> to = required(m.get(), "to", path);
        Optional<String> via = required(m.get(), "via", path);
        if (to.isEmpty() || via.isEmpty()) {
            return Optional.empty();
        }
        return construct(path, () -> LabValues.route(to.get(), via.get()));
    }

    private Optional<Switch> switchOf(String name, Value value, String path) {
        Optional<Mapping> body = body(value, path, "switch " + name);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = body.get();
        int before = problems.size();
        SwitchKind kind = parsed(m, "kind", path, SwitchKind::fromText).orElse(SwitchKind.OVS);
        if (kind == SwitchKind.LINUX_BRIDGE) {
            Set<String> ovsOnly = new LinkedHashSet<>();
            for (String key : m.entries().keySet()) {
                if (OVS_KEYS.contains(key) && !LINUX_BRIDGE_KEYS.contains(key)) {
                    problem(path + "." + key, "only kind ovs has " + key + "; " + name + " is a linux-bridge");
                    ovsOnly.add(key);
                }
            }
            keys(m, path, LINUX_BRIDGE_KEYS, ovsOnly);
            boolean stp = bool(m, "stp", path).orElse(false);
            return problems.size() > before ? Optional.empty() : construct(path, () -> new LinuxBridge(name, stp));
        }
        keys(m, path, OVS_KEYS);
        boolean stp = bool(m, "stp", path).orElse(false);
        List<OpenFlowVersion> protocols = new ArrayList<>();
        optionalSequence(m, "protocols", path).ifPresent(seq -> {
            for (int i = 0; i < seq.items().size(); i++) {
                String itemPath = path + ".protocols[" + i + "]";
                Value item = seq.items().get(i);
                lines.put(itemPath, item.line());
                scalarText(item, itemPath).flatMap(text -> convert(itemPath, item.line(), text, OpenFlowVersion::fromText))
                        .ifPresent(protocols::add);
            }
        });
        Optional<FailMode> failMode = parsed(m, "failMode", path, FailMode::fromText);
        Optional<ControllerTarget> controller = parsed(m, "controller", path, ControllerTarget::parse);
        OptionalLong datapathId = OptionalLong.empty();
        Value dpid = m.entries().get("datapathId");
        if (dpid instanceof Scalar s && s.value() instanceof Number) {
            problem(path + ".datapathId", "write the datapath id as quoted hex, like \"0000000000000001\" (YAML reads"
                    + " unquoted digits as a decimal or octal number)");
        } else {
            Optional<Long> parsed = parsed(m, "datapathId", path, OvsSwitch::parseDatapathId);
            if (parsed.isPresent()) {
                datapathId = OptionalLong.of(parsed.get());
            }
        }
        List<OpenFlowVersion> versions = m.entries().containsKey("protocols") ? protocols : OvsSwitch.DEFAULT_PROTOCOLS;
        OptionalLong id = datapathId;
        if (problems.size() > before) {
            return Optional.empty();
        }
        return construct(path, () -> new OvsSwitch(name, versions, failMode, controller, id, stp));
    }

    private Optional<Link> link(Value value, String path) {
        Optional<Mapping> body = mapping(value, path, "a link like {a: h1, b: s1}");
        if (body.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = body.get();
        int before = problems.size();
        keys(m, path, LINK_KEYS);
        Optional<LinkEnd> a = end(m, "a", path);
        Optional<LinkEnd> b = end(m, "b", path);
        LinkKind kind = parsed(m, "kind", path, LinkKind::fromText).orElse(LinkKind.VETH);
        OptionalInt mtu = integer(m, "mtu", path);
        Optional<Shaping> shaping = shaping(m, path);
        Optional<LinkEnd[]> ends = linkAddresses(m, path, a.orElse(null), b.orElse(null));
        if (a.isEmpty() || b.isEmpty() || ends.isEmpty() || problems.size() > before) {
            return Optional.empty();
        }
        LinkEnd endA = ends.get()[0];
        LinkEnd endB = ends.get()[1];
        return construct(path, () -> new Link(endA, endB, kind, mtu, shaping));
    }

    /**
     * Applies the link-level {@code addresses: {node: [...]}} to the ends. An end that could
     * not be read is {@code null}: its addresses are still checked, but cannot be placed.
     */
    private Optional<LinkEnd[]> linkAddresses(Mapping m, String path, LinkEnd a, LinkEnd b) {
        LinkEnd[] ends = {a, b};
        Optional<Mapping> byNode = optionalMapping(m, "addresses", path);
        if (byNode.isEmpty()) {
            return Optional.of(ends);
        }
        boolean ok = true;
        for (Map.Entry<String, Value> entry : byNode.get().entries().entrySet()) {
            String node = entry.getKey();
            String nodePath = path + ".addresses." + node;
            Optional<List<Cidr>> cidrs = cidrList(entry.getValue(), nodePath);
            if (a == null || b == null) {
                ok = false;
                continue;
            }
            int which = node.equals(a.node()) ? 0 : node.equals(b.node()) ? 1 : -1;
            if (which < 0) {
                problem(nodePath, node + " is not an end of this link (" + a.node() + ", " + b.node() + ")");
                ok = false;
                continue;
            }
            if (!ends[which].addresses().isEmpty()) {
                problem(nodePath, "the addresses of " + node + " are given twice, here and on its end");
                ok = false;
                continue;
            }
            if (cidrs.isEmpty()) {
                ok = false;
                continue;
            }
            LinkEnd end = ends[which];
            Optional<LinkEnd> with = construct(nodePath, () -> end.withAddresses(cidrs.get()));
            if (with.isEmpty()) {
                ok = false;
                continue;
            }
            ends[which] = with.get();
        }
        return ok ? Optional.of(ends) : Optional.empty();
    }

    private Optional<LinkEnd> end(Mapping link, String key, String linkPath) {
        String path = linkPath + "." + key;
        Value value = link.entries().get(key);
        if (value == null) {
            lines.put(path, link.line());
            problem(path, "missing: a link has two ends, a and b, each a node name or {node: …}");
            return Optional.empty();
        }
        if (value instanceof Scalar s && s.value() instanceof String node) {
            return construct(path, () -> LinkEnd.of(node));
        }
        if (!(value instanceof Mapping m)) {
            problem(path, "expected a node name or {node: NAME, interface: …, port: …, addresses: […]}, found "
                    + describe(value) + (value instanceof Scalar s && s.value() instanceof Number ? " (quote a numeric name)" : ""));
            return Optional.empty();
        }
        record(m, path);
        int before = problems.size();
        keys(m, path, END_KEYS);
        Optional<String> node = required(m, "node", path);
        Optional<String> interfaceName = text(m, "interface", path);
        OptionalInt port = integer(m, "port", path);
        Optional<List<Cidr>> addresses = m.entries().containsKey("addresses")
                ? cidrList(m.entries().get("addresses"), path + ".addresses") : Optional.of(List.of());
        if (node.isEmpty() || addresses.isEmpty() || problems.size() > before) {
            return Optional.empty();
        }
        return construct(path, () -> new LinkEnd(node.get(), interfaceName, port, addresses.get()));
    }

    private Optional<List<Cidr>> cidrList(Value value, String path) {
        if (!(value instanceof Sequence seq)) {
            problem(path, "expected a list of addresses like [10.0.8.1/24], found " + describe(value));
            return Optional.empty();
        }
        List<Cidr> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.items().size(); i++) {
            String itemPath = path + "[" + i + "]";
            Value item = seq.items().get(i);
            lines.put(itemPath, item.line());
            Optional<Cidr> cidr = scalarText(item, itemPath).flatMap(t -> convert(itemPath, item.line(), t, LabValues::cidr));
            if (cidr.isPresent()) {
                out.add(cidr.get());
            } else {
                ok = false;
            }
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /** The link's rate, delay, loss and queue; a rate is shaped by HTB, as Mininet's TCLink does. */
    private Optional<Shaping> shaping(Mapping m, String path) {
        Shaping.Builder shaping = Shaping.builder().limiter(Shaping.RateLimiter.HTB);
        boolean any = false;
        Value rate = m.entries().get("rate");
        if (rate != null) {
            String ratePath = path + ".rate";
            Optional<Rate> parsed = Optional.empty();
            if (rate instanceof Scalar s && s.value() instanceof Number n && !(s.value() instanceof Boolean)) {
                parsed = convert(ratePath, s.line(), n.toString(), Rate::parse);
            } else if (rate instanceof Scalar s && s.value() instanceof String t) {
                parsed = convert(ratePath, s.line(), t, Rate::parse);
            } else {
                problem(ratePath, "expected a rate like 10mbit or a number of Mbit/s, found " + describe(rate));
            }
            if (parsed.isPresent()) {
                shaping.rateBitsPerSecond(parsed.get().bitsPerSecond());
                any = true;
            }
        }
        Value delayValue = m.entries().get("delay");
        if (delayValue instanceof Scalar s && s.value() instanceof Number n) {
            problem(path + ".delay", "a delay needs a unit: write " + n + "ms, " + n + "us or " + n + "s");
        } else {
            Optional<Duration> delay = parsed(m, "delay", path, LabValues::delay);
            if (delay.isPresent()) {
                shaping.delay(delay.get());
                any = true;
            }
        }
        Value loss = m.entries().get("loss");
        if (loss != null) {
            String lossPath = path + ".loss";
            Optional<Double> percent = Optional.empty();
            if (loss instanceof Scalar s && (s.value() instanceof Number || s.value() instanceof String)) {
                percent = convert(lossPath, s.line(), s.value().toString(), LabValues::loss);
            } else {
                problem(lossPath, "expected a loss percentage like 1 or 0.5%, found " + describe(loss));
            }
            if (percent.isPresent()) {
                shaping.lossPercent(percent.get());
                any = true;
            }
        }
        OptionalInt queue = integer(m, "queue", path);
        if (queue.isPresent()) {
            if (queue.getAsInt() < 1) {
                problem(path + ".queue", "a queue holds at least 1 packet");
            } else {
                shaping.queuePackets(queue.getAsInt());
                any = true;
            }
        }
        return any ? Optional.of(shaping.build()) : Optional.empty();
    }

    // ---- typed access; each records the key's line and reports wrong types ----

    private void keys(Mapping m, String path, Set<String> allowed) {
        keys(m, path, allowed, Set.of());
    }

    /** Reports keys outside {@code allowed}, except those in {@code reportedElsewhere}. */
    private void keys(Mapping m, String path, Set<String> allowed, Set<String> reportedElsewhere) {
        for (String key : m.keyLines().keySet()) {
            if (!allowed.contains(key) && !reportedElsewhere.contains(key)) {
                problem(path.isEmpty() ? key : path + "." + key, "unknown key" + suggestion(key, allowed)
                        + "; expected one of " + String.join(", ", ordered(allowed)));
            }
        }
    }

    /** Remembers the line of every key of {@code m}, for problems found later. */
    private Mapping record(Mapping m, String path) {
        lines.putIfAbsent(path, m.line());
        m.keyLines().forEach((key, line) -> lines.putIfAbsent(path.isEmpty() ? key : path + "." + key, line));
        return m;
    }

    private static List<String> ordered(Set<String> keys) {
        List<String> order = List.of("name", "hosts", "switches", "links", "taps", "gateway", "routes", "forwarding", "to", "via",
                "kind", "protocols", "failMode", "controller", "datapathId", "stp", "a", "b", "node", "interface", "port",
                "addresses", "mtu", "rate", "delay", "loss", "queue", "bridge", "mode", "owner", "group");
        return order.stream().filter(keys::contains).toList();
    }

    private static String suggestion(String key, Set<String> allowed) {
        String renamed = RENAMED.get(key);
        if (renamed != null && allowed.contains(renamed)) {
            return " (did you mean " + renamed + "?)";
        }
        for (String candidate : ordered(allowed)) {
            if (candidate.equalsIgnoreCase(key) || distance(candidate.toLowerCase(), key.toLowerCase()) <= 2) {
                return " (did you mean " + candidate + "?)";
            }
        }
        return "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** A host or switch body: a mapping, or nothing at all ({@code h1:} or {@code h1: {}}) for every default. */
    private Optional<Mapping> body(Value value, String path, String what) {
        lines.put(path, value.line());
        if (value instanceof Scalar s && (s.value() == null || "".equals(s.value()))) {
            return Optional.of(new Mapping(Map.of(), Map.of(), value.line()));
        }
        return mapping(value, path, "the settings of " + what + " ({} for the defaults)");
    }

    private Optional<Mapping> mapping(Value value, String path, String expected) {
        lines.putIfAbsent(path, value.line());
        if (value instanceof Mapping m) {
            return Optional.of(record(m, path));
        }
        problem(path, "expected " + expected + ", found " + describe(value));
        return Optional.empty();
    }

    private Optional<Mapping> optionalMapping(Mapping parent, String key, String path) {
        Value value = parent.entries().get(key);
        String keyPath = path.isEmpty() ? key : path + "." + key;
        if (value == null || value instanceof Scalar s && s.value() == null) {
            return Optional.empty();
        }
        return mapping(value, keyPath, "a mapping");
    }

    private Optional<Sequence> optionalSequence(Mapping parent, String key, String path) {
        Value value = parent.entries().get(key);
        String keyPath = path.isEmpty() ? key : path + "." + key;
        if (value == null || value instanceof Scalar s && s.value() == null) {
            return Optional.empty();
        }
        if (value instanceof Sequence seq) {
            return Optional.of(seq);
        }
        problem(keyPath, "expected a list" + (key.equals("protocols") ? " like [OpenFlow13]" : "") + ", found " + describe(value));
        return Optional.empty();
    }

    private Optional<String> text(Mapping parent, String key, String path) {
        Value value = parent.entries().get(key);
        if (value == null) {
            return Optional.empty();
        }
        return scalarText(value, path.isEmpty() ? key : path + "." + key);
    }

    private Optional<String> required(Mapping parent, String key, String path) {
        if (!parent.entries().containsKey(key)) {
            lines.put(path + "." + key, parent.line());
            problem(path + "." + key, "missing");
            return Optional.empty();
        }
        return text(parent, key, path);
    }

    private Optional<String> scalarText(Value value, String path) {
        if (value instanceof Scalar s && s.value() instanceof String text) {
            return Optional.of(text);
        }
        problem(path, "expected text, found " + describe(value));
        return Optional.empty();
    }

    private Optional<Boolean> bool(Mapping parent, String key, String path) {
        Value value = parent.entries().get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Scalar s && s.value() instanceof Boolean b) {
            return Optional.of(b);
        }
        problem(path + "." + key, "expected true or false, found " + describe(value));
        return Optional.empty();
    }

    private OptionalInt integer(Mapping parent, String key, String path) {
        Value value = parent.entries().get(key);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value instanceof Scalar s && s.value() instanceof Number n && !(n instanceof Double)) {
            BigInteger big = new BigInteger(n.toString());
            if (big.bitLength() < 32) {
                return OptionalInt.of(big.intValueExact());
            }
            problem(path + "." + key, n + " is too large");
            return OptionalInt.empty();
        }
        problem(path + "." + key, "expected a whole number, found " + describe(value));
        return OptionalInt.empty();
    }

    private <T> Optional<T> parsed(Mapping parent, String key, String path, Function<String, T> parser) {
        String keyPath = path.isEmpty() ? key : path + "." + key;
        return text(parent, key, path).flatMap(t -> convert(keyPath, parent.line(), t, parser));
    }

    private <T> Optional<T> convert(String path, int line, String text, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(text));
        } catch (IllegalArgumentException | HostNetworkException e) {
            lines.putIfAbsent(path, line);
            problem(path, e.getMessage());
            return Optional.empty();
        }
    }

    private <T> Optional<T> construct(String path, Supplier<T> constructor) {
        try {
            return Optional.of(constructor.get());
        } catch (IllegalArgumentException | HostNetworkException | NullPointerException e) {
            problem(path, e.getMessage());
            return Optional.empty();
        }
    }

    private void problem(String path, String message) {
        if (spoiled.contains(path)) {
            return;
        }
        Integer line = lines.get(path);
        Problem p = new Problem(path, message);
        problems.add(line == null ? withLine(p) : p.atLine(line));
    }

    private static String describe(Value value) {
        if (value instanceof Mapping) {
            return "a mapping";
        }
        if (value instanceof Sequence) {
            return "a list";
        }
        Scalar s = (Scalar) value;
        return s.typeName() + (s.value() == null ? "" : " (" + s.value() + ")");
    }
}
