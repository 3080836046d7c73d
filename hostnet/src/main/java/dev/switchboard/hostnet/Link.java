package dev.switchboard.hostnet;

import java.util.Objects;
import java.util.Optional;

/**
 * A network interface as the kernel reports it.
 *
 * @param namespace     the namespace it was read in
 * @param name          its name, e.g. {@code "h1-eth0"}
 * @param index         its ifindex (unique within its namespace only)
 * @param kind          the driver kind, e.g. {@code "veth"}, {@code "bridge"}, {@code "tun"}, {@code "vxlan"}; empty
 *                      for devices without one (loopback, physical NICs)
 * @param tunMode       for kind {@code "tun"}: whether it is a TAP (Ethernet) or TUN (IP) device
 * @param mac           its Ethernet address; empty for devices without one (TUN)
 * @param mtu           its MTU
 * @param minMtu        the smallest MTU the device accepts, 0 when unknown
 * @param maxMtu        the largest MTU the device accepts, 0 when unknown
 * @param up            administratively up (IFF_UP)
 * @param carrier       the lower layer is up (IFF_LOWER_UP): for a veth, its peer is up too
 * @param operState     the RFC 2863 operational state as the kernel names it, e.g. {@code "UP"}, {@code "DOWN"}
 * @param master        the bridge (or other master) it is attached to
 * @param peer          for a veth: its peer's name when the peer is in the same namespace; for a macvlan or vlan:
 *                      its parent link
 * @param peerNamespace for a veth whose peer is in another named namespace: that namespace; empty when the peer is
 *                      in the same namespace or in an unnamed one (such as the root namespace seen from a named one)
 */
public record Link(
        Netns namespace,
        String name,
        int index,
        Optional<String> kind,
        Optional<TapSpec.Mode> tunMode,
        Optional<String> mac,
        int mtu,
        int minMtu,
        int maxMtu,
        boolean up,
        boolean carrier,
        String operState,
        Optional<String> master,
        Optional<String> peer,
        Optional<Netns> peerNamespace) {

    public Link {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tunMode, "tunMode");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(operState, "operState");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(peerNamespace, "peerNamespace");
    }

    /** Whether the kind is {@code kind}. */
    public boolean isKind(String kind) {
        return this.kind.filter(kind::equals).isPresent();
    }
}
