package dev.switchboard.hostnet;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A veth pair to create: two linked Ethernet interfaces, each end created directly in its namespace under its final
 * name (so {@code eth0} in a host namespace never clashes with an {@code eth0} of the root namespace). Build with
 * {@link #builder(String, String)}; {@code build()} checks names, MACs and MTU.
 *
 * @param name          the first end's name
 * @param namespace     where the first end lives (default {@link Netns#ROOT})
 * @param peerName      the second end's name
 * @param peerNamespace where the second end lives (default: the first end's namespace)
 * @param mac           the first end's MAC (default: random)
 * @param peerMac       the second end's MAC (default: random)
 * @param mtu           the MTU of both ends (default: the kernel's, 1500)
 * @param up            whether both ends are brought up (default true)
 */
public record VethSpec(
        String name, Netns namespace, String peerName, Netns peerNamespace, Optional<String> mac,
        Optional<String> peerMac, OptionalInt mtu, boolean up) {

    public VethSpec {
        Names.checkInterfaceName("veth name", name);
        Names.checkInterfaceName("veth peer name", peerName);
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(peerNamespace, "peerNamespace");
        mac = mac.map(m -> Names.checkMac("MAC of veth '" + name + "'", m));
        peerMac = peerMac.map(m -> Names.checkMac("MAC of veth '" + peerName + "'", m));
        mtu.ifPresent(m -> Names.checkMtu("MTU of veth '" + name + "'", m, 68, 65535));
        if (name.equals(peerName) && namespace.equals(peerNamespace)) {
            throw new InvalidRequestException(
                    "veth name '" + name + "' is used for both ends in " + namespace + "; they need two names");
        }
    }

    public static Builder builder(String name, String peerName) {
        return new Builder(name, peerName);
    }

    /** A builder; every setter is optional. */
    public static final class Builder {
        private final String name;
        private final String peerName;
        private Netns namespace = Netns.ROOT;
        private Netns peerNamespace;
        private String mac;
        private String peerMac;
        private Integer mtu;
        private boolean up = true;

        private Builder(String name, String peerName) {
            this.name = name;
            this.peerName = peerName;
        }

        public Builder namespace(Netns namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder peerNamespace(Netns peerNamespace) {
            this.peerNamespace = peerNamespace;
            return this;
        }

        public Builder mac(String mac) {
            this.mac = mac;
            return this;
        }

        public Builder peerMac(String peerMac) {
            this.peerMac = peerMac;
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

        public VethSpec build() {
            return new VethSpec(name, namespace, peerName, peerNamespace == null ? namespace : peerNamespace,
                    Optional.ofNullable(mac), Optional.ofNullable(peerMac),
                    mtu == null ? OptionalInt.empty() : OptionalInt.of(mtu), up);
        }
    }
}
