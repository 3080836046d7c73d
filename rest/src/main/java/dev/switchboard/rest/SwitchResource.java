package dev.switchboard.rest;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchBusyException;
import dev.switchboard.controller.SwitchDisconnectedException;
import dev.switchboard.controller.SwitchErrorException;
import dev.switchboard.controller.SwitchService;
import dev.switchboard.rest.ApiModel.FlowView;
import dev.switchboard.rest.ApiModel.GroupView;
import dev.switchboard.rest.ApiModel.MeterView;
import dev.switchboard.rest.ApiModel.PortCountersView;
import dev.switchboard.rest.ApiModel.PortView;
import dev.switchboard.rest.ApiModel.PortWithCountersView;
import dev.switchboard.rest.ApiModel.SwitchView;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMeterConfigStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortStatsReply;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/**
 * {@code /api/v1/switches}: the connected switches from the controller's snapshot, and what a
 * switch reports when asked (port counters, flows). A request to a switch is answered
 * asynchronously: the reply completes on the switch's event loop, and the response is written
 * from {@code replies} (the API's own threads), so no event loop ever writes to an HTTP client.
 */
final class SwitchResource {
    /** OFPM_ALL: every meter. */
    private static final long ALL_METERS = 0xFFFF_FFFFL;
    static final String DPID_DESCRIPTION = "datapath id: 00:00:00:00:00:00:00:01 or up to 16 hex digits";

    private final SwitchService switches;
    private final Executor replies;
    private final Duration switchTimeout;
    private final java.util.Optional<ClusterInfo> cluster;

    SwitchResource(SwitchService switches, Executor replies, Duration switchTimeout) {
        this(switches, replies, switchTimeout, java.util.Optional.empty());
    }

    SwitchResource(SwitchService switches, Executor replies, Duration switchTimeout, java.util.Optional<ClusterInfo> cluster) {
        this.switches = switches;
        this.replies = replies;
        this.switchTimeout = switchTimeout;
        this.cluster = cluster;
    }

    @OpenApi(path = "/api/v1/switches", methods = HttpMethod.GET, tags = "switches",
            summary = "The connected switches: version, description, connected since, role (and in a cluster their master) and ports",
            responses = @OpenApiResponse(status = "200", content = @OpenApiContent(from = SwitchView[].class)))
    void list(Context ctx) {
        ctx.json(switches.switches().stream()
                .sorted(Comparator.comparing(OFSwitch::id))
                .map(sw -> Views.switchView(sw, cluster)).toList());
    }

    @OpenApi(path = "/api/v1/switches/{dpid}", methods = HttpMethod.GET, tags = "switches",
            summary = "One switch",
            pathParams = @OpenApiParam(name = "dpid", description = DPID_DESCRIPTION, required = true),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = SwitchView.class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class))})
    void one(Context ctx) {
        ctx.json(Views.switchView(find(ctx), cluster));
    }

    @OpenApi(path = "/api/v1/switches/{dpid}/ports", methods = HttpMethod.GET, tags = "switches",
            summary = "A switch's ports with their counters, read from the switch now (port stats)",
            pathParams = @OpenApiParam(name = "dpid", description = DPID_DESCRIPTION, required = true),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = PortWithCountersView[].class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "503", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "504", content = @OpenApiContent(from = ApiError.class))})
    void ports(Context ctx) {
        OFSwitch sw = connected(find(ctx));
        OFFactory f = sw.factory();
        CompletableFuture<List<OFPortStatsReply>> stats = sw.requestStats(
                f.buildPortStatsRequest().setPortNo(OFPort.ANY).build(), switchTimeout);
        answer(ctx, sw, stats, parts -> {
            Map<Long, PortCountersView> counters = new HashMap<>();
            for (OFPortStatsReply part : parts) {
                for (OFPortStatsEntry entry : part.getEntries()) {
                    PortCountersView view = Views.counters(entry);
                    counters.put(view.port(), view);
                }
            }
            List<PortView> ports = Views.ports(sw);
            return ports.stream().map(p -> new PortWithCountersView(p, counters.get(p.number()))).toList();
        });
    }

    @OpenApi(path = "/api/v1/switches/{dpid}/flows", methods = HttpMethod.GET, tags = "flows",
            summary = "A switch's flows, every table, read from the switch now (flow stats)",
            pathParams = @OpenApiParam(name = "dpid", description = DPID_DESCRIPTION, required = true),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = FlowView[].class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "503", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "504", content = @OpenApiContent(from = ApiError.class))})
    void flows(Context ctx) {
        OFSwitch sw = connected(find(ctx));
        OFFactory f = sw.factory();
        OFFlowStatsRequest.Builder request = f.buildFlowStatsRequest()
                .setMatch(f.matchWildcardAll())
                .setTableId(TableId.ALL)
                .setOutPort(OFPort.ANY);
        if (f.getVersion() != OFVersion.OF_10) {
            request.setOutGroup(OFGroup.ANY);
        }
        answer(ctx, sw, sw.requestStats(request.build(), switchTimeout), parts -> parts.stream()
                .flatMap(part -> ((OFFlowStatsReply) part).getEntries().stream())
                .map(Views::flowView)
                .sorted(Comparator.comparingInt(FlowView::tableId).thenComparing(Comparator.comparingInt(FlowView::priority).reversed()))
                .toList());
    }

    @OpenApi(path = "/api/v1/switches/{dpid}/groups", methods = HttpMethod.GET, tags = "flows",
            summary = "A switch's groups, read from the switch now (group desc; OpenFlow 1.1 on)",
            pathParams = @OpenApiParam(name = "dpid", description = DPID_DESCRIPTION, required = true),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = GroupView[].class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "503", content = @OpenApiContent(from = ApiError.class))})
    void groups(Context ctx) {
        OFSwitch sw = connected(find(ctx));
        OFGroupDescStatsRequest request = supported(sw, "groups", () -> sw.factory().buildGroupDescStatsRequest().build());
        answer(ctx, sw, sw.requestStats(request, switchTimeout), parts -> parts.stream()
                .flatMap(part -> part.getEntries().stream()).map(Views::groupView)
                .sorted(Comparator.comparingLong(GroupView::groupId)).toList());
    }

    @OpenApi(path = "/api/v1/switches/{dpid}/meters", methods = HttpMethod.GET, tags = "flows",
            summary = "A switch's meters, read from the switch now (meter config; OpenFlow 1.3 on)",
            pathParams = @OpenApiParam(name = "dpid", description = DPID_DESCRIPTION, required = true),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = MeterView[].class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "503", content = @OpenApiContent(from = ApiError.class))})
    void meters(Context ctx) {
        OFSwitch sw = connected(find(ctx));
        OFMeterConfigStatsRequest request = supported(sw, "meters",
                () -> sw.factory().buildMeterConfigStatsRequest().setMeterId(ALL_METERS).build());
        answer(ctx, sw, sw.requestStats(request, switchTimeout), parts -> parts.stream()
                .flatMap(part -> part.getEntries().stream()).map(Views::meterView)
                .sorted(Comparator.comparingLong(MeterView::meterId)).toList());
    }

    /** A request the switch's version may lack (openflowj refuses to build it): 409 then. */
    private static <T> T supported(OFSwitch sw, String what, Supplier<T> build) {
        try {
            return build.get();
        } catch (UnsupportedOperationException e) {
            throw ApiException.conflict("switch " + sw.id() + " speaks OpenFlow " + Views.versionName(sw.version())
                    + ", which has no " + what);
        }
    }

    private OFSwitch find(Context ctx) {
        DatapathId dpid = PathParams.dpid("dpid", ctx.pathParam("dpid"));
        return switches.getSwitch(dpid)
                .orElseThrow(() -> ApiException.notFound("no switch " + dpid + " is connected"));
    }

    private static OFSwitch connected(OFSwitch sw) {
        if (!sw.isConnected()) {
            throw ApiException.unavailable("switch " + sw.id() + " disconnected");
        }
        return sw;
    }

    /**
     * Completes the response when the switch answers: on {@code replies}, never on the event
     * loop that completed {@code reply}.
     */
    private <T> void answer(Context ctx, OFSwitch sw, CompletableFuture<T> reply, Function<T, Object> toJson) {
        ctx.future(() -> reply.handleAsync((value, failure) -> {
            if (failure == null) {
                ctx.json(toJson.apply(value));
            } else {
                ApiException error = switchFailure(sw, failure);
                ctx.status(error.status()).json(error.body());
            }
            return null;
        }, replies));
    }

    /**
     * 409 for a write to a switch this instance does not master: it names the instance that does,
     * where the client should send the write.
     */
    static ApiException notMaster(OFSwitch sw, java.util.Optional<ClusterInfo> cluster) {
        java.util.Optional<String> master = cluster.flatMap(c -> c.master(sw.id()));
        String self = cluster.map(ClusterInfo::nodeId).orElse("this instance");
        return ApiException.conflict("switch " + sw.id() + " is mastered by "
                + master.map(m -> "cluster member " + m).orElse("no cluster member at the moment") + ", not by " + self
                + ": write to its master" + (master.isPresent() ? "" : " once one is elected"));
    }

    static ApiException switchFailure(OFSwitch sw, Throwable failure) {
        return switchFailure(sw, failure, java.util.Optional.empty());
    }

    static ApiException switchFailure(OFSwitch sw, Throwable failure, java.util.Optional<ClusterInfo> cluster) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof dev.switchboard.controller.NotMasterException) {
            return notMaster(sw, cluster);
        }
        if (cause instanceof SwitchDisconnectedException) {
            return ApiException.unavailable("switch " + sw.id() + " disconnected before it answered");
        }
        if (cause instanceof SwitchBusyException) {
            return ApiException.unavailable("switch " + sw.id() + " is too busy to take the request; try again");
        }
        if (cause instanceof TimeoutException) {
            return new ApiException(504, "switch " + sw.id() + " did not answer in time", null);
        }
        if (cause instanceof SwitchErrorException e) {
            return new ApiException(502, "switch " + sw.id() + " refused the request: " + e.getMessage(), null);
        }
        return ApiException.internal("reading from switch " + sw.id() + " failed", cause);
    }
}
