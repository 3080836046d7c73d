package dev.switchboard.ovsdb.jsonrpc;

/** A JSON-RPC call or connection failed. The subclasses say how. */
public class JsonRpcException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JsonRpcException(String message) {
        super(message);
    }

    public JsonRpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
