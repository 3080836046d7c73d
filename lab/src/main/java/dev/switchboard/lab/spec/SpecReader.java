package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Cidr;
import dev.switchboard.hostnet.HostNetworkException;
import dev.switchboard.hostnet.Route;
import dev.switchboard.hostnet.Shaping;
import dev.switchboard.lab.yaml.TypedYaml;
import dev.switchboard.lab.yaml.YamlIssue;
import dev.switchboard.lab.yaml.YamlTree;
import dev.switchboard.lab.yaml.YamlTree.Mapping;
import dev.switchboard.lab.yaml.YamlTree.Scalar;
import dev.switchboard.lab.yaml.YamlTree.Sequence;
import dev.switchboard.lab.yaml.YamlTree.Value;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns a {@link YamlTree} into a {@link LabSpec}: which keys a lab file has, of which types,
 * and what they mean, read with the typed-YAML toolkit {@link TypedYaml} (which collects every
 * problem with its key path and line); then lets {@link LabSpec} check the lab as a whole and
 * gives its problems the lines of the keys they name. The YAML shape is documented on
 * {@link LabSpecs#load}; the text of values is read by {@link LabValues}.
 */
final class SpecReader {

    private static final List<String> ROOT_KEYS = List.of("name", "hosts", "switches", "links", "taps");
    private static final List<String> HOST_KEYS = List.of("gateway", "routes", "forwarding");
    private static final List<String> ROUTE_KEYS = List.of("to", "via");
    private static final List<String> OVS_KEYS = List.of("kind", "protocols", "failMode", "controller", "datapathId", "stp");
    private static final List<String> LINUX_BRIDGE_KEYS = List.of("kind", "stp");
    private static final List<String> LINK_KEYS = List.of("kind", "a", "b", "addresses", "mtu", "rate", "delay", "loss", "queue");
    private static final List<String> END_KEYS = List.of("node", "interface", "port", "addresses");
    private static final List<String> TAP_KEYS = List.of("bridge", "mode", "owner", "group");

    /** Names people bring from Mininet, OVS or habit, and what this format calls them. */
    private static final Map<String, String> RENAMED = Map.ofEntries(
            Map.entry("bw", "rate"), Map.entry("max_queue_size", "queue"), Map.entry("dpid", "datapathId"),
            Map.entry("datapath_id", "datapathId"), Map.entry("fail_mode", "failMode"), Map.entry("intf", "interface"),
            Map.entry("ip", "addresses"), Map.entry("ips", "addresses"), Map.entry("address", "addresses"),
            Map.entry("defaultRoute", "gateway"), Map.entry("type", "kind"), Map.entry("nodes", "hosts"),
            Map.entry("switch", "bridge"), Map.entry("master", "bridge"), Map.entry("user", "owner"),
            Map.entry("uid", "owner"), Map.entry("gid", "group"));

    private final TypedYaml yaml;

    private SpecReader(List<YamlIssue> parseIssues) {
        this.yaml = new TypedYaml(parseIssues, RENAMED, HostNetworkException.class);
    }

    /**
     * Reads a lab from a parsed document.
     *
     * @param source      named in the exception's messages
     * @param root        the document, {@code null} when empty
     * @param parseIssues problems found while parsing, to report with the others
     * @throws LabSpecException listing every problem
     */
    static LabSpec read(String source, Value root, List<YamlIssue> parseIssues) {
        SpecReader reader = new SpecReader(parseIssues);
        LabSpec.Builder builder = reader.root(root);
        if (reader.yaml.hasIssues() || builder == null) {
            throw new LabSpecException(source, reader.yaml.issues().stream().map(SpecReader::problem).toList());
        }
        try {
            return builder.build();
        } catch (LabSpecException e) {
            List<Problem> located = new ArrayList<>(e.problems().stream().map(reader::withLine).toList());
            located.sort(Comparator.comparingInt(p -> p.line().orElse(0)));
            throw new LabSpecException(source, located);
        }
    }

    static Problem problem(YamlIssue issue) {
        Problem problem = new Problem(issue.path(), issue.message());
        return issue.line() > 0 ? problem.atLine(issue.line()) : problem;
    }

    private Problem withLine(Problem problem) {
        OptionalInt line = yaml.lineOf(problem.path());
        return line.isPresent() ? problem.atLine(line.getAsInt()) : problem;
    }

    private LabSpec.Builder root(Value root) {
        if (root == null) {
            yaml.problem("", "the file is empty; a lab is a mapping with name, hosts, switches and links");
            return null;
        }
        if (!(root instanceof Mapping doc)) {
            yaml.lineAt("", root.line());
            yaml.problem("", "a lab is a mapping with name, hosts, switches and links, not " + TypedYaml.describe(root));
            return null;
        }
        yaml.record(doc, "");
        yaml.keys(doc, "", ROOT_KEYS);
        LabSpec.Builder builder = LabSpec.builder(null);
        Optional<String> name = yaml.parsed(doc, "name", "", text -> {
            LabNames.checkLabName(text);
            return text;
        });
        if (name.isPresent()) {
            builder.name(name.get());
        } else if (!doc.entries().containsKey("name")) {
            yaml.lineAt("name", doc.line());
            yaml.problem("name", "missing: every lab needs a name, a lower-case letter followed by up to "
                    + (LabNames.MAX_LAB_NAME - 1) + " lower-case letters or digits");
        }
        yaml.optionalMapping(doc, "hosts", "").ifPresent(hosts -> hosts.entries().forEach((hostName, body) ->
                host(hostName, body, "hosts." + hostName).ifPresent(builder::host)));
        yaml.optionalMapping(doc, "switches", "").ifPresent(switches -> switches.entries().forEach((switchName, body) ->
                switchOf(switchName, body, "switches." + switchName).ifPresent(builder::addSwitch)));
        yaml.optionalSequence(doc, "links", "", "").ifPresent(links -> {
            for (int i = 0; i < links.items().size(); i++) {
                link(links.items().get(i), "links[" + i + "]").ifPresent(builder::link);
            }
        });
        yaml.optionalMapping(doc, "taps", "").ifPresent(taps -> taps.entries().forEach((tapName, body) ->
                tap(tapName, body, "taps." + tapName).ifPresent(builder::tap)));
        return builder;
    }

    private Optional<Tap> tap(String name, Value value, String path) {
        Optional<Mapping> body = body(value, path, "tap " + name);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = body.get();
        int before = yaml.issueCount();
        yaml.keys(m, path, TAP_KEYS);
        Optional<String> bridge = yaml.text(m, "bridge", path);
        TapMode mode = yaml.parsed(m, "mode", path, TapMode::fromText).orElse(TapMode.TAP);
        OptionalInt owner = yaml.integer(m, "owner", path);
        OptionalInt group = yaml.integer(m, "group", path);
        if (yaml.issueCount() > before) {
            return Optional.empty();
        }
        return yaml.construct(path, () -> new Tap(name, bridge, mode, owner, group));
    }

    private Optional<Host> host(String name, Value value, String path) {
        Optional<Mapping> body = body(value, path, "host " + name);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = body.get();
        int before = yaml.issueCount();
        yaml.keys(m, path, HOST_KEYS);
        Optional<InetAddress> gateway = yaml.parsed(m, "gateway", path, LabValues::address);
        List<Route> routes = new ArrayList<>();
        yaml.optionalSequence(m, "routes", path, "").ifPresent(seq -> {
            for (int i = 0; i < seq.items().size(); i++) {
                route(seq.items().get(i), path + ".routes[" + i + "]").ifPresent(routes::add);
            }
        });
        boolean forwarding = yaml.bool(m, "forwarding", path).orElse(false);
        return yaml.issueCount() > before ? Optional.empty() : yaml.construct(path, () -> new Host(name, gateway, routes, forwarding));
    }

    private Optional<Route> route(Value value, String path) {
        Optional<Mapping> m = yaml.mapping(value, path, "a route like {to: 10.9.0.0/16, via: 10.0.8.254}");
        if (m.isEmpty()) {
            return Optional.empty();
        }
        yaml.keys(m.get(), path, ROUTE_KEYS);
        Optional<String> to = yaml.required(m.get(), "to", path);
        Optional<String> via = yaml.required(m.get(), "via", path);
        if (to.isEmpty() || via.isEmpty()) {
            return Optional.empty();
        }
        return yaml.construct(path, () -> LabValues.route(to.get(), via.get()));
    }

    private Optional<Switch> switchOf(String name, Value value, String path) {
        Optional<Mapping> body = body(value, path, "switch " + name);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = body.get();
        int before = yaml.issueCount();
        SwitchKind kind = yaml.parsed(m, "kind", path, SwitchKind::fromText).orElse(SwitchKind.OVS);
        if (kind == SwitchKind.LINUX_BRIDGE) {
            Set<String> ovsOnly = new LinkedHashSet<>();
            for (String key : m.entries().keySet()) {
                if (OVS_KEYS.contains(key) && !LINUX_BRIDGE_KEYS.contains(key)) {
                    yaml.problem(path + "." + key, "only kind ovs has " + key + "; " + name + " is a linux-bridge");
                    ovsOnly.add(key);
                }
            }
            yaml.keys(m, path, LINUX_BRIDGE_KEYS, ovsOnly);
            boolean stp = yaml.bool(m, "stp", path).orElse(false);
            return yaml.issueCount() > before ? Optional.empty() : yaml.construct(path, () -> new LinuxBridge(name, stp));
        }
        yaml.keys(m, path, OVS_KEYS);
        boolean stp = yaml.bool(m, "stp", path).orElse(false);
        List<OpenFlowVersion> protocols = new ArrayList<>();
        yaml.optionalSequence(m, "protocols", path, " like [OpenFlow13]").ifPresent(seq -> {
            for (int i = 0; i < seq.items().size(); i++) {
                String itemPath = path + ".protocols[" + i + "]";
                Value item = seq.items().get(i);
                yaml.lineAt(itemPath, item.line());
                yaml.scalarText(item, itemPath).flatMap(text -> yaml.convert(itemPath, item.line(), text, OpenFlowVersion::fromText))
                        .ifPresent(protocols::add);
            }
        });
        Optional<FailMode> failMode = yaml.parsed(m, "failMode", path, FailMode::fromText);
        Optional<ControllerTarget> controller = yaml.parsed(m, "controller", path, ControllerTarget::parse);
        OptionalLong datapathId = OptionalLong.empty();
        Value dpid = m.entries().get("datapathId");
        if (dpid instanceof Scalar s && s.value() instanceof Number) {
            yaml.problem(path + ".datapathId", "write the datapath id as quoted hex, like \"0000000000000001\" (YAML reads"
                    + " unquoted digits as a decimal or octal number)");
        } else {
            Optional<Long> parsed = yaml.parsed(m, "datapathId", path, OvsSwitch::parseDatapathId);
            if (parsed.isPresent()) {
                datapathId = OptionalLong.of(parsed.get());
            }
        }
        List<OpenFlowVersion> versions = m.entries().containsKey("protocols") ? protocols : OvsSwitch.DEFAULT_PROTOCOLS;
        OptionalLong id = datapathId;
        if (yaml.issueCount() > before) {
            return Optional.empty();
        }
        return yaml.construct(path, () -> new OvsSwitch(name, versions, failMode, controller, id, stp));
    }

    private Optional<Link> link(Value value, String path) {
        Optional<Mapping> body = yaml.mapping(value, path, "a link like {a: h1, b: s1}");
        if (body.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = body.get();
        int before = yaml.issueCount();
        yaml.keys(m, path, LINK_KEYS);
        Optional<LinkEnd> a = end(m, "a", path);
        Optional<LinkEnd> b = end(m, "b", path);
        LinkKind kind = yaml.parsed(m, "kind", path, LinkKind::fromText).orElse(LinkKind.VETH);
        OptionalInt mtu = yaml.integer(m, "mtu", path);
        Optional<Shaping> shaping = shaping(m, path);
        Optional<LinkEnd[]> ends = linkAddresses(m, path, a.orElse(null), b.orElse(null));
        if (a.isEmpty() || b.isEmpty() || ends.isEmpty() || yaml.issueCount() > before) {
            return Optional.empty();
        }
        LinkEnd endA = ends.get()[0];
        LinkEnd endB = ends.get()[1];
        return yaml.construct(path, () -> new Link(endA, endB, kind, mtu, shaping));
    }

    /**
     * Applies the link-level {@code addresses: {node: [...]}} to the ends. An end that could
     * not be read is {@code null}: its addresses are still checked, but cannot be placed.
     */
    private Optional<LinkEnd[]> linkAddresses(Mapping m, String path, LinkEnd a, LinkEnd b) {
        LinkEnd[] ends = {a, b};
        Optional<Mapping> byNode = yaml.optionalMapping(m, "addresses", path);
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
                yaml.problem(nodePath, node + " is not an end of this link (" + a.node() + ", " + b.node() + ")");
                ok = false;
                continue;
            }
            if (!ends[which].addresses().isEmpty()) {
                yaml.problem(nodePath, "the addresses of " + node + " are given twice, here and on its end");
                ok = false;
                continue;
            }
            if (cidrs.isEmpty()) {
                ok = false;
                continue;
            }
            LinkEnd end = ends[which];
            Optional<LinkEnd> with = yaml.construct(nodePath, () -> end.withAddresses(cidrs.get()));
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
            yaml.lineAt(path, link.line());
            yaml.problem(path, "missing: a link has two ends, a and b, each a node name or {node: …}");
            return Optional.empty();
        }
        if (value instanceof Scalar s && s.value() instanceof String node) {
            return yaml.construct(path, () -> LinkEnd.of(node));
        }
        if (!(value instanceof Mapping m)) {
            yaml.problem(path, "expected a node name or {node: NAME, interface: …, port: …, addresses: […]}, found "
                    + TypedYaml.describe(value) + (value instanceof Scalar s && s.value() instanceof Number ? " (quote a numeric name)" : ""));
            return Optional.empty();
        }
        yaml.record(m, path);
        int before = yaml.issueCount();
        yaml.keys(m, path, END_KEYS);
        Optional<String> node = yaml.required(m, "node", path);
        Optional<String> interfaceName = yaml.text(m, "interface", path);
        OptionalInt port = yaml.integer(m, "port", path);
        Optional<List<Cidr>> addresses = m.entries().containsKey("addresses")
                ? cidrList(m.entries().get("addresses"), path + ".addresses") : Optional.of(List.of());
        if (node.isEmpty() || addresses.isEmpty() || yaml.issueCount() > before) {
            return Optional.empty();
        }
        return yaml.construct(path, () -> new LinkEnd(node.get(), interfaceName, port, addresses.get()));
    }

    private Optional<List<Cidr>> cidrList(Value value, String path) {
        if (!(value instanceof Sequence seq)) {
            yaml.problem(path, "expected a list of addresses like [10.0.8.1/24], found " + TypedYaml.describe(value));
            return Optional.empty();
        }
        List<Cidr> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.items().size(); i++) {
            String itemPath = path + "[" + i + "]";
            Value item = seq.items().get(i);
            yaml.lineAt(itemPath, item.line());
            Optional<Cidr> cidr = yaml.scalarText(item, itemPath).flatMap(t -> yaml.convert(itemPath, item.line(), t, LabValues::cidr));
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
                parsed = yaml.convert(ratePath, s.line(), n.toString(), Rate::parse);
            } else if (rate instanceof Scalar s && s.value() instanceof String t) {
                parsed = yaml.convert(ratePath, s.line(), t, Rate::parse);
            } else {
                yaml.problem(ratePath, "expected a rate like 10mbit or a number of Mbit/s, found " + TypedYaml.describe(rate));
            }
            if (parsed.isPresent()) {
                shaping.rateBitsPerSecond(parsed.get().bitsPerSecond());
                any = true;
            }
        }
        Value delayValue = m.entries().get("delay");
        if (delayValue instanceof Scalar s && s.value() instanceof Number n) {
            yaml.problem(path + ".delay", "a delay needs a unit: write " + n + "ms, " + n + "us or " + n + "s");
        } else {
            Optional<Duration> delay = yaml.parsed(m, "delay", path, LabValues::delay);
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
                percent = yaml.convert(lossPath, s.line(), s.value().toString(), LabValues::loss);
            } else {
                yaml.problem(lossPath, "expected a loss percentage like 1 or 0.5%, found " + TypedYaml.describe(loss));
            }
            if (percent.isPresent()) {
                shaping.lossPercent(percent.get());
                any = true;
            }
        }
        OptionalInt queue = yaml.integer(m, "queue", path);
        if (queue.isPresent()) {
            if (queue.getAsInt() < 1) {
                yaml.problem(path + ".queue", "a queue holds at least 1 packet");
            } else {
                shaping.queuePackets(queue.getAsInt());
                any = true;
            }
        }
        return any ? Optional.of(shaping.build()) : Optional.empty();
    }

    /** A host or switch body: a mapping, or nothing at all ({@code h1:} or {@code h1: {}}) for every default. */
    private Optional<Mapping> body(Value value, String path, String what) {
        yaml.lineAt(path, value.line());
        if (value instanceof Scalar s && (s.value() == null || "".equals(s.value()))) {
            return Optional.of(new Mapping(Map.of(), Map.of(), value.line()));
        }
        return yaml.mapping(value, path, "the settings of " + what + " ({} for the defaults)");
    }
}
