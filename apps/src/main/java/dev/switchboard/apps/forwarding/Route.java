package dev.switchboard.apps.forwarding;

import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * An installed route: its flows carry the app's cookie with {@code tag}, a number never reused
 * while the controller runs, so that exactly these flows can be deleted (and a FLOW_REMOVED
 * names the route it belongs to) even after a newer route replaced this one.
 *
 * @param hops from the ingress switch to the destination's switch
 */
record Route(RouteKey key, long tag, List<Hop> hops, List<Link> links, SwitchPort destination) {

    Route {
        hops = List.copyOf(hops);
        links = List.copyOf(links);
    }

    /**
     * The route from {@code ingress} (the switch and port the first frame came in at) along
     * {@code path} to the host at {@code destination}.
     */
    static Route along(RouteKey key, long tag, SwitchPort ingress, List<Link> path, SwitchPort destination) {
        List<Hop> hops = new ArrayList<>(path.size() + 1);
        DatapathId at = ingress.dpid();
        var inPort = ingress.port();
        for (Link link : path) {
            hops.add(new Hop(at, inPort, link.src().port()));
            at = link.dst().dpid();
            inPort = link.dst().port();
        }
        hops.add(new Hop(at, inPort, destination.port()));
        return new Route(key, tag, hops, path, destination);
    }

    SwitchPort ingress() {
        Hop first = hops.get(0);
        return new SwitchPort(first.dpid(), first.inPort());
    }

    /**
     * True when {@code other} goes through the same switches by the same ports, whatever its key
     * and tag: its flows then forward a frame exactly as this route's do.
     */
    boolean runsAlong(Route other) {
        return hops.equals(other.hops);
    }

    /** The order flows are installed in: destination switch first, so no switch forwards into a hole. */
    List<Hop> installOrder() {
        List<Hop> reversed = new ArrayList<>(hops);
        Collections.reverse(reversed);
        return reversed;
    }

    /** True when the route goes over one of these links (compared by ends) or through one of these switches. */
    boolean crosses(Set<Link> removedLinks, Set<DatapathId> removedSwitches) {
        for (Hop hop : hops) {
            if (removedSwitches.contains(hop.dpid())) {
                return true;
            }
        }
        for (Link removed : removedLinks) {
            for (Link used : links) {
                if (used.src().equals(removed.src()) && used.dst().equals(removed.dst())) {
                    return true;
                }
            }
        }
        return false;
    }
}
