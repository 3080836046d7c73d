package dev.switchboard.lab.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A canonical text form of a lab's topology, to compare with what Mininet builds for the
 * same {@code --topo} ({@link LabSpec#describe()}). Every list is in
 * {@linkplain NaturalOrder natural order}, so two labs with the same nodes, addresses and
 * numbered links describe alike whatever order their links were listed in.
 *
 * @param hosts    {@code name} followed by its addresses, each after a space: {@code h1 10.0.0.1/8}
 * @param switches {@code name}, followed by {@code dpid=<16 hex digits>} when the datapath id is fixed
 * @param links    {@code node:port<->node:port} with the ends in natural order; a host's port is its
 *                 interface name ({@code h1:eth0}), a switch's its number ({@code s1:1})
 */
public record Description(List<String> hosts, List<String> switches, List<String> links) {

    public Description {
        hosts = sorted(hosts);
        switches = sorted(switches);
        links = sorted(links);
    }

    /** The canonical form of a link between two ends labelled like {@link Port#label()}. */
    public static String link(String endA, String endB) {
        return NaturalOrder.INSTANCE.compare(endA, endB) <= 0 ? endA + "<->" + endB : endB + "<->" + endA;
    }

    /** One line per item: {@code host …}, then {@code switch …}, then {@code link …}. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        hosts.forEach(h -> out.add("host " + h));
        switches.forEach(s -> out.add("switch " + s));
        links.forEach(l -> out.add("link " + l));
        return out;
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }

    private static List<String> sorted(List<String> items) {
        List<String> copy = new ArrayList<>(items);
        copy.sort(NaturalOrder.INSTANCE);
        return List.copyOf(copy);
    }
}
