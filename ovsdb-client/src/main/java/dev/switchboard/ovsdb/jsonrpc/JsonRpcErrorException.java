package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The peer answered a call with a non-null {@code "error"}, such as {@code "unknown method"}.
 * Thrown by a {@link JsonRpcHandler#onRequest}, it makes the answer an error with {@link #error()}.
 */
public class JsonRpcErrorException extends JsonRpcException {

    private static final long serialVersionUID = 1L;

    /** Longest rendering of the error in the message; the full value stays in {@link #error()}. */
    private static final int MAX_MESSAGE_ERROR_CHARS = 2000;

    private final transient JsonNode error;

    public JsonRpcErrorException(JsonNode error) {
        this("JSON-RPC error", error);
    }

    /** @param context what failed, such as "unix:/run/db.sock answered transact (id 4) with an error" */
    public JsonRpcErrorException(String context, JsonNode error) {
        super(context + ": " + render(error));
        this.error = Objects.requireNonNull(error, "error");
    }

    /** The peer's {@code "error"} value, never JSON null. */
    public JsonNode error() {
        return error;
    }

    private static String render(JsonNode error) {
        String text = String.valueOf(error);
        return text.length() <= MAX_MESSAGE_ERROR_CHARS ? text : text.substring(0, MAX_MESSAGE_ERROR_CHARS) + "…";
    }
}
