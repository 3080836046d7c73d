package dev.switchboard.rest;

import dev.switchboard.controller.OFSwitch;
import dev.switchboard.controller.SwitchService;
import dev.switchboard.controller.flows.BulkFlowInstaller;
import dev.switchboard.controller.flows.BulkFlowResult;
import dev.switchboard.controller.flows.BulkFlowUpload;
import dev.switchboard.controller.flows.FlowDefinition;
import dev.switchboard.controller.flows.FlowDefinition.Field;
import dev.switchboard.controller.flows.FlowFailure;
import dev.switchboard.controller.flows.FlowFiles;
import dev.switchboard.controller.flows.FlowModBuilder;
import dev.switchboard.controller.flows.FlowParseException;
import dev.switchboard.rest.FlowWriteModel.FailedFlow;
import dev.switchboard.rest.FlowWriteModel.FlowDeleteResult;
import dev.switchboard.rest.FlowWriteModel.FlowWriteResult;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiRequestBody;
import io.javalin.openapi.OpenApiResponse;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The static flow pusher: {@code POST}, {@code PUT} and {@code DELETE} of
 * {@code /api/v1/switches/{dpid}/flows}. The body is a flow file ({@code docs/flows.md}: the
 * {@code ovs-ofctl add-flows} text, or its JSON). The flows go through {@link BulkFlowInstaller}
 * (one bundle from OpenFlow 1.4, barrier-fenced batches before), whose steps run on {@code
 * executor} (the API's threads), never on an event loop. Text is parsed and encoded line by line
 * while the bundle is already being sent; a mistake is a 400 naming its line and token, and the
 * switch keeps nothing (a bundle already open is discarded; batches wait for the whole body).
 *
 * <p>Statuses: 200 when the switch took every flow; 422 when it refused some (the body is the
 * same result, with {@code failed} and {@code error}: with a bundle none is installed, with
 * batches the others are); 400, 404, 413, 503, 504 as the rest of the API.
 */
final class FlowsResource {
    /**
     * Largest body: 100,000 flows of the text format are 5–8 MB, of the JSON about 10 MB; 16 MiB
     * leaves room and bounds what one request makes the controller hold: text is not held whole,
     * but its flows' wire bytes and texts (about twice the body) are until the switch answered.
     */
    static final int MAX_BODY_BYTES = 16 << 20;
    private static final int FLOW_TEXT_CHARS = 300;
    /** How far the format is sniffed for its first character that is not blank. */
    private static final int MARK_LIMIT = 4096;
    private static final String PATH = "/api/v1/switches/{dpid}/flows";
    private static final String BODY_DESCRIPTION = "a flow file: ovs-ofctl add-flows lines (text/plain) or their JSON "
            + "(application/json), see docs/flows.md; at most 16 MiB (about 100,000 flows)";

    private final SwitchService switches;
    private final BulkFlowInstaller installer;
    private final Executor replies;
    private final java.util.Optional<ClusterInfo> cluster;

    FlowsResource(SwitchService switches, Executor replies) {
        this(switches, replies, java.util.Optional.empty());
    }

    FlowsResource(SwitchService switches, Executor replies, java.util.Optional<ClusterInfo> cluster) {
        this.switches = switches;
        this.replies = replies;
        this.cluster = cluster;
        this.installer = new BulkFlowInstaller(switches, replies, BulkFlowInstaller.Options.DEFAULTS);
    }

    @OpenApi(path = PATH, methods = HttpMethod.POST, tags = "flows",
            summary = "Adds flows from a flow file (thousands at once: one bundle from OpenFlow 1.4, all or nothing; "
                    + "barrier-fenced batches before)",
            pathParams = @OpenApiParam(name = "dpid", description = SwitchResource.DPID_DESCRIPTION, required = true),
            requestBody = @OpenApiRequestBody(required = true, description = BODY_DESCRIPTION, content = {
                @OpenApiContent(mimeType = "text/plain", type = "string"),
                @OpenApiContent(mimeType = "application/json", type = "object")}),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = FlowWriteResult.class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "413", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "422", content = @OpenApiContent(from = FlowWriteResult.class)),
                @OpenApiResponse(status = "503", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "504", content = @OpenApiContent(from = ApiError.class))})
    void add(Context ctx) {
        write(ctx, FlowModBuilder.Command.ADD);
    }

    @OpenApi(path = PATH, methods = HttpMethod.PUT, tags = "flows",
            summary = "Modifies the actions of the flows each line matches (MODIFY; strict=true: MODIFY_STRICT, "
                    + "the flow with exactly that match and priority)",
            pathParams = @OpenApiParam(name = "dpid", description = SwitchResource.DPID_DESCRIPTION, required = true),
            queryParams = @OpenApiParam(name = "strict", type = Boolean.class,
                    description = "true: only the flow with exactly the line's match and priority"),
            requestBody = @OpenApiRequestBody(required = true, description = BODY_DESCRIPTION, content = {
                @OpenApiContent(mimeType = "text/plain", type = "string"),
                @OpenApiContent(mimeType = "application/json", type = "object")}),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = FlowWriteResult.class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "413", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "422", content = @OpenApiContent(from = FlowWriteResult.class)),
                @OpenApiResponse(status = "503", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "504", content = @OpenApiContent(from = ApiError.class))})
    void modify(Context ctx) {
        write(ctx, strict(ctx) ? FlowModBuilder.Command.MODIFY_STRICT : FlowModBuilder.Command.MODIFY);
    }

    @OpenApi(path = PATH, methods = HttpMethod.DELETE, tags = "flows",
            summary = "Deletes the flows a match selects (no match: every flow), fenced by a barrier",
            pathParams = @OpenApiParam(name = "dpid", description = SwitchResource.DPID_DESCRIPTION, required = true),
            queryParams = {
                @OpenApiParam(name = "match", description = "the text format's match syntax, e.g. priority=100,tcp,tp_dst=80; "
                        + "absent or empty: every flow"),
                @OpenApiParam(name = "strict", type = Boolean.class,
                        description = "true: only the flow with exactly this match and priority"),
                @OpenApiParam(name = "table", type = Integer.class, description = "0-254; absent: every table"),
                @OpenApiParam(name = "cookie", description = "VALUE/MASK, e.g. 0x1f/-1 (OpenFlow 1.1 on)")},
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = FlowDeleteResult.class)),
                @OpenApiResponse(status = "400", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "404", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "409", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "422", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "503", content = @OpenApiContent(from = ApiError.class)),
                @OpenApiResponse(status = "504", content = @OpenApiContent(from = ApiError.class))})
    void delete(Context ctx) {
        OFSwitch sw = writable(connected(find(ctx)));
        boolean strict = strict(ctx);
        String match = ctx.queryParam("match") == null ? "" : ctx.queryParam("match").strip();
        String table = ctx.queryParam("table");
        String cookie = ctx.queryParam("cookie");
        OFFlowMod delete;
        try {
            FlowDefinition selected = FlowFiles.match("match", match);
            List<Field> fields = new ArrayList<>(selected.fields());
            if (table != null) {
                fields.add(new Field("table", table));
            }
            if (cookie != null) {
                fields.add(new Field("cookie", cookie));
            }
            delete = new FlowModBuilder(sw.factory()).build(new FlowDefinition("match", fields, List.of()),
                    strict ? FlowModBuilder.Command.DELETE_STRICT : FlowModBuilder.Command.DELETE);
        } catch (FlowParseException e) {
            String field = e.token().startsWith("table=") ? "table" : e.token().startsWith("cookie=") ? "cookie" : "match";
            throw ApiException.badRequest(field, printable(e.getMessage()));
        }
        boolean everything = match.isEmpty() && table == null && cookie == null;
        FlowDeleteResult done = new FlowDeleteResult(everything ? "all flows" : "matching flows", match, strict,
                table == null ? "all" : table, cookie);
        // one flow-mod through the installer: fenced by a barrier (or a bundle of one), its ERROR heard
        answer(ctx, sw, installer.install(sw, List.of(delete)), result -> {
            if (result.succeeded()) {
                ctx.json(done);
            } else {
                String why = result.failures().isEmpty() ? result.bundleError().orElse("refused")
                        : result.failures().get(0).type() + "/" + result.failures().get(0).code();
                ctx.status(422).json(new ApiError("switch " + sw.id() + " refused the delete: " + why));
            }
        });
    }

    /**
     * Reads the body and hands each flow to the installer as it is parsed (the text format line by
     * line: with a bundle the first ADD_MESSAGEs leave while later lines are read). A bad line or a
     * body past the limit aborts the upload, which discards a bundle already opened: the switch
     * keeps nothing.
     */
    private void write(Context ctx, FlowModBuilder.Command command) {
        OFSwitch sw = writable(connected(find(ctx)));
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge(declared + " bytes");
        }
        FlowModBuilder builder = new FlowModBuilder(sw.factory());
        BulkFlowUpload upload = installer.upload(sw);
        try (InputStream in = new BufferedInputStream(new LimitedInputStream(ctx.bodyInputStream(), MAX_BODY_BYTES), 64 * 1024)) {
            Consumer<FlowDefinition> each = flow -> upload.add(flow.position(), flow.text(), builder.build(flow, command));
            if (isJson(ctx.contentType(), in)) {
                FlowFiles.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8)).forEach(each);
            } else {
                FlowFiles.readText(new InputStreamReader(in, StandardCharsets.UTF_8), each);
            }
        } catch (FlowParseException e) {
            upload.abort(e);
            throw ApiException.badRequest("body", printable(e.getMessage()));
        } catch (IllegalArgumentException e) {
            upload.abort(e);
            throw ApiException.badRequest("body", printable(e.getMessage())); // a flow openflowj cannot encode
        } catch (TooLargeException e) {
            upload.abort(e);
            throw tooLarge("more than " + MAX_BODY_BYTES + " bytes");
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("reading the request body", e);
            upload.abort(failure);
            throw failure;
        } catch (dev.switchboard.controller.NotMasterException e) {
            upload.abort(e); // demoted while the body was read: nothing more is sent
            throw SwitchResource.notMaster(sw, cluster);
        } catch (RuntimeException e) {
            upload.abort(e);
            throw e;
        }
        if (upload.count() == 0) {
            FlowParseException empty = new FlowParseException("body", "", "no flows in the body (blank, or only comments)");
            upload.abort(empty);
            throw ApiException.badRequest("body", "no flows in the body (blank, or only comments)");
        }
        upload.finish();
        answer(ctx, sw, upload.result(), result -> {
            FlowWriteResult view = view(result, upload);
            ctx.status(view.error() == null ? 200 : 422).json(view);
        });
    }

    /**
     * application/json is JSON, text/plain is text; anything else (curl's default form type) is
     * told by the first character that is not blank ('{' or '[': JSON), peeked without consuming.
     */
    private static boolean isJson(String contentType, InputStream in) throws IOException {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            return true;
        }
        if (type.startsWith("text/plain")) {
            return false;
        }
        in.mark(MARK_LIMIT);
        try {
            for (int i = 0; i < MARK_LIMIT; i++) {
                int c = in.read();
                if (c < 0 || !Character.isWhitespace(c)) {
                    return c == '{' || c == '[';
                }
            }
            return false;
        } finally {
            in.reset();
        }
    }

    private static FlowWriteResult view(BulkFlowResult result, BulkFlowUpload upload) {
        List<FailedFlow> failed = new ArrayList<>();
        for (FlowFailure failure : result.failures()) {
            failed.add(new FailedFlow(failure.index(), upload.position(failure.index()), shortened(upload.text(failure.index())),
                    failure.type() + "/" + failure.code()));
        }
        String method = result.method() == BulkFlowResult.Method.BUNDLE ? "bundle" : "batches";
        String error = null;
        if (!result.succeeded()) {
            error = result.bundleError().orElse(failed.size() + " of " + result.requested()
                    + " flows were refused; the others are installed");
        }
        return new FlowWriteResult(result.requested(), result.installed(), failed, method, result.elapsed().toMillis(), error,
                result.committing().map(Duration::toMillis).orElse(null));
    }

    /** Past {@code limit} bytes, reading throws {@link TooLargeException}: a body is never read whole before it is measured. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private long read;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count(1);
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new TooLargeException();
            }
        }
    }

    private static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super("the body is larger than " + MAX_BODY_BYTES + " bytes", null, false, false);
        }
    }

    private static ApiException tooLarge(String size) {
        return new ApiException(413, "the body (" + size + ") is larger than " + (MAX_BODY_BYTES >> 20)
                + " MiB, about 100,000 flows: send the flows in several requests", "body");
    }

    private static boolean strict(Context ctx) {
        String strict = ctx.queryParam("strict");
        if (strict == null || strict.equalsIgnoreCase("false")) {
            return false;
        }
        if (strict.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiException.badRequest("strict", "strict: '" + PathParams.Printable.of(strict) + "' is neither true nor false");
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

    /** In a cluster, only the switch's master writes to it: 409 naming the master, before the body is read. */
    private OFSwitch writable(OFSwitch sw) {
        if (!sw.controllerRole().writes()) {
            throw SwitchResource.notMaster(sw, cluster);
        }
        return sw;
    }

    /** Responds when the install completes: on {@code replies}, never on the thread that completed it. */
    private void answer(Context ctx, OFSwitch sw, CompletableFuture<BulkFlowResult> install, java.util.function.Consumer<BulkFlowResult> respond) {
        ctx.future(() -> install.handleAsync((result, failure) -> {
            if (failure == null) {
                respond.accept(result);
                return null;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            ApiException error = cause instanceof IllegalArgumentException
                    ? ApiException.badRequest("body", printable(cause.getMessage())) // a flow openflowj cannot encode
                    : SwitchResource.switchFailure(sw, cause, cluster);
            ctx.status(error.status()).json(error.body());
            return null;
        }, replies));
    }

    /** Client text echoed in an error: no control characters, bounded. */
    private static String printable(String text) {
        String cut = text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String shortened(String flow) {
        return printable(flow.length() > FLOW_TEXT_CHARS ? flow.substring(0, FLOW_TEXT_CHARS) + "…" : flow);
    }
}
