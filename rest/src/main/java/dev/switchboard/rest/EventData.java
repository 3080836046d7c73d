package dev.switchboard.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.rest.ApiModel.HostView;
import dev.switchboard.rest.ApiModel.LinkView;
import dev.switchboard.rest.ApiModel.PortView;

/** The {@code data} of each live event type, as records; field names are the JSON keys. */
public final class EventData {

    private EventData() {
    }

    /** {@code switch.connected}, {@code switch.disconnected}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SwitchEvent(String dpid, String version, String remoteAddress) {
    }

    /** {@code port.added}, {@code port.removed}, {@code port.changed} (with {@code before}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PortEvent(String dpid, PortView port, PortView before) {
    }

    /** {@code link.added}, {@code link.removed}: one per direction, like {@code /links}. */
    public record LinkEvent(LinkView link) {
    }

    /** {@code host.added}, {@code host.moved}, {@code host.updated} (with {@code before}), {@code host.removed}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HostEvent(HostView host, HostView before) {
    }

    /** {@code switch.error}: an OpenFlow ERROR a switch sent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SwitchErrorEvent(String dpid, String errorType, String code, String cause) {
    }

    /**
     * {@code reset}: the events after the client's id are no longer held (or the id is not from
     * this controller's run); it must re-read the state and resume from {@code resumeFrom}.
     */
    public record ResetEvent(String reason, long resumeFrom) {
    }

    /** {@code dropped}: the client fell too far behind; it may reconnect with its last id. */
    public record DroppedEvent(String reason, long lastSent) {
    }
}
