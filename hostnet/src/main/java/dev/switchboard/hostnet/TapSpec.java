package dev.switchboard.hostnet;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A TAP (Ethernet frames) or TUN (IP packets) device to create. Build with {@link #builder(String)}.
 *
 * <p>Devices are persistent: they stay until deleted, and a program (a VM, a VPN) attaches to them by name through
 * {@code /dev/net/tun}. Until one does, the device has no carrier. A non-persistent device lives only as long as the
 * file descriptor that made it, which needs a process holding it, so {@code persistent(false)} is refused.
 *
 * @param name       its name
 * @param mode       TAP or TUN (default TAP)
 * @param namespace  where it lives (default {@link Netns#ROOT})
 * @param persistent must be true (see above)
 * @param owner      the uid allowed to attach to it (default: only privileged processes)
 * @param group      the gid allowed to attach to it
 * @param mac        its MAC, TAP only (default: random)
 * @param mtu        its MTU (default: the kernel's, 1500)
 * @param up         whether it is brought up (default true)
 */
public record TapSpec(String name, Mode mode, Netns namespace, boolean persistent, OptionalInt owner,
        OptionalInt group, Optional<String> mac, OptionalInt mtu, boolean up) {

    /** What the device carries. */
    public enum Mode {
        /** Ethernet frames; can be a bridge port. */
        TAP,
        /** IP packets, no link layer. */
        TUN
    }

    public TapSpec {
        String what = mode == Mode.TUN ? "TUN" : "TAP";
        Names.checkInterfaceName(what + " name", name);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(namespace, "namespace");
        if (!persistent) {
            throw new InvalidRequestException(what + " '" + name + "': non-persistent devices vanish when the file "
                    + "descriptor that made them closes; hostnet creates persistent ones only");
        }
        owner.ifPresent(uid -> requireId(what + " '" + name + "' owner uid", uid));
        group.ifPresent(gid -> requireId(what + " '" + name + "' group gid", gid));
        if (mac.isPresent() && mode == Mode.TUN) {
            throw new InvalidRequestException("TUN '" + name + "' carries IP packets and has no MAC to set");
        }
        mac = mac.map(m -> Names.checkMac("MAC of " + what + " '" + name + "'", m));
        // the tun driver allows 65535 minus the link-layer header
        int maxMtu = mode == Mode.TAP ? 65521 : 65535;
        mtu.ifPresent(m -> Names.checkMtu("MTU of " + what + " '" + name + "'", m, 68, maxMtu));
    }

    private static void requireId(String what, int id) {
        if (id < 0) {
            throw new InvalidRequestException(what + " " + id + " is negative");
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder; every setter is optional. */
    public static final class Builder {
        private final String name;
        private Mode mode = Mode.TAP;
        private Netns namespace = Netns.ROOT;
        private boolean persistent = true;
        private Integer owner;
        private Integer group;
        private String mac;
        private Integer mtu;
        private boolean up = true;

        private Builder(String name) {
            this.name = name;
        }

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        public Builder namespace(Netns namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        public Builder owner(int uid) {
            this.owner = uid;
            return this;
        }

        public Builder group(int gid) {
            this.group = gid;
            return this;
        }

        public Builder mac(String mac) {
            this.mac = mac;
            return this;
        }

        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        public Builder up(boolean up) {
            this.up = up;
            return this;
        }

        public TapSpec build() {
            return new TapSpec(name, mode, namespace, persistent, optional(owner), optional(group),
                    Optional.ofNullable(mac), optional(mtu), up);
        }

        private static OptionalInt optional(Integer value) {
            return value == null ? OptionalInt.empty() : OptionalInt.of(value);
        }
    }
}
