package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Cidr;
import java.util.List;

/**
 * Where a link attaches to a node, once the lab's ports are numbered (see
 * {@link LabSpec#wiring()}).
 *
 * <p>Numbering follows Mininet's {@code Topo.addPort}: links are taken in order, end
 * {@code a} before end {@code b}; a switch end gets the port it asks for, else the number
 * of ports the switch already has plus one (the first is 1); a host end gets the number of
 * interfaces the host already has (the first is 0), and unless it names its interface, the
 * interface is {@code eth<number>}. So a host's first link is its {@code eth0} and a
 * switch's first link its port 1, as in {@code mn}.
 *
 * @param node      the host or switch
 * @param role      which of the two it is
 * @param number    switch: the port number (the OVS {@code ofport_request}); host: the interface index
 * @param name      switch: the port's device, {@link LabNames#port}; host: the interface name inside the namespace
 * @param rootName  the device's name in the root namespace: for a switch the same as {@code name};
 *                  for a host the staging name {@link LabNames#port} it has before it moves into the namespace
 * @param addresses host only: the addresses the link gives this interface
 */
public record Port(String node, NodeRole role, int number, String name, String rootName, List<Cidr> addresses) {

    public Port {
        addresses = List.copyOf(addresses);
    }

    /** How {@link LabSpec#describe()} shows it: {@code node:ethN} for a host, {@code node:N} for a switch. */
    public String label() {
        return node + ":" + (role == NodeRole.HOST ? name : Integer.toString(number));
    }
}
