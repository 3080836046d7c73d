package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Cidr;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One end of a {@link Link}: a node, and how the link attaches to it.
 *
 * <p>In YAML an end is either a node name ({@code a: net0}) or a mapping
 * {@code {node: net1, interface: eth0, addresses: [10.0.8.2/24]}} for a host, or
 * {@code {node: s1, port: 5}} for a switch.
 *
 * @param node          the host or switch name
 * @param interfaceName host ends only: the interface's name inside the namespace; default
 *                      {@code eth<index>} (see {@link Port})
 * @param port          switch ends only: the port number to request, 1..{@value #MAX_PORT};
 *                      default the next free one, as Mininet numbers ports
 * @param addresses     host ends only: IPv4/IPv6 addresses with prefix length, in order
 */
public record LinkEnd(String node, Optional<String> interfaceName, OptionalInt port, List<Cidr> addresses) {

    /** Highest port number OVS lets a port request (OFPP_MAX, 0xff00, minus one). */
    public static final int MAX_PORT = 0xfeff;

    public LinkEnd {
        LabNames.checkNodeName(node);
        Objects.requireNonNull(interfaceName, "interfaceName");
        interfaceName.ifPresent(LabNames::checkInterfaceName);
        Objects.requireNonNull(port, "port");
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > MAX_PORT)) {
            throw new IllegalArgumentException("port " + port.getAsInt() + " is outside 1.." + MAX_PORT);
        }
        addresses = List.copyOf(addresses);
        if (new HashSet<>(addresses).size() != addresses.size()) {
            throw new IllegalArgumentException("an address is listed twice on " + node + ": " + addresses);
        }
    }

    /** An end on {@code node} with every default. */
    public static LinkEnd of(String node) {
        return new LinkEnd(node, Optional.empty(), OptionalInt.empty(), List.of());
    }

    public LinkEnd withInterface(String name) {
        return new LinkEnd(node, Optional.of(name), port, addresses);
    }

    public LinkEnd withPort(int number) {
        return new LinkEnd(node, interfaceName, OptionalInt.of(number), addresses);
    }

    public LinkEnd withAddresses(List<Cidr> newAddresses) {
        return new LinkEnd(node, interfaceName, port, newAddresses);
    }

    /** With addresses parsed strictly from {@code cidrs} (e.g. {@code "10.0.8.1/24"}). */
    public LinkEnd withAddresses(String... cidrs) {
        return withAddresses(Arrays.stream(cidrs).map(LabValues::cidr).toList());
    }

    /** Whether this end only names its node, as the short YAML form does. */
    public boolean isPlain() {
        return interfaceName.isEmpty() && port.isEmpty() && addresses.isEmpty();
    }

    @Override
    public String toString() {
        return node + interfaceName.map(i -> ":" + i).orElse("") + (port.isPresent() ? ":" + port.getAsInt() : "")
                + (addresses.isEmpty() ? "" : " " + addresses);
    }
}
