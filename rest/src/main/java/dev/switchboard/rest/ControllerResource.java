package dev.switchboard.rest;

import dev.switchboard.controller.SwitchService;
import dev.switchboard.rest.ApiModel.AppView;
import dev.switchboard.rest.ApiModel.HealthView;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiResponse;
import java.time.Instant;

/** {@code /api/v1/apps} and {@code /api/v1/health}. */
final class ControllerResource {
    private final SwitchService switches;
    private final AppCatalog apps;
    private final Instant startedAt;

    ControllerResource(SwitchService switches, AppCatalog apps, Instant startedAt) {
        this.switches = switches;
        this.apps = apps;
        this.startedAt = startedAt;
    }

    @OpenApi(path = "/api/v1/apps", methods = HttpMethod.GET, tags = "apps",
            summary = "The running apps in start order, with their settings",
            responses = @OpenApiResponse(status = "200", content = @OpenApiContent(from = AppView[].class)))
    void apps(Context ctx) {
        ctx.json(apps.apps().stream()
                .map(a -> new AppView(a.name(), a.description(), a.cookie(), a.consumes(), a.settings())).toList());
    }

    @OpenApi(path = "/api/v1/health", methods = HttpMethod.GET, tags = "controller",
            summary = "Whether the controller runs, how many switches are connected, which apps run",
            responses = @OpenApiResponse(status = "200", content = @OpenApiContent(from = HealthView.class)))
    void health(Context ctx) {
        ctx.json(new HealthView("UP", switches.switches().size(),
                apps.apps().stream().map(AppCatalog.AppInfo::name).toList(), startedAt.toString()));
    }
}
