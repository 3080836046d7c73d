package dev.switchboard.rest;

import dev.switchboard.rest.AppControl.AppState;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/apps/{name}}: one app, running or not, and {@code POST .../enable} and
 * {@code .../disable}. A change completes asynchronously (flows are reconciled or deleted on the
 * switches) and its response is written from the API's threads.
 */
final class AppsResource {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    /** How long a change may take: reconciling or deleting flows on every switch. */
    static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);

    private final AppControl apps;
    private final Executor replies;

    AppsResource(AppControl apps, Executor replies) {
        this.apps = apps;
        this.replies = replies;
    }

    static void register(Javalin app, String base, AppControl apps, Executor replies) {
        AppsResource resource = new AppsResource(apps, replies);
        app.get(base + "/apps/{name}", resource::one);
        app.post(base + "/apps/{name}/enable", resource::enable);
        app.post(base + "/apps/{name}/disable", resource::disable);
    }

    @OpenApi(path = "/api/v1/apps/{name}", methods = HttpMethod.GET, tags = "apps",
            summary = "One app on the class path, running or stopped: services, cookie, settings",
            pathParams = @OpenApiParam(name = "name", required = true),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = AppState.class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class))})
    void one(Context ctx) {
        String name = name(ctx);
        ctx.json(control().app(name).orElseThrow(() -> unknown(name)));
    }

    @OpenApi(path = "/api/v1/apps/{name}/enable", methods = HttpMethod.POST, tags = "apps",
            summary = "Starts the app (its providers must run); reconciles the switches for it",
            pathParams = @OpenApiParam(name = "name", required = true),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = AppState.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class))})
    void enable(Context ctx) {
        change(ctx, control()::enable);
    }

    @OpenApi(path = "/api/v1/apps/{name}/disable", methods = HttpMethod.POST, tags = "apps",
            summary = "Stops the app and deletes its flows (by cookie); 409 while running apps consume it",
            pathParams = @OpenApiParam(name = "name", required = true),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = AppState.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class))})
    void disable(Context ctx) {
        change(ctx, control()::disable);
    }

    private void change(Context ctx, Function<String, CompletableFuture<AppState>> action) {
        String name = name(ctx);
        if (control().app(name).isEmpty()) {
            throw unknown(name);
        }
        CompletableFuture<AppState> done = action.apply(name).orTimeout(CHANGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        ctx.future(() -> done.handleAsync((state, failure) -> {
            if (failure == null) {
                ctx.json(state);
            } else {
                ApiException error = failure(name, failure);
                ctx.status(error.status()).json(error.body());
            }
            return null;
        }, replies));
    }

    static ApiException failure(String name, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return new ApiException(504, "app " + name + ": the switches did not all confirm within "
                    + CHANGE_TIMEOUT.toSeconds() + " s; the change is made, check the flows", null);
        }
        return ApiException.internal("changing app " + name + " failed", cause);
    }

    private AppControl control() {
        if (apps == null) {
            throw ApiException.conflict("this server does not manage apps");
        }
        return apps;
    }

    private static String name(Context ctx) {
        String name = ctx.pathParam("name");
        if (!NAME.matcher(name).matches()) {
            throw ApiException.badRequest("name", "an app name is lower-case letters, digits and '-', not "
                    + PathParams.Printable.of(name));
        }
        return name;
    }

    private static ApiException unknown(String name) {
        return ApiException.notFound("no app named " + name + " is on the class path");
    }
}
