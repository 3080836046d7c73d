package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mininet's built-in topologies, with Mininet 2.3's names, arguments, node names, link
 * order, port numbers and addresses, so {@code lab up tree,2,3} and
 * {@code mn --topo tree,2,3} build the same network. Plus {@code ring}, which Mininet lacks.
 *
 * <table>
 *   <caption>Topologies ({@code mininet/topo.py}, {@code mininet/topolib.py})</caption>
 *   <tr><th>spec</th><th>defaults</th><th>what</th></tr>
 *   <tr><td>{@code minimal}</td><td></td><td>{@code single,2}; Mininet's default topology</td></tr>
 *   <tr><td>{@code single[,k]}</td><td>k=2</td><td>switch s1; hosts h1..hk; links (h_i, s1)</td></tr>
 *   <tr><td>{@code linear[,k[,n]]}</td><td>k=2, n=1</td><td>for i in 1..k: switch s_i, its n hosts each
 *       linked (host, s_i), then link (s_i, s_{i-1}); hosts are h_i when n=1, else h_j s_i as {@code h<j>s<i>}</td></tr>
 *   <tr><td>{@code tree[,depth[,fanout]]}</td><td>depth=1, fanout=2</td><td>Mininet's recursive addTree:
 *       a switch s&lt;next&gt;, then for each of fanout children the child's subtree and a link (switch,
 *       child); at depth 0 a host h&lt;next&gt;</td></tr>
 *   <tr><td>{@code ring[,k[,n]]}</td><td>k=3, n=1</td><td>{@code linear,k,n} and one more link (s_k, s_1);
 *       k at least 3</td></tr>
 * </table>
 *
 * <p>Arguments are positional or {@code name=value}, as {@code mn --topo} takes them
 * ({@code tree,depth=2,fanout=3}). Switches are {@linkplain OvsSwitch#named standalone OVS
 * switches} with Mininet's default datapath id (the first number in the name: s12 is
 * {@code 000000000000000c}); {@link LabSpec#withController} points them at a controller.
 * Hosts get Mininet's addresses: {@code 10.0.0.<i>/8} counted from 1 over the hosts in
 * {@linkplain NaturalOrder natural order} (Mininet's {@code buildFromTopo} adds
 * {@code topo.hosts()}, sorted, and numbers them from {@code ipBase 10.0.0.0/8}), on each
 * host's first interface {@code eth0}.
 */
public final class Topologies {

    /** The lab name of a topology given none. */
    public static final String DEFAULT_LAB_NAME = "mn";
    /** Most hosts plus switches a built-in topology may have. */
    public static final int MAX_NODES = 4096;

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Map<String, List<Param>> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put("minimal", List.of());
        PARAMS.put("single", List.of(new Param("k", 2, 1)));
        PARAMS.put("linear", List.of(new Param("k", 2, 1), new Param("n", 1, 1)));
        PARAMS.put("tree", List.of(new Param("depth", 1, 1), new Param("fanout", 2, 1)));
        PARAMS.put("ring", List.of(new Param("k", 3, 3), new Param("n", 1, 1)));
    }

    private record Param(String name, int defaultValue, int min) {
    }

    private Topologies() {
    }

    /** The topology names {@link #parse} knows, with their arguments: {@code single[,k]}… */
    public static List<String> usage() {
        List<String> out = new ArrayList<>();
        PARAMS.forEach((name, params) -> {
            StringBuilder s = new StringBuilder(name);
            params.forEach(p -> s.append("[,").append(p.name()));
            params.forEach(p -> s.append(']'));
            out.add(s.toString());
        });
        return out;
    }

    /**
     * The topology {@code spec} ({@code tree,2,3}) as lab {@value #DEFAULT_LAB_NAME}.
     *
     * @throws IllegalArgumentException if the name, an argument or the size is wrong
     */
    public static LabSpec parse(String spec) {
        return parse(spec, DEFAULT_LAB_NAME);
    }

    /**
     * The topology {@code spec} ({@code tree,2,3}, {@code linear,k=4}) as lab {@code labName}.
     *
     * @throws IllegalArgumentException if the name, an argument or the size is wrong
     * @throws LabSpecException         if {@code labName} is invalid or too long for the node names
     */
    public static LabSpec parse(String spec, String labName) {
        String[] parts = spec.strip().split(",", -1);
        String name = parts[0].strip();
        List<Param> params = PARAMS.get(name);
        if (params == null) {
            throw new IllegalArgumentException("unknown topology '" + name + "'; known: " + String.join(", ", usage()));
        }
        Map<String, Integer> values = new HashMap<>();
        int positional = 0;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            int eq = part.indexOf('=');
            String key;
            String text;
            if (eq >= 0) {
                key = part.substring(0, eq).strip();
                text = part.substring(eq + 1).strip();
                if (params.stream().noneMatch(p -> p.name().equals(key))) {
                    throw new IllegalArgumentException("topology " + name + " has no argument '" + key + "'; usage: "
                            + usage().get(List.copyOf(PARAMS.keySet()).indexOf(name)));
                }
            } else {
                if (positional >= params.size()) {
                    throw new IllegalArgumentException("topology " + name + " takes at most " + params.size()
                            + " argument(s): " + usage().get(List.copyOf(PARAMS.keySet()).indexOf(name)));
                }
                key = params.get(positional++).name();
                text = part;
            }
            if (values.containsKey(key)) {
                throw new IllegalArgumentException("topology " + name + ": argument " + key + " is given twice");
            }
            values.put(key, argument(name, key, text));
        }
        int[] args = new int[params.size()];
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            args[i] = values.getOrDefault(p.name(), p.defaultValue());
            if (args[i] < p.min()) {
                throw new IllegalArgumentException("topology " + name + ": " + p.name() + " must be at least " + p.min()
                        + ", not " + args[i]);
            }
        }
        return switch (name) {
            case "minimal" -> minimal(labName);
            case "single" -> single(labName, args[0]);
            case "linear" -> linear(labName, args[0], args[1]);
            case "tree" -> tree(labName, args[0], args[1]);
            case "ring" -> ring(labName, args[0], args[1]);
            default -> throw new IllegalStateException(name);
        };
    }

    private static int argument(String topology, String key, String text) {
        if (!text.matches("\\d{1,9}")) {
            throw new IllegalArgumentException("topology " + topology + ": " + key + " must be a whole number, not '"
                    + text + "'");
        }
        return Integer.parseInt(text);
    }

    /** Mininet's MinimalTopo: {@code single,2}. */
    public static LabSpec minimal(String labName) {
        return single(labName, 2);
    }

    /** Mininet's SingleSwitchTopo(k). */
    public static LabSpec single(String labName, int k) {
        checkSize(k, 1);
        MininetTopo t = new MininetTopo();
        String sw = t.addSwitch("s1");
        for (int h = 1; h <= k; h++) {
            String host = t.addHost("h" + h);
            t.addLink(host, sw);
        }
        return t.toSpec(labName);
    }

    /** Mininet's LinearTopo(k, n). */
    public static LabSpec linear(String labName, int k, int n) {
        return linearBuild(labName, k, n, false);
    }

    /** {@code linear,k,n} closed into a ring by a link (s_k, s_1); k at least 3. */
    public static LabSpec ring(String labName, int k, int n) {
        if (k < 3) {
            throw new IllegalArgumentException("a ring needs at least 3 switches, not " + k);
        }
        return linearBuild(labName, k, n, true);
    }

    private static LabSpec linearBuild(String labName, int k, int n, boolean closeRing) {
        if (k < 1 || n < 1) {
            throw new IllegalArgumentException("k and n must be at least 1");
        }
        checkSize((long) k * n, k);
        MininetTopo t = new MininetTopo();
        String lastSwitch = null;
        for (int i = 1; i <= k; i++) {
            String sw = t.addSwitch("s" + i);
            for (int j = 1; j <= n; j++) {
                String host = t.addHost(n == 1 ? "h" + i : "h" + j + "s" + i);
                t.addLink(host, sw);
            }
            if (lastSwitch != null) {
                t.addLink(sw, lastSwitch);
            }
            lastSwitch = sw;
        }
        if (closeRing) {
            t.addLink(lastSwitch, "s1");
        }
        return t.toSpec(labName);
    }

    /** Mininet's TreeTopo(depth, fanout). */
    public static LabSpec tree(String labName, int depth, int fanout) {
        if (depth < 1 || fanout < 1) {
            throw new IllegalArgumentException("depth and fanout must be at least 1");
        }
        long hosts = 1;
        long switches = 0;
        for (int level = 0; level < depth; level++) {
            switches += hosts;
            hosts *= fanout;
            if (hosts + switches > MAX_NODES) {
                throw tooBig("tree," + depth + "," + fanout);
            }
        }
        MininetTopo t = new MininetTopo();
        t.addTree(depth, fanout);
        return t.toSpec(labName);
    }

    private static void checkSize(long hosts, long switches) {
        if (hosts + switches > MAX_NODES) {
            throw tooBig(hosts + " hosts and " + switches + " switches");
        }
    }

    private static IllegalArgumentException tooBig(String what) {
        return new IllegalArgumentException(what + " is more than " + MAX_NODES + " nodes");
    }

    /** Mininet's default datapath id: the first number in the switch's name. */
    static long mininetDatapathId(String switchName) {
        Matcher m = DIGITS.matcher(switchName);
        if (!m.find()) {
            throw new IllegalArgumentException("no number in switch name " + switchName);
        }
        return Long.parseLong(m.group());
    }

    /** The part of Mininet's Topo the built-in topologies use: nodes and links, in the order added. */
    private static final class MininetTopo {
        private final List<String> hosts = new ArrayList<>();
        private final List<String> switches = new ArrayList<>();
        private final List<String[]> links = new ArrayList<>();
        private int hostNum = 1;
        private int switchNum = 1;

        String addHost(String name) {
            hosts.add(name);
            return name;
        }

        String addSwitch(String name) {
            switches.add(name);
            return name;
        }

        void addLink(String a, String b) {
            links.add(new String[] {a, b});
        }

        /** TreeTopo.addTree. */
        String addTree(int depth, int fanout) {
            if (depth > 0) {
                String node = addSwitch("s" + switchNum++);
                for (int i = 0; i < fanout; i++) {
                    String child = addTree(depth - 1, fanout);
                    addLink(node, child);
                }
                return node;
            }
            return addHost("h" + hostNum++);
        }

        LabSpec toSpec(String labName) {
            List<String> byAddress = new ArrayList<>(hosts);
            byAddress.sort(NaturalOrder.INSTANCE);
            Map<String, Cidr> addresses = new HashMap<>();
            for (int i = 0; i < byAddress.size(); i++) {
                int ip = 0x0a000000 + i + 1;
                byte[] bytes = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
                addresses.put(byAddress.get(i), new Cidr(address(bytes), 8));
            }
            LabSpec.Builder builder = LabSpec.builder(labName);
            hosts.forEach(builder::host);
            switches.forEach(s -> builder.addSwitch(OvsSwitch.named(s).withDatapathId(mininetDatapathId(s))));
            Map<String, Boolean> addressed = new HashMap<>();
            for (String[] link : links) {
                builder.link(Link.veth(end(link[0], addresses, addressed), end(link[1], addresses, addressed)));
            }
            return builder.build();
        }

        /** The host's address goes on its first interface, Mininet's default interface. */
        private static LinkEnd end(String node, Map<String, Cidr> addresses, Map<String, Boolean> addressed) {
            Cidr cidr = addresses.get(node);
            if (cidr == null || addressed.putIfAbsent(node, true) != null) {
                return LinkEnd.of(node);
            }
            return LinkEnd.of(node).withAddresses(List.of(cidr));
        }

        private static InetAddress address(byte[] bytes) {
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
