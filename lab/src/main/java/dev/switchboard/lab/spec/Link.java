package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Shaping;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A link between two nodes. In YAML:
 * {@code {a: net0, b: br0, kind: veth, mtu: 1500, rate: 10mbit, delay: 2ms, loss: 1, queue: 100}}.
 *
 * @param a       first end; port numbering follows link order and, within a link, a before b
 * @param b       second end, on another node
 * @param kind    {@link LinkKind#VETH} (default) or {@link LinkKind#PATCH}
 * @param mtu     MTU of both veth ends, {@value #MIN_MTU}..{@value #MAX_MTU}; absent keeps the kernel's 1500
 * @param shaping tc shaping of each direction's egress (Mininet's TCLink), veth only; a rate is shaped by HTB
 *                as Mininet does ({@link KernelNeed#HTB}), a delay is at most {@value LabValues#MAX_DELAY_SECONDS} s
 */
public record Link(LinkEnd a, LinkEnd b, LinkKind kind, OptionalInt mtu, Optional<Shaping> shaping) {

    /** Smallest MTU accepted (IPv4's minimum). */
    public static final int MIN_MTU = 68;
    /** Largest MTU accepted (a veth's maximum). */
    public static final int MAX_MTU = 65535;

    public Link {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(shaping, "shaping");
        if (a.node().equals(b.node())) {
            throw new IllegalArgumentException("link joins " + a.node() + " to itself");
        }
        if (mtu.isPresent() && (mtu.getAsInt() < MIN_MTU || mtu.getAsInt() > MAX_MTU)) {
            throw new IllegalArgumentException("mtu " + mtu.getAsInt() + " is outside " + MIN_MTU + ".." + MAX_MTU);
        }
        if (kind == LinkKind.PATCH && mtu.isPresent()) {
            throw new IllegalArgumentException("a patch link has no mtu (OVS patch ports are not devices)");
        }
        if (kind == LinkKind.PATCH && shaping.isPresent()) {
            throw new IllegalArgumentException("a patch link cannot be shaped (tc needs a device; use a veth link)");
        }
        shaping.flatMap(Shaping::delay).ifPresent(d -> {
            if (d.compareTo(Duration.ofSeconds(LabValues.MAX_DELAY_SECONDS)) > 0) {
                throw new IllegalArgumentException("delay " + LabValues.formatDelay(d) + " is outside 0.."
                        + LabValues.MAX_DELAY_SECONDS + "s");
            }
        });
    }

    /** A veth link between two plain ends. */
    public static Link veth(String a, String b) {
        return veth(LinkEnd.of(a), LinkEnd.of(b));
    }

    /** A veth link, unshaped, default MTU. */
    public static Link veth(LinkEnd a, LinkEnd b) {
        return new Link(a, b, LinkKind.VETH, OptionalInt.empty(), Optional.empty());
    }

    /** A patch link between two OVS switches. */
    public static Link patch(String a, String b) {
        return new Link(LinkEnd.of(a), LinkEnd.of(b), LinkKind.PATCH, OptionalInt.empty(), Optional.empty());
    }

    public Link withMtu(int newMtu) {
        return new Link(a, b, kind, OptionalInt.of(newMtu), shaping);
    }

    public Link withShaping(Shaping newShaping) {
        return new Link(a, b, kind, mtu, Optional.of(newShaping));
    }

    public Link withRate(Rate rate) {
        return withShaping(shapingBuilder().rateBitsPerSecond(rate.bitsPerSecond()).limiter(Shaping.RateLimiter.HTB).build());
    }

    public Link withDelay(Duration delay) {
        return withShaping(shapingBuilder().delay(delay).build());
    }

    public Link withLoss(double percent) {
        return withShaping(shapingBuilder().lossPercent(percent).build());
    }

    public Link withQueue(int packets) {
        return withShaping(shapingBuilder().queuePackets(packets).build());
    }

    private Shaping.Builder shapingBuilder() {
        return shaping.map(Shaping::builder).orElseGet(Shaping::builder);
    }

    /** The end on {@code node}, if it is one of the two. */
    public Optional<LinkEnd> end(String node) {
        return a.node().equals(node) ? Optional.of(a) : b.node().equals(node) ? Optional.of(b) : Optional.empty();
    }

    @Override
    public String toString() {
        return a.node() + "<->" + b.node() + (kind == LinkKind.PATCH ? " patch" : "")
                + (mtu.isPresent() ? " mtu " + mtu.getAsInt() : "") + shaping.map(s -> " " + LabValues.describe(s)).orElse("");
    }
}
