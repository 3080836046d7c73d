package dev.switchboard.ovsdb.client;

import dev.switchboard.ovsdb.jsonrpc.PeerText;

/**
 * A server's answers that no retry will mend: its schema cannot be parsed or lacks a table or
 * column the replica needs, its monitor reply has rows its schema does not allow, or it answered
 * {@code get_schema} or {@code monitor} with a JSON-RPC error. Told apart from transient failures
 * (refused, reset, timed out), after which reconnecting is worth it.
 *
 * <p>The message names the server and the database and quotes the server's fault, escaped (it
 * is the peer's text): {@code "tcp:10.0.0.2:6640: cannot read its Open_vSwitch database: bad rows
 * in its monitor_cond reply: Bridge row …: name: expected a string, got 7"}.
 */
public final class OvsdbServerFault extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String server;

    public OvsdbServerFault(String server, String database, String fault, Throwable cause) {
        super(server + ": cannot read its " + PeerText.escape(database) + " database: " + PeerText.escape(fault), cause);
        this.server = server;
    }

    /** The server, as the client names it (its endpoint, or its address for one that connected to us). */
    public String server() {
        return server;
    }
}
