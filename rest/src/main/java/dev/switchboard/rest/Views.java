package dev.switchboard.rest;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchDescription;
import dev.switchboard.controller.app.FlowEntries;
import dev.switchboard.hosts.Host;
import dev.switchboard.rest.ApiModel.BucketView;
import dev.switchboard.rest.ApiModel.DescriptionView;
import dev.switchboard.rest.ApiModel.FeaturesView;
import dev.switchboard.rest.ApiModel.FlowView;
import dev.switchboard.rest.ApiModel.GroupView;
import dev.switchboard.rest.ApiModel.HostView;
import dev.switchboard.rest.ApiModel.LinkView;
import dev.switchboard.rest.ApiModel.MeterView;
import dev.switchboard.rest.ApiModel.PortCountersView;
import dev.switchboard.rest.ApiModel.PortView;
import dev.switchboard.rest.ApiModel.SwitchPortView;
import dev.switchboard.rest.ApiModel.SwitchView;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFMeterConfig;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.U64;

/** Turns the controller's and apps' values into the API's JSON records. */
final class Views {

    private Views() {
    }

    static SwitchView switchView(OFSwitch sw) {
        return switchView(sw, java.util.Optional.empty());
    }

    /** {@code cluster}: the cluster this instance belongs to, which names the switch's master. */
    static SwitchView switchView(OFSwitch sw, java.util.Optional<ClusterInfo> cluster) {
        SwitchDescription d = sw.description();
        dev.switchboard.controller.ControllerRole role = sw.controllerRole();
        String roleName = role != dev.switchboard.controller.ControllerRole.EQUAL ? role.name()
                : sw.version().compareTo(OFVersion.OF_12) >= 0 ? "EQUAL" : null;
        return new SwitchView(sw.id().toString(), versionName(sw.version()),
                sw.remoteAddress() == null ? null : sw.remoteAddress().getHostString() + ":" + sw.remoteAddress().getPort(),
                sw.connectedSince().map(Object::toString).orElse(null),
                roleName,
                cluster.flatMap(c -> c.master(sw.id())).orElse(null),
                new DescriptionView(d.manufacturer(), d.hardware(), d.software(), d.serialNumber(), d.datapath()),
                new FeaturesView(sw.features().buffers(), Short.toUnsignedInt(sw.features().tables()),
                        sw.features().capabilities().stream().map(Enum::name).sorted().toList()),
                ports(sw));
    }

    static List<PortView> ports(OFSwitch sw) {
        return sw.ports().values().stream()
                .sorted(Comparator.comparingLong(p -> Integer.toUnsignedLong(p.getPortNo().getPortNumber())))
                .map(Views::portView).toList();
    }

    static PortView portView(OFPortDesc port) {
        Set<OFPortConfig> config = port.getConfig();
        Set<OFPortState> state = port.getState();
        long speed;
        try {
            speed = port.getCurrSpeed();
        } catch (UnsupportedOperationException e) {
            speed = -1; // 1.4 on: a property the switch may leave out
        }
        return new PortView(Integer.toUnsignedLong(port.getPortNo().getPortNumber()), port.getName(),
                port.getHwAddr().toString(), config.stream().map(Enum::name).sorted().toList(),
                state.stream().map(Enum::name).sorted().toList(), speed,
                !config.contains(OFPortConfig.PORT_DOWN) && !state.contains(OFPortState.LINK_DOWN));
    }

    static PortCountersView counters(OFPortStatsEntry e) {
        return new PortCountersView(Integer.toUnsignedLong(e.getPortNo().getPortNumber()),
                counter(e::getRxPackets), counter(e::getTxPackets), counter(e::getRxBytes), counter(e::getTxBytes),
                counter(e::getRxDropped), counter(e::getTxDropped), counter(e::getRxErrors), counter(e::getTxErrors));
    }

    private static long counter(Supplier<U64> read) {
        try {
            U64 value = read.get();
            // all ones: "not counted" in OpenFlow
            return value == null || value.getValue() == -1L ? -1 : value.getValue();
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    static FlowView flowView(OFFlowStatsEntry flow) {
        long duration;
        try {
            duration = flow.getDurationSec();
        } catch (UnsupportedOperationException e) {
            duration = -1;
        }
        return new FlowView(flow.getCookie().toString(), flow.getTableId().getValue(), flow.getPriority(),
                match(flow.getMatch()), FlowEntries.actions(flow).stream().map(Views::action).toList(),
                flow.getPacketCount().getValue(), flow.getByteCount().getValue(), duration,
                flow.getIdleTimeout(), flow.getHardTimeout());
    }

    static GroupView groupView(OFGroupDescStatsEntry group) {
        return new GroupView(Integer.toUnsignedLong(group.getGroup().getGroupNumber()), group.getGroupType().name(),
                group.getBuckets().stream().map(Views::bucketView).toList());
    }

    private static BucketView bucketView(OFBucket bucket) {
        int weight;
        String watchPort;
        String watchGroup;
        try {
            weight = bucket.getWeight();
            watchPort = bucket.getWatchPort().toString();
            watchGroup = bucket.getWatchGroup().toString();
        } catch (UnsupportedOperationException e) {
            weight = -1; // 1.5: bucket properties
            watchPort = null;
            watchGroup = null;
        }
        return new BucketView(weight, watchPort, watchGroup, bucket.getActions().stream().map(Views::action).toList());
    }

    static MeterView meterView(OFMeterConfig meter) {
        return new MeterView(meter.getMeterId(), meter.getFlags().stream().map(Enum::name).sorted().toList(),
                meter.getEntries().stream().map(Object::toString).toList());
    }

    static Map<String, String> match(Match match) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (MatchField<?> field : match.getMatchFields()) {
            fields.put(field.getName(), matchValue(match, field));
        }
        return fields;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String matchValue(Match match, MatchField field) {
        return typedMatchValue(match, field);
    }

    private static <F extends OFValueType<F>> String typedMatchValue(Match match, MatchField<F> field) {
        return match.isPartiallyMasked(field) ? String.valueOf(match.getMasked(field)) : String.valueOf(match.get(field));
    }

    static String action(OFAction action) {
        if (action instanceof OFActionOutput output) {
            return "output:" + output.getPort();
        }
        return action.toString();
    }

    static SwitchPortView switchPort(SwitchPort port) {
        return new SwitchPortView(port.dpid().toString(), Integer.toUnsignedLong(port.port().getPortNumber()));
    }

    static LinkView linkView(Link link) {
        return new LinkView(switchPort(link.src()), switchPort(link.dst()), link.kind().name());
    }

    static HostView hostView(Host host) {
        return new HostView(host.mac().toString(), host.vlan().getVlan(), switchPort(host.location()),
                host.ipv4().stream().map(Object::toString).sorted().toList(),
                host.ipv6().stream().map(Object::toString).sorted().toList(),
                host.firstSeen().toString(), host.lastSeen().toString());
    }

    /** {@code 1.3} for OF_13. */
    static String versionName(OFVersion version) {
        return switch (version) {
            case OF_10 -> "1.0";
            case OF_11 -> "1.1";
            case OF_12 -> "1.2";
            case OF_13 -> "1.3";
            case OF_14 -> "1.4";
            case OF_15 -> "1.5";
        };
    }
}
