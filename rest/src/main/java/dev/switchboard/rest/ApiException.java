package dev.switchboard.rest;

/**
 * A request that fails with a status and a JSON body {@code {"error": ..., "field": ...}}.
 * Thrown by handlers; the server turns it into the response.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    public ApiException(int status, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
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
        return new ApiError(getMessage(), field);
    }
}
