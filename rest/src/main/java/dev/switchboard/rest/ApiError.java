package dev.switchboard.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error response.
 *
 * @param field     the request field at fault, or null
 * @param requestId for an internal error (500): the id the controller's log line carries, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field, String requestId) {

    public ApiError(String error) {
        this(error, null, null);
    }

    public ApiError(String error, String field) {
        this(error, field, null);
    }
}
