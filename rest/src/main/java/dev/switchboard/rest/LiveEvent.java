package dev.switchboard.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of the live event stream, as sent (SSE {@code data:}) and as listed
 * ({@code ?format=json}).
 *
 * @param id   increasing over the controller's life; the SSE {@code id:} a client resumes from
 * @param type e.g. {@code switch.connected}, {@code link.removed}, {@code reset}
 * @param time ISO-8601 instant it was journaled
 * @param data the type's view (see {@link EventData}); immutable
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LiveEvent(long id, String type, String time, Object data) {
}
