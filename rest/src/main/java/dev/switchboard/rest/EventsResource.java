package dev.switchboard.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/events}: the {@link EventJournal} as Server-Sent Events, or as a JSON array
 * ({@code format=json}). A stream runs on the API thread that took the request, reading the
 * journal at its own pace ({@link EventSubscription}); the event loops never write to a client.
 * Each stream holds one API thread, so at most {@code maxStreams} run at once.
 *
 * <p>Written straight to the response rather than with Javalin's {@code sse()}: the same path
 * answers {@code format=json}, and the loop needs to see the journal between writes.
 */
final class EventsResource implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventsResource.class);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final EventJournal journal;
    private final ObjectMapper mapper;
    private final int maxBehind;
    private final int maxStreams;
    private final Semaphore streams;
    private volatile boolean closed;

    EventsResource(EventJournal journal, ObjectMapper mapper, int maxBehind, int maxStreams) {
        this.journal = journal;
        this.mapper = mapper;
        this.maxBehind = maxBehind;
        this.maxStreams = maxStreams;
        this.streams = new Semaphore(maxStreams);
    }

    @OpenApi(path = "/api/v1/events", methods = HttpMethod.GET, tags = "events",
            summary = "Live events (switch, port, link, host, switch.error; reset; dropped) as Server-Sent Events, "
                    + "or the journaled ones as a JSON array with format=json",
            headers = @OpenApiParam(name = LAST_EVENT_ID, description = "resume after this event id"),
            queryParams = {
                @OpenApiParam(name = "since", description = "resume after this event id (when no Last-Event-ID)"),
                @OpenApiParam(name = "format", description = "json: answer the held events after since as an array")},
            responses = {
                @OpenApiResponse(status = "200", content = {
                    @OpenApiContent(from = LiveEvent[].class),
                    @OpenApiContent(type = "text/event-stream", from = String.class)}),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "503", content = @OpenApiContent(from = ApiError.class))})
    void events(Context ctx) throws IOException {
        OptionalLong resumeAfter = resumeAfter(ctx);
        String format = ctx.queryParam("format");
        if (format != null && !format.equals("json")) {
            throw ApiException.badRequest("format", "format must be json (or absent for Server-Sent Events), not '"
                    + format + "'");
        }
        if (format != null) {
            ctx.json(held(resumeAfter));
            return;
        }
        if (!streams.tryAcquire()) {
            throw ApiException.unavailable("too many event streams (at most " + maxStreams + "); try again later");
        }
        try {
            stream(ctx.res(), new EventSubscription(journal, maxBehind, resumeAfter));
        } finally {
            streams.release();
        }
    }

    /** What the journal holds after the id (everything held without one), reset included. */
    private List<LiveEvent> held(OptionalLong resumeAfter) {
        EventSubscription reader = new EventSubscription(journal, Integer.MAX_VALUE,
                OptionalLong.of(resumeAfter.orElse(Math.max(journal.firstIdAfter(), journal.lastId() - journal.capacity()))));
        List<LiveEvent> all = new ArrayList<>();
        for (List<LiveEvent> batch = reader.next(); !batch.isEmpty(); batch = reader.next()) {
            all.addAll(batch);
            if (batch.get(batch.size() - 1).type().equals("reset")) {
                break;
            }
        }
        return all;
    }

    private void stream(HttpServletResponse response, EventSubscription subscription) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        OutputStream out = response.getOutputStream();
        try {
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!closed) {
                List<LiveEvent> batch = subscription.next();
                if (!batch.isEmpty()) {
                    for (LiveEvent event : batch) {
                        out.write(frame(event));
                    }
                    out.flush();
                    if (subscription.dropped()) {
                        log.info("events: a client fell more than {} events behind and was dropped", maxBehind);
                        return;
                    }
                } else if (!subscription.await(KEEP_ALIVE)) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException e) {
            log.debug("events: client gone: {}", e.toString());
        }
    }

    private byte[] frame(LiveEvent event) throws IOException {
        return ("id: " + event.id() + "\nevent: " + event.type() + "\ndata: " + mapper.writeValueAsString(event) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static OptionalLong resumeAfter(Context ctx) {
        String header = ctx.header(LAST_EVENT_ID);
        if (header != null && !header.isBlank()) {
            return OptionalLong.of(parseId(LAST_EVENT_ID, header));
        }
        String since = ctx.queryParam("since");
        return since == null || since.isBlank() ? OptionalLong.empty() : OptionalLong.of(parseId("since", since));
    }

    private static long parseId(String field, String text) {
        try {
            long id = Long.parseLong(text.trim());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(field, field + " must be an event id (a number from 0), not '"
                    + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
        }
    }

    /** Ends every stream at its next wake-up, so stopping the server does not wait for keep-alives. */
    @Override
    public void close() {
        closed = true;
        journal.wakeAll();
    }
}
