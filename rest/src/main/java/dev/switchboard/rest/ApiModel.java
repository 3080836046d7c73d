package dev.switchboard.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The JSON values of the API, as records; field names are the JSON keys. */
public final class ApiModel {

    private ApiModel() {
    }

    /**
     * @param connectedSince ISO-8601 instant the handshake ended, or null if not known
     * @param role           the switch's OpenFlow role for this controller: alone {@code EQUAL} (the
     *                       controller sends no role request) from 1.2 on, null on 1.0, which has no
     *                       roles; in a cluster {@code MASTER} or {@code SLAVE} (on 1.0 through the
     *                       Nicira role extension)
     * @param master         in a cluster, the node id of the instance that masters the switch (null
     *                       while none does); absent alone
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SwitchView(String dpid, String version, String remoteAddress, String connectedSince, String role,
            String master, DescriptionView description, FeaturesView features, List<PortView> ports) {
    }

    /**
     * {@code /api/v1/cluster}: the cluster as this instance last read it.
     *
     * @param nodeId    this instance
     * @param connected whether this instance is in touch with ZooKeeper (without it, it masters nothing)
     * @param members   the live members' node ids
     * @param masters   the switches that have a master, with it
     */
    public record ClusterView(String nodeId, boolean connected, List<String> members, List<MastershipView> masters) {
    }

    /**
     * @param dpid      the switch
     * @param master    the node id of its master
     * @param connected whether the switch is connected to this instance too
     */
    public record MastershipView(String dpid, String master, boolean connected) {
    }

    public record DescriptionView(String manufacturer, String hardware, String software, String serialNumber,
            String datapath) {
    }

    public record FeaturesView(long buffers, int tables, List<String> capabilities) {
    }

    public record PortView(long number, String name, String hwAddress, List<String> config, List<String> state,
            long currentSpeedKbps, boolean up) {
    }

    /** A port's counters as the switch reported them just now; -1 where the switch does not count. */
    public record PortCountersView(long port, long rxPackets, long txPackets, long rxBytes, long txBytes,
            long rxDropped, long txDropped, long rxErrors, long txErrors) {
    }

    /** A port with its counters (null if the switch did not report any for it). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PortWithCountersView(PortView port, PortCountersView counters) {
    }

    public record FlowView(String cookie, int tableId, int priority, Map<String, String> match, List<String> actions,
            long packetCount, long byteCount, long durationSeconds, int idleTimeout, int hardTimeout) {
    }

    /** A group bucket; weight -1, watch ports and groups null where the version has none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BucketView(int weight, String watchPort, String watchGroup, List<String> actions) {
    }

    public record GroupView(long groupId, String type, List<BucketView> buckets) {
    }

    public record MeterView(long meterId, List<String> flags, List<String> bands) {
    }

    public record SwitchPortView(String dpid, long port) {
    }

    public record LinkView(SwitchPortView src, SwitchPortView dst, String kind) {
    }

    public record HostView(String mac, int vlan, SwitchPortView location, List<String> ipv4, List<String> ipv6,
            String firstSeen, String lastSeen) {
    }

    /** The hops from one host to another: the links between their switches, in order. */
    public record PathView(HostView src, HostView dst, List<LinkView> links) {
    }

    public record AppView(String name, String description, String cookie, List<String> consumes,
            Map<String, Object> settings) {
    }

    public record HealthView(String status, int switches, List<String> apps, String startedAt) {
    }
}
