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
 * Public for set-ups that run OVS themselves inside such a namespace (the two-hypervisor example runs
 * {@code vagrant/provision/hypervisor.sh} in one per hypervisor): {@link #named} gives one a readable name.
 * Blocking: call off any event loop.
 */
public final class OvsNamespace {

    private static final Logger log = LoggerFactory.getLogger(OvsNamespace.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The uplink's name inside the namespace. */
    static final String UPLINK = "sbuplink";
    /** Uplink /30s are taken from 169.254.200.0/21: 512 of them, scanned for the first free one under {@link UplinkLock}. */
    private static final int FIRST_SUBNET = (169 << 24) | (254 << 16) | (200 << 8);
    private static final int SUBNETS = 512;
    private static final Pattern IPV4 = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/");

    private final String name;
    private final String rootEnd;
    /** Set when {@link #create()} found the namespace in use by others; {@link #delete()} then leaves it. */
    private volatile boolean notOurs;

    private OvsNamespace(String name, String rootEnd) {
        this.name = name;
        this.rootEnd = rootEnd;
    }

    /**
     * A namespace called {@code name}, whose uplink's root end is {@code name} followed by {@code r} (it may not
     * exist yet).
     *
     * @throws IllegalArgumentException if the name is not 1 to 14 letters, digits, '-' or '_' (the root end is an
     *                                  interface name: 15 characters at most)
     */
    public static OvsNamespace named(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,14}")) {
            throw new IllegalArgumentException("namespace name '" + name + "': 1 to 14 letters, digits, '-' or '_'");
        }
        return new OvsNamespace(name, name + "r");
    }

    /** The namespace of the private OVS in {@code runDirectory} (it may not exist yet). */
    static OvsNamespace of(Path runDirectory) {
        CRC32 crc = new CRC32();
        crc.update(runDirectory.toString().getBytes(StandardCharsets.UTF_8));
        String id = HexFormat.of().toHexDigits((int) crc.getValue());
        return new OvsNamespace("sbovs-" + id, "sbo" + id + "r");
    }

    public String name() {
        return name;
    }

    /** Whether the namespace exists. */
    public boolean exists() {
        return Commands.run(List.of("ip", "netns", "list"), Map.of(), TIMEOUT).stdout().lines()
                .anyMatch(line -> line.split("\\s+")[0].equals(name));
    }

    /**
     * Creates the namespace with its loopback up and the uplink. A leftover of the same name is deleted first, but
     * only when nothing runs in it: a namespace with live processes belongs to another private OVS (or someone's
     * shell), and is left alone with an {@link IllegalStateException}. Uplink subnets are chosen and taken under
     * {@link UplinkLock}, so processes creating namespaces at once never take the same one.
     *
     * @throws IllegalStateException if a namespace of this name exists with processes in it
     */
    public void create() {
        if (exists()) {
            List<String> pids = pidsInside();
            if (!pids.isEmpty()) {
                notOurs = true;
                throw new IllegalStateException("network namespace " + name + " already exists and processes run in it"
                        + " (pids " + String.join(", ", pids) + "): another private OVS whose run directory gives the"
                        + " same name, or a shell in it. Left alone; stop those processes (`ip netns pids " + name
                        + "`) or use another run directory");
            }
            log.warn("Deleting network namespace {} left behind by an earlier private OVS (nothing runs in it)", name);
            delete();
        }
        ExecResult added = Commands.run(List.of("ip", "netns", "add", name), Map.of(), TIMEOUT);
        if (!added.succeeded()) {
            // made by someone else between our look and now: theirs, not ours to delete
            notOurs = exists();
            throw new CommandException(List.of("ip", "netns", "add", name), added);
        }
        try {
            ip("-n", name, "link", "set", "lo", "up");
            int subnet = UplinkLock.holding(() -> {
                int free = freeSubnet();
                ip("link", "add", rootEnd, "type", "veth", "peer", "name", UPLINK, "netns", name);
                ip("addr", "add", dotted(free + 1) + "/30", "dev", rootEnd);
                ip("-n", name, "addr", "add", dotted(free + 2) + "/30", "dev", UPLINK);
                return free;
            });
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

    /** Pids of the processes whose network namespace this is ({@code ip netns pids}); empty if none or it is gone. */
    public List<String> pidsInside() {
        ExecResult result = Commands.run(List.of("ip", "netns", "pids", name), Map.of(), TIMEOUT);
        return result.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** The root end's address, where a controller for this OVS listens; empty when the uplink is gone. */
    public Optional<InetAddress> controllerAddress() {
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
    public void moveIn(String link) {
        ip("link", "set", link, "netns", name);
        ip("-n", name, "link", "set", link, "up");
    }

    /** {@code command} prefixed to run inside the namespace. */
    public List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /**
     * Deletes the namespace, and with it the uplink and every interface left in it. Best effort. Does nothing when
     * {@link #create()} found the namespace in use by others: what failed to start must not take theirs down.
     */
    public void delete() {
        if (notOurs) {
            log.info("Leaving network namespace {} alone: it was in use by others when this private OVS started", name);
            return;
        }
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

    /** The first /30 of the uplink range no interface has an address in; call under {@link UplinkLock}. */
    static int freeSubnet() {
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

    /** The uplink /30 {@code address} is in, as the int its first address is; for tests. */
    static int subnetOf(InetAddress address) {
        return parse(address.getHostAddress()) & ~3;
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
