package dev.switchboard.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/labs}: the labs on this machine, and bringing one up or down. Both take long
 * (namespaces, OVS): {@code POST} and {@code DELETE} check the request, queue the work on one
 * thread of their own (labs change one at a time on a host anyway) and answer 202 with the lab's
 * URL in {@code Location}; {@code GET /api/v1/labs/{name}} shows the operation's progress and
 * outcome and the lab's status lines.
 */
final class LabsResource {
    private static final Pattern LAB = Pattern.compile("[a-z][a-z0-9]{0,5}");
    private static final Pattern TOPO = Pattern.compile("[a-z]+(,[0-9]{1,3}){0,2}");
    private static final Pattern CONTROLLER = Pattern.compile("(tcp|ssl):[A-Za-z0-9.\\[\\]:-]{1,100}");
    private static final int PROGRESS_LINES = 200;

    private final LabControl labs;
    private final ObjectMapper mapper;
    private final ExecutorService worker;
    /** The last operation asked for each lab; replaced, never changed in place. */
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();

    /**
     * @param state   {@code QUEUED}, {@code RUNNING}, {@code DONE} or {@code FAILED}
     * @param error   why it failed, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Operation(String kind, String state, String error, List<String> progress) {
        Operation with(String newState, String newError) {
            return new Operation(kind, newState, newError, progress);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LabView(String name, boolean exists, Operation operation, List<String> status) {
    }

    LabsResource(LabControl labs, ObjectMapper mapper, ExecutorService worker) {
        this.labs = labs;
        this.mapper = mapper;
        this.worker = worker;
    }

    static void register(Javalin app, String base, LabControl labs, ObjectMapper mapper) {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "rest-labs");
            thread.setDaemon(true);
            return thread;
        });
        LabsResource r = new LabsResource(labs, mapper, worker);
        app.events(events -> events.serverStopped(worker::shutdownNow));
        app.get(base + "/labs", r::list);
        app.post(base + "/labs", r::up);
        app.get(base + "/labs/{name}", r::one);
        app.delete(base + "/labs/{name}", r::down);
    }

    @OpenApi(path = "/api/v1/labs", methods = HttpMethod.GET, tags = "labs",
            summary = "The labs on this machine, with the last operation asked through the API",
            responses = @OpenApiResponse(status = "200", content = @OpenApiContent(from = LabView[].class)))
    void list(Context ctx) {
        List<String> existing = control().labs();
        List<String> names = new ArrayList<>(existing);
        operations.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        Collections.sort(names);
        ctx.json(names.stream().map(n -> new LabView(n, existing.contains(n), operations.get(n), null)).toList());
    }

    @OpenApi(path = "/api/v1/labs/{name}", methods = HttpMethod.GET, tags = "labs",
            summary = "A lab: its last operation (state, progress, error) and its status lines",
            pathParams = @OpenApiParam(name = "name", required = true),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = LabView.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class))})
    void one(Context ctx) {
        String name = name(ctx.pathParam("name"), "name");
        Operation operation = operations.get(name);
        List<String> status;
        try {
            status = operation != null && !operation.state().equals("DONE") && !operation.state().equals("FAILED")
                    ? null : control().status(name).orElse(null);
        } catch (RuntimeException e) {
            throw ApiException.internal("status of lab " + name, e);
        }
        if (status == null && operation == null) {
            throw ApiException.notFound("no lab named " + name);
        }
        ctx.json(new LabView(name, status != null, operation, status));
    }

    @OpenApi(path = "/api/v1/labs", methods = HttpMethod.POST, tags = "labs",
            summary = "Brings a lab up: a YAML spec (Content-Type application/yaml) or JSON {topo, name?, controller?} "
                    + "or {yaml, name?, controller?}; 202, then GET the Location",
            responses = {
                @OpenApiResponse(status = "202", content = @OpenApiContent(from = LabView.class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class))})
    void up(Context ctx) {
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        String source;
        String name = null;
        String controller = null;
        if (contentType.startsWith("application/json")) {
            JsonBody body = JsonBody.parse(mapper, ctx.body(), Set.of("topo", "yaml", "name", "controller"));
            String topo = body.string("topo", TOPO, "a topology like tree,2,3 or linear,4", false);
            String yaml = body.string("yaml", Pattern.compile("(?s).+"), "a YAML lab spec", false);
            if ((topo == null) == (yaml == null)) {
                throw ApiException.badRequest("topo", "give one of topo (e.g. tree,2,3) and yaml");
            }
            source = topo != null ? "topo:" + topo : yaml;
            name = body.string("name", LAB, "a lab name: a lower-case letter, then up to 5 letters or digits", false);
            controller = body.string("controller", CONTROLLER, "an OpenFlow target like tcp:127.0.0.1:6653", false);
        } else {
            source = ctx.body();
            if (source.isBlank() || source.startsWith("topo:")) {
                throw ApiException.badRequest("body", "the body must be a YAML lab spec (or JSON with Content-Type application/json)");
            }
        }
        LabControl.PreparedLab lab = control().prepare(source, name, controller);
        submit(ctx, lab.name(), "up", progress -> lab.up(progress));
    }

    @OpenApi(path = "/api/v1/labs/{name}", methods = HttpMethod.DELETE, tags = "labs",
            summary = "Brings a lab down (everything it made); 202, then GET the Location",
            pathParams = @OpenApiParam(name = "name", required = true),
            responses = {
                @OpenApiResponse(status = "202", content = @OpenApiContent(from = LabView.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class))})
    void down(Context ctx) {
        String name = name(ctx.pathParam("name"), "name");
        if (!control().labs().contains(name) && !operations.containsKey(name)) {
            throw ApiException.notFound("no lab named " + name);
        }
        submit(ctx, name, "down", progress -> {
            if (!control().down(name, progress)) {
                throw new IllegalArgumentException("no lab named " + name);
            }
        });
    }

    @FunctionalInterface
    private interface Work {
        void run(java.util.function.Consumer<String> progress);
    }

    private void submit(Context ctx, String name, String kind, Work work) {
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        Operation queued = new Operation(kind, "QUEUED", null, progress);
        Operation before = operations.get(name);
        if (before != null && (before.state().equals("QUEUED") || before.state().equals("RUNNING"))) {
            throw ApiException.conflict("lab " + name + ": a " + before.kind() + " is in progress; wait for it");
        }
        if (before == null ? operations.putIfAbsent(name, queued) != null : !operations.replace(name, before, queued)) {
            throw ApiException.conflict("lab " + name + ": another operation was asked meanwhile; wait for it");
        }
        try {
            worker.execute(() -> {
                operations.replace(name, queued, queued.with("RUNNING", null));
                Operation running = operations.get(name);
                try {
                    work.run(line -> {
                        if (progress.size() < PROGRESS_LINES) {
                            progress.add(line);
                        }
                    });
                    operations.replace(name, running, running.with("DONE", null));
                } catch (RuntimeException e) {
                    operations.replace(name, running, running.with("FAILED", userMessage(name, kind, e)));
                }
            });
        } catch (RejectedExecutionException e) {
            operations.remove(name, queued);
            throw new ApiException(503, "the API is stopping", null);
        }
        ctx.status(202).header("Location", RestServer.BASE + "/labs/" + name).json(new LabView(name, false, queued, null));
    }

    /**
     * What the lab code says is for the user, as the CLI prints it (its checks and the libraries'
     * errors name the lab, spec line or object); anything else goes to the log under a request id.
     */
    private static String userMessage(String name, String kind, RuntimeException e) {
        boolean ours = e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof java.io.UncheckedIOException || e.getClass().getName().startsWith("dev.switchboard.");
        if (ours && e.getMessage() != null) {
            return e.getMessage().replaceAll("\\p{Cntrl}", " ");
        }
        return ApiException.internal("lab " + name + " " + kind + " failed", e).getMessage();
    }

    private static String name(String text, String field) {
        if (!LAB.matcher(text).matches()) {
            throw ApiException.badRequest(field, field + ": a lab name is a lower-case letter and up to 5 letters or digits, not "
                    + PathParams.Printable.of(text));
        }
        return text;
    }

    private LabControl control() {
        if (labs == null) {
            throw ApiException.conflict("this server does not manage labs");
        }
        return labs;
    }
}
