package dev.switchboard.hostnet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The addresses and configured routes of a namespace before a plan ran. Some kernel operations take more with them
 * than the step itself says (bringing a link down or removing its address drops routes through it; bringing it down
 * also drops its IPv6 addresses; a move drops both), which undoing the steps one by one cannot bring back. After a
 * rollback, {@link #restoreLines} re-adds whatever of the snapshot is missing.
 */
final class Snapshot {

    final Netns ns;
    private final Map<String, Set<Cidr>> addresses;
    private final Map<String, String> routes;

    private Snapshot(Netns ns, Map<String, Set<Cidr>> addresses, Map<String, String> routes) {
        this.ns = ns;
        this.addresses = addresses;
        this.routes = routes;
    }

    static Snapshot take(IpRoute2 ip, Netns ns) {
        return new Snapshot(ns, readAddresses(ip, ns), readRoutes(ip, ns));
    }

    /** Batch lines (for {@code ip} in this namespace) that add back what is missing now, addresses first. */
    List<String> restoreLines(IpRoute2 ip) {
        List<String> lines = new ArrayList<>();
        Map<String, Set<Cidr>> nowAddresses = readAddresses(ip, ns);
        addresses.forEach((link, before) -> {
            Set<Cidr> now = nowAddresses.get(link);
            if (now == null) {
                return;
            }
            for (Cidr address : before) {
                if (!now.contains(address)) {
                    lines.add("address add " + address + " dev " + link + (address.isIpv6() ? " nodad" : ""));
                }
            }
        });
        Map<String, String> nowRoutes = readRoutes(ip, ns);
        routes.forEach((key, line) -> {
            if (!nowRoutes.containsKey(key)) {
                lines.add(line);
            }
        });
        return lines;
    }

    private static Map<String, Set<Cidr>> readAddresses(IpRoute2 ip, Netns ns) {
        Map<String, Set<Cidr>> out = new LinkedHashMap<>();
        for (JsonNode item : ip.json(ns, "addresses", "address", "show")) {
            Set<Cidr> set = new LinkedHashSet<>();
            for (Cidr address : Parsing.addresses(item)) {
                if (!(address.isIpv6() && address.address().isLinkLocalAddress())) {
                    set.add(address);
                }
            }
            out.put(item.path("ifname").asText(), set);
        }
        return out;
    }

    /** Routes not made by the kernel itself, keyed by destination, gateway and device; the value re-adds one. */
    private static Map<String, String> readRoutes(IpRoute2 ip, Netns ns) {
        Map<String, String> out = new LinkedHashMap<>();
        for (boolean v6 : new boolean[] {false, true}) {
            JsonNode items = v6 ? ip.json(ns, "routes", "-6", "route", "show") : ip.json(ns, "routes", "route", "show");
            for (JsonNode item : items) {
                if (item.path("protocol").asText().equals("kernel")
                        || !item.path("type").asText("unicast").equals("unicast")) {
                    continue;
                }
                String dst = item.path("dst").asText();
                if (dst.equals("default")) {
                    dst = v6 ? "::/0" : "0.0.0.0/0";
                }
                StringBuilder spec = new StringBuilder(dst);
                Parsing.text(item, "gateway").ifPresent(g -> spec.append(" via ").append(g));
                Parsing.text(item, "dev").ifPresent(d -> spec.append(" dev ").append(d));
                String key = spec.toString();
                if (item.has("metric")) {
                    spec.append(" metric ").append(item.get("metric").asLong());
                }
                out.put(key, "route add " + spec);
            }
        }
        return out;
    }
}
