/**
 * Linux host networking: network namespaces, veth pairs, Linux bridges, TAP/TUN devices, addresses, routes, IP
 * forwarding and traffic shaping, and running programs inside a namespace. The entry point is
 * {@link dev.switchboard.hostnet.HostNetwork}; several changes go together, all-or-nothing, through
 * {@link dev.switchboard.hostnet.Changes}.
 *
 * <pre>{@code
 * HostNetwork net = new HostNetwork();
 * Netns h1 = Netns.named("h1"), h2 = Netns.named("h2");
 * net.changes()
 *    .createNamespace("h1").createNamespace("h2")
 *    .createVeth(VethSpec.builder("eth0", "eth0").namespace(h1).peerNamespace(h2).build())
 *    .addAddress(h1, "eth0", Cidr.parse("10.0.8.1/24"))
 *    .addAddress(h2, "eth0", Cidr.parse("10.0.8.2/24"))
 *    .apply();
 * net.exec(h1, List.of("ping", "-c", "1", "10.0.8.2"), Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Everything here blocks: run it on an executor of its own, never on an event loop.
 *
 * <p>The kernel is driven through iproute2 ({@code ip -json} to read, {@code ip -batch} and {@code tc -batch} to
 * change many things with one process), since no maintained Java netlink library exists. No command line leaves this
 * package: callers see records, specs and exceptions whose messages name the object, the operation and the kernel's
 * answer. Changes are validated against the current state before anything is changed, and undone if the kernel
 * refuses one half way.
 */
package dev.switchboard.hostnet;
