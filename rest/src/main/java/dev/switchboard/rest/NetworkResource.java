package dev.switchboard.rest;

import dev.switchboard.hosts.Host;
import dev.switchboard.hosts.HostService;
import dev.switchboard.rest.ApiModel.HostView;
import dev.switchboard.rest.ApiModel.LinkView;
import dev.switchboard.rest.ApiModel.PathView;
import dev.switchboard.topology.Link;
import dev.switchboard.topology.Topology;
import dev.switchboard.topology.TopologyService;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiResponse;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /api/v1/links}, {@code hosts} and {@code paths}: read from the topology and hosts apps'
 * immutable snapshots. When the app is not running the request conflicts with how the controller
 * was started: 409.
 */
final class NetworkResource {
    private final Supplier<Optional<TopologyService>> topology;
    private final Supplier<Optional<HostService>> hosts;

    NetworkResource(Supplier<Optional<TopologyService>> topology, Supplier<Optional<HostService>> hosts) {
        this.topology = topology;
        this.hosts = hosts;
    }

    @OpenApi(path = "/api/v1/links", methods = HttpMethod.GET, tags = "topology",
            summary = "The links the topology app discovered, one per direction",
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = LinkView[].class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class))})
    void links(Context ctx) {
        ctx.json(topology().links().stream().map(Views::linkView)
                .sorted(Comparator.comparing((LinkView l) -> l.src().dpid()).thenComparingLong(l -> l.src().port()))
                .toList());
    }

    @OpenApi(path = "/api/v1/hosts", methods = HttpMethod.GET, tags = "topology",
            summary = "The hosts the hosts app tracks, with where they are attached",
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = HostView[].class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class))})
    void hosts(Context ctx) {
        ctx.json(hostService().hosts().stream().map(Views::hostView)
                .sorted(Comparator.comparing(HostView::mac).thenComparingInt(HostView::vlan)).toList());
    }

    @OpenApi(path = "/api/v1/paths", methods = HttpMethod.GET, tags = "topology",
            summary = "The path between two hosts: the links from the first one's switch to the second one's",
            queryParams = {
                @OpenApiParam(name = "src", required = true, description = "a host's MAC or IPv4 address"),
                @OpenApiParam(name = "dst", required = true, description = "a host's MAC or IPv4 address")},
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = PathView.class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class))})
    void path(Context ctx) {
        PathParams.HostRef srcRef = PathParams.host("src", ctx.queryParam("src"));
        PathParams.HostRef dstRef = PathParams.host("dst", ctx.queryParam("dst"));
        HostService hostService = hostService();
        Topology snapshot = topology();
        Host src = find(hostService, "src", srcRef, ctx.queryParam("src"));
        Host dst = find(hostService, "dst", dstRef, ctx.queryParam("dst"));
        List<Link> links = snapshot.path(src.location().dpid(), dst.location().dpid())
                .orElseThrow(() -> ApiException.notFound("no path from " + src.location().dpid() + " to "
                        + dst.location().dpid() + " in the topology"));
        ctx.json(new PathView(Views.hostView(src), Views.hostView(dst), links.stream().map(Views::linkView).toList()));
    }

    private static Host find(HostService hostService, String field, PathParams.HostRef ref, String text) {
        Optional<Host> host = ref.mac() != null ? hostService.host(ref.mac()) : hostService.hostWithIp(ref.ip());
        return host.orElseThrow(() -> ApiException.notFound(field + ": no host " + PathParams.Printable.of(text) + " is known"));
    }

    private Topology topology() {
        return topology.get().orElseThrow(() -> ApiException.conflict(
                "the topology app is not running (start it, e.g. --apps topology)")).current();
    }

    private HostService hostService() {
        return hosts.get().orElseThrow(() -> ApiException.conflict(
                "the hosts app is not running (start it, e.g. --apps hosts)"));
    }
}
