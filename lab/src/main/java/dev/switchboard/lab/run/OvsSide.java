package dev.switchboard.lab.run;

import dev.switchboard.lab.spec.LabNames;
import dev.switchboard.lab.spec.LabSpec;
import dev.switchboard.lab.spec.LinkKind;
import dev.switchboard.lab.spec.NodeRole;
import dev.switchboard.lab.spec.OpenFlowVersion;
import dev.switchboard.lab.spec.OvsSwitch;
import dev.switchboard.lab.spec.Port;
import dev.switchboard.lab.spec.Switch;
import dev.switchboard.lab.spec.Wire;
import dev.switchboard.ovsdb.vswitch.ApplyOptions;
import dev.switchboard.ovsdb.vswitch.BridgeSpec;
import dev.switchboard.ovsdb.vswitch.Change;
import dev.switchboard.ovsdb.vswitch.InterfaceType;
import dev.switchboard.ovsdb.vswitch.OpenVSwitch;
import dev.switchboard.ovsdb.vswitch.PortSpec;
import dev.switchboard.ovsdb.vswitch.VSwitchException;
import dev.switchboard.ovsdb.vswitch.Views.BridgeView;
import dev.switchboard.ovsdb.vswitch.Views.ControllerView;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The OVS half of {@code lab up}: every {@link OvsSwitch} a bridge {@code <lab>-<switch>} with
 * the userspace datapath, its settings, controller (a loopback one as the private OVS reaches it:
 * {@link LabOvs#controllerTarget}), RSTP when {@code stp: true}, and its ports
 * (veth ends, patch ports, taps), each with its Mininet number as OpenFlow port number. Changes
 * only what differs, so a second run sends nothing; a port whose device the kernel side made
 * again is removed and added again, since ovs-vswitchd keeps reading the deleted device.
 */
final class OvsSide {
    /** The external id that marks a bridge as a lab's. */
    static final String LAB_ID = "switchboard-lab";
    /**
     * Ports added per OVSDB transaction: a large lab's ports go in several, so that progress
     * shows between them (a half-done up is completed by the next, which converges).
     */
    static final int PORTS_PER_TRANSACTION = 100;

    private final LabSpec spec;
    private final LabNames names;
    private final LabState state;
    private final LabOvs ovs;

    OvsSide(LabSpec spec, LabState state, LabOvs ovs) {
        this.spec = spec;
        this.names = spec.names();
        this.state = state;
        this.ovs = ovs;
    }

    /** A port to have: its spec and its OpenFlow port number. */
    private record WantedPort(PortSpec spec, int number) {
    }

    void converge(Set<String> madeDevices, PrintStream progress, LabProgress steps) {
        OpenVSwitch vswitch = ovs.vswitch();
        List<Change> bridgeChanges = new ArrayList<>();
        List<LabState.Entry> intents = new ArrayList<>();
        int bridgesAdded = 0;
        for (Switch sw : spec.switches()) {
            if (!(sw instanceof OvsSwitch ovsSwitch)) {
                continue;
            }
            String bridge = names.bridge(ovsSwitch.name());
            BridgeSpec wanted = bridgeSpec(ovsSwitch);
            List<String> controllers = ovsSwitch.controller().map(c -> List.of(ovs.controllerTarget(c))).orElse(List.of());
            Optional<BridgeView> existing = vswitch.bridge(bridge);
            if (existing.isEmpty()) {
                intents.add(new LabState.Entry(LabState.Kind.OVS_BRIDGE, bridge));
                bridgeChanges.add(new Change.AddBridge(wanted, true));
                if (!controllers.isEmpty()) {
                    bridgeChanges.add(new Change.SetControllers(bridge, controllers));
                }
                bridgesAdded++;
                continue;
            }
            if (differs(existing.get(), wanted)) {
                bridgeChanges.add(new Change.ConfigureBridge(wanted));
            }
            Set<String> targets = existing.get().controllers().stream().map(ControllerView::target).collect(Collectors.toSet());
            if (!targets.equals(Set.copyOf(controllers))) {
                bridgeChanges.add(new Change.SetControllers(bridge, controllers));
            }
        }
        List<Change> removals = new ArrayList<>();
        List<Change> additions = new ArrayList<>();
        Map<String, Integer> numbers = new LinkedHashMap<>();
        for (WantedPort port : ports()) {
            String name = port.spec().name();
            numbers.put(name, port.number());
            Optional<BridgeView> bridge = vswitch.bridge(port.spec().bridge());
            boolean present = bridge.flatMap(b -> b.port(name)).isPresent();
            if (present && madeDevices.contains(name)) {
                removals.add(new Change.DeletePort(port.spec().bridge(), name, true));
                present = false;
            }
            if (!present) {
                additions.add(new Change.AddPort(port.spec(), true));
            }
        }
        state.intendAll(intents);
        if (!bridgeChanges.isEmpty()) {
            vswitch.applyNow(bridgeChanges, ApplyOptions.DEFAULT);
        }
        // RSTP before the ports: a loop of new switches never floods
        Map<String, Boolean> rstp = new LinkedHashMap<>();
        spec.switches().stream().filter(OvsSwitch.class::isInstance)
                .forEach(sw -> rstp.put(names.bridge(sw.name()), sw.stp()));
        int stpChanged = ovs.setRstp(rstp);
        if (!removals.isEmpty()) {
            vswitch.applyNow(removals, ApplyOptions.DEFAULT);
        }
        if (!additions.isEmpty()) {
            steps.start("  ovs ports", additions.size());
            Map<String, String> errors = new LinkedHashMap<>();
            for (int from = 0; from < additions.size(); from += PORTS_PER_TRANSACTION) {
                List<Change> chunk = additions.subList(from, Math.min(additions.size(), from + PORTS_PER_TRANSACTION));
                errors.putAll(vswitch.applyNow(chunk, ApplyOptions.DEFAULT).interfaceErrors());
                steps.advance(chunk.size());
            }
            if (!errors.isEmpty()) {
                throw new VSwitchException("OVS could not set up " + errors);
            }
        }
        int renumbered = ovs.requestPortNumbers(numbers);
        if (!bridgeChanges.isEmpty() || !additions.isEmpty() || renumbered > 0 || stpChanged > 0) {
            progress.printf("  ovs: %d bridges, %d ports added (%d re-added), %d ports numbered%s%n", bridgesAdded,
                    additions.size(), removals.size(), renumbered,
                    stpChanged > 0 ? ", RSTP set on " + stpChanged + " bridges" : "");
        }
    }

    private BridgeSpec bridgeSpec(OvsSwitch sw) {
        Map<String, String> otherConfig = new LinkedHashMap<>();
        sw.datapathIdHex().ifPresent(dpid -> otherConfig.put("datapath-id", dpid));
        return BridgeSpec.named(names.bridge(sw.name())).withDatapathType("netdev")
                .withFailMode(sw.effectiveFailMode().name().toLowerCase())
                .withProtocols(sw.protocols().stream().map(OpenFlowVersion::text).collect(Collectors.toSet()))
                .withOtherConfig(otherConfig)
                .withExternalIds(Map.of(LAB_ID, spec.name()));
    }

    /** The ports of the lab's OVS switches: link ends in link order, then taps. */
    private List<WantedPort> ports() {
        List<WantedPort> out = new ArrayList<>();
        for (Wire wire : spec.wiring()) {
            for (Port port : List.of(wire.a(), wire.b())) {
                if (port.role() != NodeRole.SWITCH || !isOvs(port.node())) {
                    continue;
                }
                String bridge = names.bridge(port.node());
                PortSpec portSpec = wire.link().kind() == LinkKind.PATCH
                        ? PortSpec.patch(bridge, port.rootName(), (port == wire.a() ? wire.b() : wire.a()).rootName())
                        : PortSpec.of(bridge, port.rootName(), InterfaceType.SYSTEM);
                // asked for at creation, so OVS need not renumber (remove and re-add) the port later
                out.add(new WantedPort(portSpec.withOfportRequest((long) port.number()), port.number()));
            }
        }
        spec.tapPorts().values().stream().filter(port -> isOvs(port.node())).forEach(port -> out.add(new WantedPort(
                PortSpec.of(names.bridge(port.node()), port.rootName(), InterfaceType.SYSTEM)
                        .withOfportRequest((long) port.number()), port.number())));
        return out;
    }

    private boolean isOvs(String switchName) {
        return spec.findSwitch(switchName).filter(OvsSwitch.class::isInstance).isPresent();
    }

    /** As {@code OpenVSwitch.ensure} compares: what the spec sets and the bridge lacks. */
    private static boolean differs(BridgeView bridge, BridgeSpec spec) {
        return (spec.datapathType() != null && !spec.datapathType().equals(bridge.datapathType()))
                || (spec.failMode() != null && !Optional.of(spec.failMode()).equals(bridge.failMode()))
                || (!spec.protocols().isEmpty() && !spec.protocols().equals(bridge.protocols()))
                || !bridge.otherConfig().entrySet().containsAll(spec.otherConfig().entrySet())
                || !bridge.externalIds().entrySet().containsAll(spec.externalIds().entrySet());
    }
}
