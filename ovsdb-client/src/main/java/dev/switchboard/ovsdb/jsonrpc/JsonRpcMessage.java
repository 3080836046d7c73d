package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Objects;

/** The three JSON-RPC 1.0 messages, as they travel in either direction. */
sealed interface JsonRpcMessage {

    /** {@code {"method": m, "params": [...], "id": id}} with a non-null id; the peer must answer. */
    record Request(String method, ArrayNode params, JsonNode id) implements JsonRpcMessage {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(params, "params");
            if (id == null || id.isNull()) {
                throw new IllegalArgumentException("a request needs a non-null id");
            }
        }
    }

    /** {@code {"method": m, "params": [...], "id": null}}; never answered. */
    record Notification(String method, ArrayNode params) implements JsonRpcMessage {
        public Notification {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(params, "params");
        }
    }

    /**
     * {@code {"result": r, "error": e, "id": id}}. The call failed if {@code error} is non-null
     * (here: Java null when the peer sent JSON null or left it out); {@code result} is then
     * meaningless and may be JSON null.
     */
    record Response(JsonNode id, JsonNode result, JsonNode error) implements JsonRpcMessage {
        public Response {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(result, "result");
            if (error != null && error.isNull()) {
                error = null;
            }
        }

        boolean isError() {
            return error != null;
        }
    }
}
