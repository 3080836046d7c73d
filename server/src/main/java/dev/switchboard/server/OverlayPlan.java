package dev.switchboard.server;

import dev.switchboard.ovsdb.vswitch.BridgeSpec;
import dev.switchboard.ovsdb.vswitch.InterfaceType;
import dev.switchboard.ovsdb.vswitch.PortSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one hypervisor of the {@linkplain SwitchboardConfig.Overlay overlay} must have: each network's bridge,
 * and a tunnel port to every other host per network. Pure: worked out from the config and the host's name.
 *
 * @param bridges the network bridges (with the host's datapath type unless the bridge names one)
 * @param tunnels the tunnel ports, named {@code vx<VNI>-<PEER>} (for vxlan; {@code gv}, {@code gr} for geneve, gre)
 */
record OverlayPlan(List<BridgeSpec> bridges, List<PortSpec> tunnels) {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final long MAX_VNI = (1L << 24) - 1;
    /** Where {@code vagrant/provision/hypervisor.sh} records the host's datapath. */
    static final String DATAPATH_KEY = "switchboard-datapath-type";

    OverlayPlan {
        bridges = List.copyOf(bridges);
        tunnels = List.copyOf(tunnels);
    }

    /**
     * The plan for the host whose system-id is {@code host}; empty when it is none of the overlay's hosts.
     *
     * @param declared     {@code ovsdb.bridges}, where a network's bridge may have its settings
     * @param datapathType the host's datapath ({@code external_ids:switchboard-datapath-type}), or null
     */
    static Optional<OverlayPlan> forHost(SwitchboardConfig.Overlay overlay, List<BridgeSpec> declared, String host,
            String datapathType) {
        Optional<SwitchboardConfig.OverlayHost> self = overlay.hosts().stream().filter(h -> h.name().equals(host)).findFirst();
        if (self.isEmpty()) {
            return Optional.empty();
        }
        InterfaceType type = type(overlay);
        List<BridgeSpec> bridges = new ArrayList<>();
        List<PortSpec> tunnels = new ArrayList<>();
        for (SwitchboardConfig.OverlayNetwork network : overlay.networks()) {
            BridgeSpec bridge = declared.stream().filter(b -> b.name().equals(network.bridge())).findFirst()
                    .orElse(BridgeSpec.named(network.bridge()).withFailMode(OvsdbManager.DEFAULT_FAIL_MODE)
                            .withProtocols(Set.copyOf(network.protocols())));
            if (bridge.datapathType() == null && datapathType != null && !datapathType.isBlank()) {
                bridge = bridge.withDatapathType(datapathType);
            }
            bridges.add(bridge);
            for (SwitchboardConfig.OverlayHost peer : overlay.hosts()) {
                if (peer.name().equals(host)) {
                    continue;
                }
                tunnels.add(new PortSpec(network.bridge(), portName(type, network.vni(), peer.name()), type,
                        Map.of("remote_ip", peer.tunnelIp(), "local_ip", self.get().tunnelIp(),
                                "key", Long.toString(network.vni())), null, Set.of()));
            }
        }
        return Optional.of(new OverlayPlan(bridges, tunnels));
    }

    /** {@code vx100-hv2}: the tunnel of network {@code vni} to {@code peer}. */
    static String portName(InterfaceType type, long vni, String peer) {
        String prefix = switch (type) {
            case GENEVE -> "gv";
            case GRE -> "gr";
            default -> "vx";
        };
        return prefix + vni + "-" + peer;
    }

    /**
     * Checks the section as a whole: at least two hosts with distinct names and addresses, networks with distinct
     * bridges and VNIs, tunnel port names within the kernel's 15 characters.
     *
     * @throws IllegalArgumentException starting with the key at fault ({@code ovsdb.overlay.hosts[1].tunnelIp: …})
     */
    static void check(SwitchboardConfig.Overlay overlay) {
        InterfaceType type = type(overlay);
        Set<String> names = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < overlay.hosts().size(); i++) {
            SwitchboardConfig.OverlayHost host = overlay.hosts().get(i);
            String key = "ovsdb.overlay.hosts[" + i + "]";
            if (host == null || host.name() == null || !host.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                throw new IllegalArgumentException(key + ".name: a host's system-id (letters, digits, '.', '_', '-') is required");
            }
            if (!names.add(host.name())) {
                throw new IllegalArgumentException(key + ".name: host " + host.name() + " is listed twice");
            }
            if (host.tunnelIp() == null || !IPV4.matcher(host.tunnelIp()).matches()) {
                throw new IllegalArgumentException(key + ".tunnelIp: an IPv4 address like 192.168.77.1 is required, not '"
                        + host.tunnelIp() + "'");
            }
            if (!addresses.add(host.tunnelIp())) {
                throw new IllegalArgumentException(key + ".tunnelIp: " + host.tunnelIp() + " is another host's too");
            }
        }
        if (overlay.hosts().size() < 2) {
            throw new IllegalArgumentException("ovsdb.overlay.hosts: an overlay needs two hosts or more");
        }
        Set<String> bridges = new HashSet<>();
        Set<Long> vnis = new HashSet<>();
        for (int i = 0; i < overlay.networks().size(); i++) {
            SwitchboardConfig.OverlayNetwork network = overlay.networks().get(i);
            String key = "ovsdb.overlay.networks[" + i + "]";
            if (network == null || network.bridge() == null || network.bridge().isBlank()) {
                throw new IllegalArgumentException(key + ".bridge: required");
            }
            if (!bridges.add(network.bridge())) {
                throw new IllegalArgumentException(key + ".bridge: " + network.bridge() + " is another network's too");
            }
            if (network.vni() == null || network.vni() < 0 || network.vni() > MAX_VNI) {
                throw new IllegalArgumentException(key + ".vni: a tunnel key from 0 to " + MAX_VNI + " is required");
            }
            if (!vnis.add(network.vni())) {
                throw new IllegalArgumentException(key + ".vni: " + network.vni() + " is another network's too");
            }
            for (String host : names) {
                String port = portName(type, network.vni(), host);
                if (port.length() > 15) {
                    throw new IllegalArgumentException(key + ": the tunnel port " + port + " is longer than 15 characters;"
                            + " use shorter host names or smaller VNIs");
                }
            }
        }
        if (overlay.networks().isEmpty()) {
            throw new IllegalArgumentException("ovsdb.overlay.networks: at least one network (bridge and vni)");
        }
    }

    private static InterfaceType type(SwitchboardConfig.Overlay overlay) {
        String name = overlay.type() == null ? "vxlan" : overlay.type().trim();
        return switch (name) {
            case "vxlan" -> InterfaceType.VXLAN;
            case "geneve" -> InterfaceType.GENEVE;
            case "gre" -> InterfaceType.GRE;
            default -> throw new IllegalArgumentException("ovsdb.overlay.type: vxlan, geneve or gre, not '" + name + "'");
        };
    }
}
