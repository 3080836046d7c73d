package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.hostnet.ExecResult;
import dev.switchboard.ovs.runtime.Commands;
import dev.switchboard.ovs.runtime.PrivateOvs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code lab up --topo tree,2,3} builds the network real Mininet builds for
 * {@code mn --topo tree,2,3}: the same hosts, switches and links, port for port. Mininet's
 * side is read from its own {@code links} command; ours from the kernel and OVS.
 */
@RunsAlone("a fixed lab name in the default labs directory (shared with the demo); `mn` cleans up every Mininet on the host when it fails")
class MininetParityIT {
    private static final Path ROOT = Path.of(System.getProperty("switchboard.root", "..")).toAbsolutePath().normalize();
    private static final Duration LIMIT = Duration.ofSeconds(180);
    private static final String LAB = "mnpar";
    private static final Pattern MININET_LINK = Pattern.compile("(\\w+)-eth(\\d+)<->(\\w+)-eth(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void treeTwoThreeMatchesMininet() throws Exception {
        Set<String> mininet = mininetLinks("tree,2,3");
        Set<String> ours;
        try {
            run(ROOT.resolve("switchboard").toString(), "lab", "up", "--topo", "tree,2,3", "--name", LAB);
            ours = labLinks();
        } finally {
            run(ROOT.resolve("switchboard").toString(), "lab", "down", LAB);
        }
        assertThat(mininet).hasSize(12);
        assertThat(ours).isEqualTo(mininet);
    }

    /** {@code node:port<->node:port}, switch ports by number, host interfaces as ethN, the pair sorted. */
    private static String link(String a, String b) {
        return a.compareTo(b) < 0 ? a + "<->" + b : b + "<->" + a;
    }

    private static String end(String node, int number) {
        return node + ":" + (node.startsWith("h") ? "eth" + number : String.valueOf(number));
    }

    private static Set<String> mininetLinks(String topo) throws Exception {
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Path post = Files.createTempFile(ovs.runDirectory(), "post", ".mn");
            Files.writeString(post, "links\n");
            ExecResult mn = Commands.run(ovs.inNamespace(List.of("mn", "--topo", topo, "--switch", "ovs,datapath=user",
                    "--controller", "none", "--test", "none", "--post", post.toString())), ovs.environment(), LIMIT);
            assertThat(mn.exitCode()).as(mn.stdout() + mn.stderr()).isZero();
            Set<String> links = new TreeSet<>();
            Matcher m = MININET_LINK.matcher(mn.stdout() + mn.stderr());
            while (m.find()) {
                links.add(link(end(m.group(1), Integer.parseInt(m.group(2))), end(m.group(3), Integer.parseInt(m.group(4)))));
            }
            return links;
        }
    }

    /**
     * Our lab as the kernel and OVS have it: each switch port's OpenFlow number from OVS, and
     * its veth peer from {@code ip -details}: another switch port in the OVS's namespace (the root one for the
     * host's OVS, its own for the labs' private OVS), or a host's interface in the host's namespace.
     */
    private static Set<String> labLinks() throws Exception {
        // the host's OVS when it runs, else the labs' private one: as the lab recorded it
        var state = dev.switchboard.lab.run.LabState.read(LAB).orElseThrow().contents();
        String db = state.ovsDb();
        // the switch ports' namespace; namespace ids are as that namespace sees them
        List<String> ip = new ArrayList<>(List.of("ip"));
        if (state.privateOvs()) {
            ip.addAll(List.of("-n", PrivateOvs.attach(dev.switchboard.lab.run.LabState.directory().resolve("ovs"))
                    .orElseThrow().namespace()));
        }
        Map<Integer, String> namespaceById = new HashMap<>();
        Matcher ids = Pattern.compile("(" + LAB + "-h\\d+) \\(id: (\\d+)\\)").matcher(run(with(ip, "netns", "list")));
        while (ids.find()) {
            namespaceById.put(Integer.parseInt(ids.group(2)), ids.group(1));
        }
        Set<String> links = new TreeSet<>();
        for (JsonNode port : JSON.readTree(run(with(ip, "-j", "-d", "link", "show")))) {
            String name = port.path("ifname").asText();
            if (!name.matches(LAB + "-s\\d+-e\\d+")) {
                continue;
            }
            String a = switchEnd(db, name);
            String b;
            if (port.has("link_netnsid")) {
                String ns = namespaceById.get(port.path("link_netnsid").asInt());
                int peerIndex = port.path("link_index").asInt();
                String iface = null;
                for (JsonNode inside : JSON.readTree(run("ip", "-n", ns, "-j", "link", "show"))) {
                    if (inside.path("ifindex").asInt() == peerIndex) {
                        iface = inside.path("ifname").asText();
                    }
                }
                b = ns.substring(LAB.length() + 1) + ":" + iface;
            } else {
                b = switchEnd(db, port.path("link").asText());
            }
            links.add(link(a, b));
        }
        return links;
    }

    private static String[] with(List<String> command, String... args) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    private static String switchEnd(String db, String device) {
        String node = device.substring(LAB.length() + 1, device.lastIndexOf("-e"));
        return node + ":" + run("ovs-vsctl", "--db=" + db, "get", "interface", device, "ofport");
    }

    private static String run(String... command) {
        ExecResult result = Commands.run(new ArrayList<>(List.of(command)), Map.of(), LIMIT);
        assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.stdout() + result.stderr()).isZero();
        return result.stdout().strip();
    }
}
