package dev.switchboard.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.openapi.plugin.OpenApiPlugin;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API: Javalin (Jetty) on threads of its own, beside the controller's Netty event
 * loops. Handlers read the controller's and apps' immutable snapshots; a request that must ask
 * a switch completes asynchronously (see {@link SwitchResource}).
 *
 * <p>Routes live under {@link #BASE}; {@code /api/v1/openapi.json} is generated at build time
 * from the handlers' {@code @OpenApi} annotations. Write operations slot in as more routes on the
 * same resources (e.g. {@code POST /api/v1/switches/{dpid}/flows} on {@link SwitchResource}).
 */
public final class RestServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RestServer.class);

    public static final String BASE = "/api/v1";
    public static final String OPENAPI_PATH = BASE + "/openapi.json";
    /** Prometheus' scrape path, beside the API rather than in it (not a resource of the API). */
    public static final String METRICS_PATH = "/metrics";
    private static final ObjectMapper JSON = JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();
    /** The web view's files, served without the token: they carry no data (see {@link #create}). */
    private static final java.util.Set<String> WEB_ASSETS =
            java.util.Set.of("/", "/index.html", "/app.js", "/layout.js", "/style.css");
    /** How long the API waits for a switch's reply (port and flow stats). */
    static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_THREADS = 16;
    /** Live events held for clients that reconnect. */
    static final int EVENT_JOURNAL = 10_000;
    /** How far a live client may fall behind before it is dropped. */
    static final int EVENT_CLIENT_BEHIND = 5_000;
    /** Event streams at once; each holds one of the {@link #MAX_THREADS}. */
    static final int EVENT_STREAMS = 8;

    private final Javalin javalin;
    private final InetSocketAddress address;
    private final Optional<MetricsEndpoint> metrics;
    private final EventFeed feed;
    private final EventsResource events;

    private RestServer(Javalin javalin, InetSocketAddress address, Optional<MetricsEndpoint> metrics, EventFeed feed,
            EventsResource events) {
        this.javalin = javalin;
        this.address = address;
        this.metrics = metrics;
        this.feed = feed;
        this.events = events;
    }

    /**
     * Starts serving, or throws.
     *
     * @throws IllegalArgumentException if the config is unsafe (see {@link RestConfig#checkAccess})
     * @throws IllegalStateException    if the address cannot be bound
     */
    public static RestServer start(RestConfig config, RestSources sources) {
        return start(config, sources, RestControls.none());
    }

    /** Starts serving the read API and the controls given (apps, OVSDB, labs), or throws as {@link #start(RestConfig, RestSources)}. */
    public static RestServer start(RestConfig config, RestSources sources, RestControls controls) {
        return start(config, sources, controls, RestConfig::resolve);
    }

    /**
     * Starts, resolving the configured address once with {@code resolver}: the address checked
     * ({@link RestConfig#checkAccess(InetAddress)}) is the address bound, as a literal, so a name
     * that resolves to loopback when checked cannot end up bound to another address.
     */
    static RestServer start(RestConfig config, RestSources sources, RestControls controls,
            Function<RestConfig, InetAddress> resolver) {
        InetAddress resolved = resolver.apply(config);
        config.checkAccess(resolved);
        String host = resolved.getHostAddress();
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("rest");
        threads.setDaemon(true);
        // ids start from the start time, so an id from an earlier run reads as unknown (reset)
        EventJournal journal = new EventJournal(EVENT_JOURNAL, System.currentTimeMillis() * 1000, Clock.systemUTC());
        EventsResource events = new EventsResource(journal, JSON, EVENT_CLIENT_BEHIND, EVENT_STREAMS);
        Javalin javalin = create(config.token(), sources, controls, threads, SWITCH_TIMEOUT, events);
        EventFeed feed = EventFeed.attach(journal, sources);
        try {
            javalin.start(host, config.port());
        } catch (RuntimeException e) {
            feed.close();
            javalin.stop();
            sources.metrics().ifPresent(MetricsEndpoint::close);
            throw new IllegalStateException("rest: cannot listen on " + config.address() + ":" + config.port()
                    + ": " + rootMessage(e), e);
        }
        InetSocketAddress bound = new InetSocketAddress(resolved, javalin.port());
        log.info("REST API on http://{}:{}{} ({})", host, javalin.port(), BASE,
                config.token().isPresent() ? "bearer token required on every path but the web view's static files"
                        : "no token: loopback only");
        return new RestServer(javalin, bound, sources.metrics(), feed, events);
    }

    /** The app with every route, not started; tests start it themselves. */
    static Javalin create(Optional<String> token, RestSources sources, RestControls controls, QueuedThreadPool threads,
            Duration switchTimeout, EventsResource events) {
        ObjectMapper mapper = JSON;
        SwitchResource switchResource = new SwitchResource(sources.switches(), unlessStopped(threads), switchTimeout,
                sources.cluster());
        ClusterResource cluster = new ClusterResource(sources.cluster(), sources.switches());
        NetworkResource network = new NetworkResource(sources.topology(), sources.hosts());
        ControllerResource controller = new ControllerResource(sources.switches(), sources.apps(), Instant.now());
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.useVirtualThreads = false;
            config.jetty.threadPool = threads;
            config.jsonMapper(new JavalinJackson(mapper, false));
            // the web view (static, no data in it: it reads the API like any client)
            config.staticFiles.add(web -> {
                web.hostedPath = "/";
                web.directory = "/web";
                web.location = Location.CLASSPATH;
            });
            config.registerPlugin(new OpenApiPlugin(openapi -> openapi
                    .withDocumentationPath(OPENAPI_PATH)
                    .withDefinitionConfiguration((version, definition) -> definition.withInfo(info -> {
                        info.setTitle("Switchboard REST API");
                        info.setVersion("v1");
                    }))));
        });
        // every path the server serves, whoever registered it (web view, /metrics, events) and
        // paths that match nothing: an unauthenticated client learns nothing, not even what exists
        // The web view's static files are the exception: they hold no data, and a browser must load
        // the page before it can send the header (the page then sends it on every request).
        token.ifPresent(expected -> app.before(ctx -> {
            if (!WEB_ASSETS.contains(ctx.path())) {
                checkToken(ctx, expected);
            }
        }));
        app.get(BASE + "/switches", switchResource::list);
        app.get(BASE + "/switches/{dpid}", switchResource::one);
        app.get(BASE + "/switches/{dpid}/ports", switchResource::ports);
        app.get(BASE + "/switches/{dpid}/flows", switchResource::flows);
        app.get(BASE + "/switches/{dpid}/groups", switchResource::groups);
        app.get(BASE + "/switches/{dpid}/meters", switchResource::meters);
        FlowsResource flowWrites = new FlowsResource(sources.switches(), unlessStopped(threads), sources.cluster());
        app.post(BASE + "/switches/{dpid}/flows", flowWrites::add);
        app.put(BASE + "/switches/{dpid}/flows", flowWrites::modify);
        app.delete(BASE + "/switches/{dpid}/flows", flowWrites::delete);
        app.get(BASE + "/cluster", cluster::cluster);
        app.get(BASE + "/links", network::links);
        app.get(BASE + "/hosts", network::hosts);
        app.get(BASE + "/paths", network::path);
        app.get(BASE + "/apps", controller::apps);
        app.get(BASE + "/health", controller::health);
        sources.metrics().ifPresent(metrics -> app.get(METRICS_PATH, ctx -> {
            ctx.contentType(metrics.contentType()).result(metrics.scrape());
        }));
        AppsResource.register(app, BASE, controls.apps(), unlessStopped(threads));
        OvsdbResource.register(app, BASE, controls.ovsdb(), mapper, unlessStopped(threads));
        LabsResource.register(app, BASE, controls.labs(), mapper);
        app.get(BASE + "/events", events::events);
        app.exception(ApiException.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
        // Javalin's own refusals (no such route, 405, too large) get the same JSON body
        app.exception(HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus()).json(new ApiError(e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            ApiException internal = ApiException.internal("REST " + ctx.method() + " " + ctx.path() + " failed", e);
            ctx.status(internal.status()).json(internal.body());
        });
        return app;
    }

    /**
     * The pool, where a task handed over after it stopped is dropped: a switch's reply that
     * arrives once the API is closed (the controller failing its pending requests as it stops)
     * must not throw into the thread completing it, an event loop.
     */
    private static Executor unlessStopped(QueuedThreadPool threads) {
        return task -> {
            try {
                threads.execute(task);
            } catch (RejectedExecutionException e) {
                log.debug("REST API stopped; a switch's reply is dropped");
            }
        };
    }

    private static void checkToken(Context ctx, String expected) {
        String header = ctx.header("Authorization");
        String prefix = "Bearer ";
        boolean ok = header != null && header.regionMatches(true, 0, prefix, 0, prefix.length())
                && MessageDigest.isEqual(header.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"switchboard\"");
            throw new ApiException(401, header == null ? "missing Authorization: Bearer <token>" : "wrong bearer token",
                    header == null ? "Authorization" : null);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** Where it listens; the port is the one bound when 0 was asked for. */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /** Stops serving, and closes the metrics it served. */
    @Override
    public void close() {
        feed.close();
        events.close();
        javalin.stop();
        metrics.ifPresent(MetricsEndpoint::close);
    }
}
