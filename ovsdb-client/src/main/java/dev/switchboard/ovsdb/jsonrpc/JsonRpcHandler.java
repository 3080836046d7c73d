package dev.switchboard.ovsdb.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives what the peer sends on its own: notifications ({@code update}, {@code update2},
 * {@code update3}, {@code locked}, {@code stolen} from {@code ovsdb-server}) and requests other
 * than {@code echo}, which the connection answers itself.
 *
 * <p>Every method is called on the connection's event loop, one message at a time in arrival
 * order, and must not block: hand slow work to an executor. An exception thrown by
 * {@link #onNotification} is logged and the connection stays up.
 */
public interface JsonRpcHandler {

    /** A message with {@code "id": null}. {@code params} is the JSON array the peer sent. */
    void onNotification(JsonRpcConnection connection, String method, JsonNode params);

    /**
     * A request the peer expects an answer to; the returned value becomes the {@code "result"}
     * (null becomes JSON null). Throwing {@link JsonRpcErrorException} answers with its error
     * value, any other {@link JsonRpcException} with its message as the error string.
     */
    default JsonNode onRequest(JsonRpcConnection connection, String method, JsonNode params) {
        throw new JsonRpcException("unknown method " + method);
    }

    /**
     * The connection closed, after its pending calls failed. Called once, and only for a
     * connection that was handed out (connect future completed, or listener function called).
     */
    default void onClose(JsonRpcConnection connection) {
    }
}
