package dev.switchboard.hostnet;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Linux bridge to create. Build with {@link #builder(String)}.
 *
 * @param name      its name
 * @param namespace where it lives (default {@link Netns#ROOT})
 * @param stp       whether the kernel runs spanning tree on it (default false; with STP on, a new port forwards only
 *                  after the forward delay, 15 s by default)
 * @param mac       its MAC (default: the kernel's choice)
 * @param mtu       its MTU (default: the kernel's)
 * @param up        whether it is brought up (default true)
 */
public record BridgeSpec(String name, Netns namespace, boolean stp, Optional<String> mac, OptionalInt mtu,
        boolean up) {

    public BridgeSpec {
        Names.checkInterfaceName("bridge name", name);
        Objects.requireNonNull(namespace, "namespace");
        mac = mac.map(m -> Names.checkMac("MAC of bridge '" + name + "'", m));
        mtu.ifPresent(m -> Names.checkMtu("MTU of bridge '" + name + "'", m, 68, 65535));
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder; every setter is optional. */
    public static final class Builder {
        private final String name;
        private Netns namespace = Netns.ROOT;
        private boolean stp;
        private String mac;
        private Integer mtu;
        private boolean up = true;

        private Builder(String name) {
            this.name = name;
        }

        public Builder namespace(Netns namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder stp(boolean stp) {
            this.stp = stp;
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

        public BridgeSpec build() {
            return new BridgeSpec(name, namespace, stp, Optional.ofNullable(mac),
                    mtu == null ? OptionalInt.empty() : OptionalInt.of(mtu), up);
        }
    }
}
