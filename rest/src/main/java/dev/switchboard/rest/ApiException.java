package dev.switchboard.rest;

/**
 * A request that fails with a status and a JSON body {@code {"error": ..., "field": ...}}.
 * Thrown by handlers; the server turns it into the response.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApiException.class);

    private final int status;
    private final String field;
    private final String requestId;

    public ApiException(int status, String message, String field) {
        this(status, message, field, null);
    }

    private ApiException(int status, String message, String field, String requestId) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.requestId = requestId;
    }

    /**
     * 500 for a failure the client cannot act on: the details (exception text, stack) go to
     * the log under a fresh request id, and the client gets that id and nothing more, so no
     * internal text (class names, paths, a peer's bytes) leaks into a response.
     */
    public static ApiException internal(String what, Throwable cause) {
        // random, so no counter is shared; 64 bits do not repeat within a log's lifetime
        String id = String.format("%016x", java.util.concurrent.ThreadLocalRandom.current().nextLong());
        log.warn("REST request {}: {}", id, what, cause);
        return new ApiException(500, "internal error; the controller's log has the details under request id " + id,
                null, id);
    }

    /** 502: a peer (a switch, an OVSDB server) refused; {@code message} must already be safe to show. */
    public static ApiException badGateway(String message) {
        return new ApiException(502, message, null);
    }

    /** 400: {@code field} (a path or query parameter, or a body key) is malformed. */
    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, message, field);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message, null);
    }

    /** 409: the request is well formed but the controller's state does not allow it. */
    public static ApiException conflict(String message) {
        return new ApiException(409, message, null);
    }

    /** 503: the switch asked about is gone or cannot take the request now. */
    public static ApiException unavailable(String message) {
        return new ApiException(503, message, null);
    }

    public int status() {
        return status;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }

    public ApiError body() {
        return new ApiError(getMessage(), field, requestId);
    }
}
