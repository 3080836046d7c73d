package dev.switchboard.ovs.runtime;

import dev.switchboard.hostnet.ExecResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network namespace a private {@code ovs-vswitchd} runs in, and its uplink to the root namespace.
 *
 * <p>Why a namespace: the userspace datapath's tap device {@code ovs-netdev} (and each internal port's tap) is a
 * per-namespace name, so a vswitchd in a namespace of its own runs beside the host's OVS and beside other private
 * instances. Every interface attached to one of its bridges must live in that namespace ({@link #moveIn}).
 *
 * <p>Controllers listen in the root namespace; the uplink is a veth pair with a link-local /30: the root end holds
 * {@link #controllerAddress()}, the namespace end the other usable address. OVS reaches a controller listening on
 * the controller address (not on 127.0.0.1, which is the namespace's own loopback), and through the namespace's
 * default route via the root end also one on any other address of the root namespace.
 *
 * <p>The names derive from the run directory, so {@link PrivateOvs#attach} finds them again from another process.
 * Blocking: call off any event loop.
 */
final class OvsNamespace {

    private static final Logger log = LoggerFactory.getLogger(OvsNamespace.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The uplink's name inside the namespace. */
    static final String UPLINK = "sbuplink";
    /** Uplink /30s are taken from 169.254.200.0/21: 512 of them, scanned for the first free one. */
    private static final int FIRST_SUBNET = (169 << 24) | (254 << 16) | (200 << 8);
    private static final int SUBNETS = 512;
    private static final Pattern IPV4 = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/");

    private final String name;
    private final String rootEnd;

    private OvsNamespace(String name, String rootEnd) {
        this.name = name;
        this.rootEnd = rootEnd;
    }

    /** The namespace of the private OVS in {@code runDirectory} (it may not exist yet). */
    static OvsNamespace of(Path runDirectory) {
        CRC32 crc = new CRC32();
        crc.update(runDirectory.toString().getBytes(StandardCharsets.UTF_8));
        String id = HexFormat.of().toHexDigits((int) crc.getValue());
        return new OvsNamespace("sbovs-" + id, "sbo" + id + "r");
    }

    String name() {
        return name;
    }

    /** Whether the namespace exists. */
    boolean exists() {
        return Commands.run(List.of("ip", "netns", "list"), Map.of(), TIMEOUT).stdout().lines()
                .anyMatch(line -> line.split("\\s+")[0].equals(name));
    }

    /**
     * Creates the namespace (deleting a leftover of the same name first) with its loopback up and the uplink. Uplink
     * subnets are chosen under this class's lock; across processes, OVS users hold {@code /tmp/switchboard-ovs.lock}.
     */
    void create() {
        if (exists()) {
            log.warn("Deleting network namespace {} left behind by an earlier private OVS", name);
            delete();
        }
        ip("netns", "add", name);
        try {
            ip("-n", name, "link", "set", "lo", "up");
            int subnet;
            synchronized (OvsNamespace.class) {
                subnet = freeSubnet();
                ip("link", "add", rootEnd, "type", "veth", "peer", "name", UPLINK, "netns", name);
                ip("addr", "add", dotted(subnet + 1) + "/30", "dev", rootEnd);
                ip("-n", name, "addr", "add", dotted(subnet + 2) + "/30", "dev", UPLINK);
            }
            ip("link", "set", rootEnd, "up");
            ip("-n", name, "link", "set", UPLINK, "up");
            // so a controller on any of the root namespace's own addresses (a lab's --controller 10.1.2.3:6653) is
            // reached too: the root namespace takes a packet for any of its addresses on any interface
            ip("-n", name, "route", "add", "default", "via", dotted(subnet + 1));
        } catch (RuntimeException e) {
            delete();
            throw e;
        }
    }

    /** The root end's address, where a controller for this OVS listens; empty when the uplink is gone. */
    Optional<InetAddress> controllerAddress() {
        ExecResult result = Commands.run(List.of("ip", "-4", "-o", "addr", "show", "dev", rootEnd), Map.of(), TIMEOUT);
        Matcher m = IPV4.matcher(result.stdout());
        if (!result.succeeded() || !m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(m.group(1)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("iproute2 printed a bad address " + m.group(1), e);
        }
    }

    /** Moves {@code link} from the root namespace into this one and sets it up. */
    void moveIn(String link) {
        ip("link", "set", link, "netns", name);
        ip("-n", name, "link", "set", link, "up");
    }

    /** {@code command} prefixed to run inside the namespace. */
    List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /** Deletes the namespace, and with it the uplink and every interface left in it. Best effort. */
    void delete() {
        Commands.run(List.of("ip", "link", "del", rootEnd), Map.of(), TIMEOUT);
        ExecResult result = Commands.run(List.of("ip", "netns", "del", name), Map.of(), TIMEOUT);
        if (!result.succeeded() && exists()) {
            log.warn("Cannot delete network namespace {}: {}", name, result.stderr().strip());
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }

    private static int freeSubnet() {
        Set<Integer> taken = new HashSet<>();
        String all = Commands.run(List.of("ip", "-4", "-o", "addr", "show"), Map.of(), TIMEOUT).stdout();
        Matcher m = IPV4.matcher(all);
        while (m.find()) {
            taken.add(parse(m.group(1)) & ~3);
        }
        for (int i = 0; i < SUBNETS; i++) {
            int subnet = FIRST_SUBNET + 4 * i;
            if (!taken.contains(subnet)) {
                return subnet;
            }
        }
        throw new IllegalStateException("all " + SUBNETS + " uplink subnets in 169.254.200.0/21 are taken");
    }

    private static int parse(String dotted) {
        int value = 0;
        for (String part : dotted.split("\\.")) {
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    static String dotted(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Commands.check(command, Map.of(), TIMEOUT);
    }
}
