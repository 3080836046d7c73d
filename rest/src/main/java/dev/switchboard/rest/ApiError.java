package dev.switchboard.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of every error response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field) {

    public ApiError(String error) {
        this(error, null);
    }
}
