package dev.switchboard.hostnet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns iproute2's JSON into hostnet's records. */
final class Parsing {

    private Parsing() {
    }

    /** One element of {@code ip -json -details link show} (or {@code address show}). */
    static Link link(JsonNode item, Netns ns, Map<Integer, String> nsidNames) {
        JsonNode linkinfo = item.path("linkinfo");
        Optional<String> kind = text(linkinfo, "info_kind");
        Optional<TapSpec.Mode> tunMode = Optional.empty();
        if (kind.filter("tun"::equals).isPresent()) {
            tunMode = text(linkinfo.path("info_data"), "type")
                    .map(type -> type.equals("tap") ? TapSpec.Mode.TAP : TapSpec.Mode.TUN);
        }
        List<String> flags = new ArrayList<>();
        item.path("flags").forEach(f -> flags.add(f.asText()));
        Optional<Netns> peerNamespace = Optional.empty();
        if (item.has("link_netnsid")) {
            String peerNs = nsidNames.get(item.get("link_netnsid").asInt());
            if (peerNs != null) {
                try {
                    peerNamespace = Optional.of(Netns.named(peerNs));
                } catch (InvalidRequestException e) {
                    // a namespace named by another tool in a way hostnet does not accept: leave it unnamed
                }
            }
        }
        Optional<String> mac = text(item, "address").filter(a -> !item.path("link_type").asText().equals("none"));
        return new Link(ns, item.path("ifname").asText(), item.path("ifindex").asInt(), kind, tunMode, mac,
                item.path("mtu").asInt(), item.path("min_mtu").asInt(0), item.path("max_mtu").asInt(0),
                flags.contains("UP"), flags.contains("LOWER_UP"), item.path("operstate").asText("UNKNOWN"),
                text(item, "master"), text(item, "link"), peerNamespace);
    }

    /** The {@code addr_info} addresses of one element of {@code ip -json address show}. */
    static List<Cidr> addresses(JsonNode item) {
        List<Cidr> out = new ArrayList<>();
        for (JsonNode a : item.path("addr_info")) {
            String local = a.path("local").asText("");
            if (local.isEmpty() || !a.has("prefixlen")) {
                continue;
            }
            out.add(new Cidr(IpAddresses.parse(local), a.get("prefixlen").asInt()));
        }
        return out;
    }

    /** One element of {@code ip -json [-6] route show}, or empty for route types hostnet does not model. */
    static Optional<Route> route(JsonNode item, boolean ipv6) {
        String type = item.path("type").asText("unicast");
        if (!type.equals("unicast")) {
            return Optional.empty();
        }
        String dst = item.path("dst").asText("");
        Cidr destination;
        try {
            if (dst.equals("default")) {
                destination = Cidr.defaultRoute(ipv6);
            } else if (dst.indexOf('/') >= 0) {
                destination = Cidr.parse(dst);
            } else {
                destination = Cidr.host(IpAddresses.parse(dst));
            }
        } catch (InvalidRequestException e) {
            return Optional.empty();
        }
        try {
            Route route = Route.to(destination);
            Optional<String> gateway = text(item, "gateway");
            if (gateway.isPresent()) {
                route = route.via(IpAddresses.parse(gateway.get()));
            }
            Optional<String> dev = text(item, "dev");
            if (dev.isPresent()) {
                route = route.dev(dev.get());
            }
            return Optional.of(route);
        } catch (InvalidRequestException e) {
            // e.g. an IPv4 route with an IPv6 next hop (RFC 5549), which Route does not model
            return Optional.empty();
        }
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty()
                ? Optional.empty() : Optional.of(value.asText());
    }
}
