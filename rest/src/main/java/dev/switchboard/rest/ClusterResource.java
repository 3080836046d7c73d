package dev.switchboard.rest;

import dev.switchboard.controller.SwitchService;
import dev.switchboard.rest.ApiModel.ClusterView;
import dev.switchboard.rest.ApiModel.MastershipView;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.projectfloodlight.openflow.types.DatapathId;

/** {@code /api/v1/cluster}: the members of the controller cluster and which one masters each switch. */
final class ClusterResource {
    private final Optional<ClusterInfo> cluster;
    private final SwitchService switches;

    ClusterResource(Optional<ClusterInfo> cluster, SwitchService switches) {
        this.cluster = cluster;
        this.switches = switches;
    }

    @OpenApi(path = "/api/v1/cluster", methods = HttpMethod.GET, tags = "cluster",
            summary = "The controller cluster as this instance last read it from ZooKeeper: members, and the master of each switch",
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = ClusterView.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class))})
    void cluster(Context ctx) {
        ClusterInfo info = cluster.orElseThrow(() -> ApiException.conflict(
                "this controller runs alone: its config has no cluster: section"));
        Map<DatapathId, String> masters = new TreeMap<>(info.masters());
        List<MastershipView> views = masters.entrySet().stream()
                .map(e -> new MastershipView(e.getKey().toString(), e.getValue(), switches.getSwitch(e.getKey()).isPresent()))
                .toList();
        ctx.json(new ClusterView(info.nodeId(), info.connected(), List.copyOf(info.members()), views));
    }
}
