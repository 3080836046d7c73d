package dev.switchboard.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.rest.OvsdbAccess.Bridge;
import dev.switchboard.rest.OvsdbAccess.Server;
import dev.switchboard.rest.OvsdbAccess.ServerView;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiRequestBody;
import io.javalin.openapi.OpenApiResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/ovsdb}: the OVSDB servers the controller manages, their bridges from the live
 * replica, and the changes {@code switchboard ovs} makes (add/delete bridge and port, set
 * controllers and fail mode), each one transaction. Reads come from the replica's immutable
 * snapshot; a change completes when ovs-vswitchd applied it, and the response is written from
 * the API's threads, never from the OVSDB connection's event loop.
 */
final class OvsdbResource {
    /** Bridge and port names: what a Linux interface may be called (OVS makes one per internal port). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}");
    private static final String NAME_TEXT = "a name of 1 to 15 letters, digits, '_', '.' or '-'";
    private static final Pattern DATAPATH = Pattern.compile("netdev|system");
    private static final Pattern FAIL_MODE = Pattern.compile("secure|standalone");
    private static final Pattern PROTOCOL = Pattern.compile("OpenFlow1[0-5]");
    private static final Pattern TARGET = Pattern.compile(
            "(tcp|ssl):[A-Za-z0-9.:\\[\\]-]+|unix:/[^\\s]{1,200}|p(tcp|ssl):[0-9]{0,5}(:[A-Za-z0-9.:\\[\\]-]+)?|punix:/[^\\s]{1,200}");
    private static final Pattern TYPE = Pattern.compile("system|internal|patch|vxlan|geneve|gre|tap");
    private static final Pattern OPTION_KEY = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern OPTION_VALUE = Pattern.compile("[^\\s\\p{Cntrl}]{1,256}");

    private final OvsdbAccess ovsdb;
    private final ObjectMapper mapper;
    private final Executor replies;

    OvsdbResource(OvsdbAccess ovsdb, ObjectMapper mapper, Executor replies) {
        this.ovsdb = ovsdb;
        this.mapper = mapper;
        this.replies = replies;
    }

    static void register(Javalin app, String base, OvsdbAccess ovsdb, ObjectMapper mapper, Executor replies) {
        OvsdbResource r = new OvsdbResource(ovsdb, mapper, replies);
        String bridges = base + "/ovsdb/{server}/bridges";
        app.get(base + "/ovsdb", r::servers);
        app.get(bridges, r::bridges);
        app.post(bridges, r::addBridge);
        app.get(bridges + "/{bridge}", r::bridge);
        app.delete(bridges + "/{bridge}", r::deleteBridge);
        app.put(bridges + "/{bridge}/controllers", r::setControllers);
        app.put(bridges + "/{bridge}/fail-mode", r::setFailMode);
        app.post(bridges + "/{bridge}/ports", r::addPort);
        app.delete(bridges + "/{bridge}/ports/{port}", r::deletePort);
    }

    @OpenApi(path = "/api/v1/ovsdb", methods = HttpMethod.GET, tags = "ovsdb",
            summary = "The OVSDB servers the controller manages (config ovsdb:), whether connected, their bridges",
            responses = @OpenApiResponse(status = "200", content = @OpenApiContent(from = ServerView[].class)))
    void servers(Context ctx) {
        ctx.json(access().servers().stream().map(s -> new ServerView(s.id(), s.name(), s.connected(),
                s.bridges().stream().map(Bridge::name).toList())).toList());
    }

    @OpenApi(path = "/api/v1/ovsdb/{server}/bridges", methods = HttpMethod.GET, tags = "ovsdb",
            summary = "A server's bridges with ports, interfaces (type, options, ofport), controllers, fail mode",
            pathParams = @OpenApiParam(name = "server", required = true, description = "a server's id from /api/v1/ovsdb"),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = Bridge[].class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class))})
    void bridges(Context ctx) {
        ctx.json(server(ctx).bridges());
    }

    @OpenApi(path = "/api/v1/ovsdb/{server}/bridges/{bridge}", methods = HttpMethod.GET, tags = "ovsdb",
            summary = "One bridge",
            pathParams = {@OpenApiParam(name = "server", required = true), @OpenApiParam(name = "bridge", required = true)},
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = Bridge.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class))})
    void bridge(Context ctx) {
        Server server = server(ctx);
        ctx.json(bridgeOf(server, name(ctx, "bridge")));
    }

    @OpenApi(path = "/api/v1/ovsdb/{server}/bridges", methods = HttpMethod.POST, tags = "ovsdb",
            summary = "Creates a bridge: {name, datapathType?, failMode?, protocols?, controllers?, mayExist?}",
            pathParams = @OpenApiParam(name = "server", required = true),
            requestBody = @OpenApiRequestBody(content = @OpenApiContent(from = OvsChange.AddBridge.class)),
            responses = {
                @OpenApiResponse(status = "201", content = @OpenApiContent(from = Bridge.class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "502", content = @OpenApiContent(from = ApiError.class))})
    void addBridge(Context ctx) {
        Server server = server(ctx);
        JsonBody body = JsonBody.parse(mapper, ctx.body(),
                Set.of("name", "datapathType", "failMode", "protocols", "controllers", "mayExist"));
        String name = body.string("name", NAME, NAME_TEXT, true);
        OvsChange change = new OvsChange.AddBridge(name,
                body.string("datapathType", DATAPATH, "netdev or system", false),
                body.string("failMode", FAIL_MODE, "secure or standalone", false),
                orEmpty(body.strings("protocols", PROTOCOL, "OpenFlow10 .. OpenFlow15")),
                body.strings("controllers", TARGET, "targets like tcp:127.0.0.1:6653"),
                body.flag("mayExist"));
        respond(ctx, server, change, 201, name);
    }

    @OpenApi(path = "/api/v1/ovsdb/{server}/bridges/{bridge}", methods = HttpMethod.DELETE, tags = "ovsdb",
            summary = "Deletes a bridge with its ports (?ifExists=true: no such bridge is fine)",
            pathParams = {@OpenApiParam(name = "server", required = true), @OpenApiParam(name = "bridge", required = true)},
            responses = {
                @OpenApiResponse(status = "204"),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "502", content = @OpenApiContent(from = ApiError.class))})
    void deleteBridge(Context ctx) {
        Server server = server(ctx);
        respond(ctx, server, new OvsChange.DeleteBridge(name(ctx, "bridge"), ifExists(ctx)), 204, null);
    }

    @OpenApi(path = "/api/v1/ovsdb/{server}/bridges/{bridge}/controllers", methods = HttpMethod.PUT, tags = "ovsdb",
            summary = "Makes {targets: [...]} the bridge's OpenFlow controllers (an empty list clears them)",
            pathParams = {@OpenApiParam(name = "server", required = true), @OpenApiParam(name = "bridge", required = true)},
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = Bridge.class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class))})
    void setControllers(Context ctx) {
        Server server = server(ctx);
        String bridge = name(ctx, "bridge");
        JsonBody body = JsonBody.parse(mapper, ctx.body(), Set.of("targets"));
        List<String> targets = body.strings("targets", TARGET, "targets like tcp:127.0.0.1:6653");
        if (targets == null) {
            throw ApiException.badRequest("targets", "targets: missing; expected a list (empty: no controller)");
        }
        respond(ctx, server, new OvsChange.SetControllers(bridge, targets), 200, bridge);
    }

    @OpenApi(path = "/api/v1/ovsdb/{server}/bridges/{bridge}/fail-mode", methods = HttpMethod.PUT, tags = "ovsdb",
            summary = "Sets {failMode: secure|standalone}",
            pathParams = {@OpenApiParam(name = "server", required = true), @OpenApiParam(name = "bridge", required = true)},
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = Bridge.class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class))})
    void setFailMode(Context ctx) {
        Server server = server(ctx);
        String bridge = name(ctx, "bridge");
        JsonBody body = JsonBody.parse(mapper, ctx.body(), Set.of("failMode"));
        respond(ctx, server, new OvsChange.SetFailMode(bridge, body.string("failMode", FAIL_MODE, "secure or standalone", true)),
                200, bridge);
    }

    @OpenApi(path = "/api/v1/ovsdb/{server}/bridges/{bridge}/ports", methods = HttpMethod.POST, tags = "ovsdb",
            summary = "Adds a port: {name, type?, options?, tag?, trunks?, mayExist?}; vxlan, geneve and gre need "
                    + "options.remote_ip, patch options.peer",
            pathParams = {@OpenApiParam(name = "server", required = true), @OpenApiParam(name = "bridge", required = true)},
            requestBody = @OpenApiRequestBody(content = @OpenApiContent(from = OvsChange.AddPort.class)),
            responses = {
                @OpenApiResponse(status = "201", content = @OpenApiContent(from = Bridge.class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "502", content = @OpenApiContent(from = ApiError.class))})
    void addPort(Context ctx) {
        Server server = server(ctx);
        String bridge = name(ctx, "bridge");
        JsonBody body = JsonBody.parse(mapper, ctx.body(), Set.of("name", "type", "options", "tag", "trunks", "mayExist"));
        String name = body.string("name", NAME, NAME_TEXT, true);
        String type = body.string("type", TYPE, "system, internal, patch, vxlan, geneve, gre or tap", false);
        type = type == null ? "system" : type;
        Map<String, String> options = body.stringMap("options", OPTION_KEY, OPTION_VALUE);
        // what a port of this type needs (a tunnel's remote_ip, a patch's peer) is PortSpec's to check:
        // the OVSDB side answers its refusal as a 400 naming the option
        OvsChange change = new OvsChange.AddPort(bridge, name, type, options, body.number("tag", 0, 4095),
                body.numbers("trunks", 0, 4095), body.flag("mayExist"));
        respond(ctx, server, change, 201, bridge);
    }

    @OpenApi(path = "/api/v1/ovsdb/{server}/bridges/{bridge}/ports/{port}", methods = HttpMethod.DELETE, tags = "ovsdb",
            summary = "Deletes a port of the bridge (?ifExists=true: no such port is fine)",
            pathParams = {@OpenApiParam(name = "server", required = true), @OpenApiParam(name = "bridge", required = true),
                @OpenApiParam(name = "port", required = true)},
            responses = {
                @OpenApiResponse(status = "204"),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class))})
    void deletePort(Context ctx) {
        Server server = server(ctx);
        String bridge = name(ctx, "bridge");
        respond(ctx, server, new OvsChange.DeletePort(bridge, name(ctx, "port"), ifExists(ctx)), 204, null);
    }

    /** Applies the change; answers {@code status} with the bridge as it is then (or nothing). */
    private void respond(Context ctx, Server server, OvsChange change, int status, String bridge) {
        CompletableFuture<Void> done = server.apply(change);
        ctx.future(() -> done.handleAsync((ok, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                ApiException error = cause instanceof ApiException api ? api
                        : ApiException.internal("OVSDB change " + change.getClass().getSimpleName() + " failed", cause);
                ctx.status(error.status()).json(error.body());
            } else if (bridge == null) {
                ctx.status(204);
            } else {
                ctx.status(status).json(server.bridges().stream().filter(b -> b.name().equals(bridge)).findFirst()
                        .map(Object.class::cast).orElse(Map.of("name", bridge)));
            }
            return null;
        }, replies));
    }

    private Server server(Context ctx) {
        String id = ctx.pathParam("server");
        return access().server(id).orElseThrow(() -> ApiException.notFound("no OVSDB server " + PathParams.Printable.of(id)
                + " is managed; see /api/v1/ovsdb"));
    }

    private static Bridge bridgeOf(Server server, String name) {
        return server.bridges().stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no bridge named " + name + " on " + server.name()));
    }

    private static String name(Context ctx, String param) {
        String value = ctx.pathParam(param);
        if (!NAME.matcher(value).matches()) {
            throw ApiException.badRequest(param, param + ": expected " + NAME_TEXT + ", found " + PathParams.Printable.of(value));
        }
        return value;
    }

    private static boolean ifExists(Context ctx) {
        String value = ctx.queryParam("ifExists");
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("ifExists", "ifExists: expected true or false");
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private OvsdbAccess access() {
        if (ovsdb == null) {
            throw ApiException.conflict("this server manages no OVSDB servers (configure ovsdb: connect or listen)");
        }
        return ovsdb;
    }
}
