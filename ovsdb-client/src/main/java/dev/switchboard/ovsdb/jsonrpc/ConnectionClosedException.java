package dev.switchboard.ovsdb.jsonrpc;

/**
 * The connection closed (or was never open) before a call was answered. Every call pending on a
 * connection fails with this at once when the connection drops; the cause, if any, says why it dropped.
 */
public class ConnectionClosedException extends JsonRpcException {

    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(String message) {
        super(message);
    }

    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
