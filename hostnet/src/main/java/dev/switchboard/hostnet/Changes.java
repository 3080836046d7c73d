package dev.switchboard.hostnet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Several host networking changes applied together: all or nothing, as far as the kernel allows. Collect them with
 * the methods below (each returns this), then {@link #apply()}:
 *
 * <pre>{@code
 * net.changes()
 *    .createNamespace("h1")
 *    .createVeth(VethSpec.builder("eth0", "s1-eth1").namespace(Netns.named("h1")).build())
 *    .addAddress(Netns.named("h1"), "eth0", Cidr.parse("10.0.0.1/24"))
 *    .apply();
 * }</pre>
 *
 * <p>{@code apply()} first checks privileges and validates every change against the current state and the changes
 * before it (names, duplicates, namespaces and links that must exist, required kernel features); any problem throws
 * before anything is changed. It then applies the changes with as few iproute2 processes as their dependencies allow
 * (independent changes in the same namespace share one batch). If the kernel refuses one, every change already made
 * is undone, newest first, and an {@link OperationFailedException} names the refused change and the kernel's reason.
 *
 * <p>Deletions ({@link #deleteLink}, {@link #deleteNamespace}) cannot be undone; a rollback does not bring back what
 * they removed. Changes to objects created in the same batch are undone by deleting those objects.
 *
 * <p>Not thread-safe; build and apply on one thread. Blocking. Applies once.
 */
public final class Changes {

    private final HostNetwork network;
    private final List<Consumer<Planner>> planned = new ArrayList<>();
    private boolean applied;

    Changes(HostNetwork network) {
        this.network = network;
    }

    /** Creates a network namespace and brings up its loopback. */
    public Changes createNamespace(String name) {
        Objects.requireNonNull(name, "name");
        return plan(p -> p.createNamespace(name));
    }

    /** Deletes a namespace and the links in it (cannot be rolled back). */
    public Changes deleteNamespace(String name) {
        Objects.requireNonNull(name, "name");
        return plan(p -> p.deleteNamespace(name));
    }

    public Changes createVeth(VethSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return plan(p -> p.createVeth(spec));
    }

    public Changes createBridge(BridgeSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return plan(p -> p.createBridge(spec));
    }

    public Changes createTap(TapSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return plan(p -> p.createTap(spec));
    }

    /** Attaches {@code link} to Linux bridge {@code bridge}, both in {@code ns}. */
    public Changes enslave(Netns ns, String link, String bridge) {
        return plan(p -> p.enslave(ns, link, bridge));
    }

    /** Detaches {@code link} from its bridge; nothing happens if it has none. */
    public Changes release(Netns ns, String link) {
        return plan(p -> p.release(ns, link));
    }

    /** Turns 802.1Q VLAN filtering of a Linux bridge on or off; needs {@link KernelFeature#BRIDGE_VLAN_FILTERING}. */
    public Changes setVlanFiltering(Netns ns, String bridge, boolean on) {
        return plan(p -> p.setVlanFiltering(ns, bridge, on));
    }

    /** Moves a link to another namespace; it arrives down, without addresses and without a master. */
    public Changes moveToNamespace(Netns from, String link, Netns to) {
        Objects.requireNonNull(to, "to");
        return plan(p -> p.moveToNamespace(from, link, to));
    }

    public Changes rename(Netns ns, String link, String newName) {
        return plan(p -> p.rename(ns, link, newName));
    }

    /** Sets a link's MAC, e.g. {@code "02:00:00:00:00:01"} (unicast, not all zeros). */
    public Changes setMac(Netns ns, String link, String mac) {
        return plan(p -> p.setMac(ns, link, mac));
    }

    public Changes setMtu(Netns ns, String link, int mtu) {
        return plan(p -> p.setMtu(ns, link, mtu));
    }

    public Changes setUp(Netns ns, String link) {
        return plan(p -> p.setUp(ns, link));
    }

    public Changes setDown(Netns ns, String link) {
        return plan(p -> p.setDown(ns, link));
    }

    /** Deletes a link (a veth's peer goes with it). Cannot be rolled back. */
    public Changes deleteLink(Netns ns, String link) {
        return plan(p -> p.deleteLink(ns, link));
    }

    /** Adds an address; IPv6 addresses skip duplicate address detection so they are usable at once. */
    public Changes addAddress(Netns ns, String link, Cidr address) {
        Objects.requireNonNull(address, "address");
        return plan(p -> p.addAddress(ns, link, address));
    }

    public Changes removeAddress(Netns ns, String link, Cidr address) {
        Objects.requireNonNull(address, "address");
        return plan(p -> p.removeAddress(ns, link, address));
    }

    public Changes addRoute(Netns ns, Route route) {
        Objects.requireNonNull(route, "route");
        return plan(p -> p.addRoute(ns, route));
    }

    /** Sets (or replaces) the default route of the gateway's address family. */
    public Changes setDefaultGateway(Netns ns, InetAddress gateway) {
        Objects.requireNonNull(gateway, "gateway");
        return plan(p -> p.setDefaultGateway(ns, gateway));
    }

    /** Turns IPv4 and IPv6 forwarding on or off in a namespace (to make it a router). */
    public Changes setIpForwarding(Netns ns, boolean on) {
        return plan(p -> p.setIpForwarding(ns, on));
    }

    /** Replaces the egress shaping of a link; see {@link Shaping}. */
    public Changes shape(Netns ns, String link, Shaping shaping) {
        Objects.requireNonNull(shaping, "shaping");
        return plan(p -> p.shape(ns, link, shaping));
    }

    /** Removes the egress shaping of a link, restoring the kernel's default queueing; nothing if it has none. */
    public Changes clearShaping(Netns ns, String link) {
        return plan(p -> p.clearShaping(ns, link));
    }

    public int size() {
        return planned.size();
    }

    public boolean isEmpty() {
        return planned.isEmpty();
    }

    /**
     * Validates and applies all changes; see the class comment. Blocking.
     *
     * @throws InsufficientPrivilegesException before anything is changed, if this process is not root
     * @throws InvalidRequestException          before anything is changed, for a malformed value
     * @throws AlreadyExistsException           before anything is changed, for a name that is taken
     * @throws NotFoundException                before anything is changed, for a missing namespace, link or address
     * @throws KernelFeatureMissingException    before anything is changed, for a feature this kernel lacks
     * @throws OperationFailedException         if the kernel refused a change; earlier ones were rolled back
     * @throws IllegalStateException if already applied
     */
    public void apply() {
        if (applied) {
            throw new IllegalStateException("these changes were applied already");
        }
        applied = true;
        network.apply(planned);
    }

    /** Validates the changes into {@code planner} without applying them. */
    void planInto(Planner planner) {
        planned.forEach(change -> change.accept(planner));
    }

    private Changes plan(Consumer<Planner> change) {
        if (applied) {
            throw new IllegalStateException("these changes were applied already");
        }
        planned.add(change);
        return this;
    }
}
