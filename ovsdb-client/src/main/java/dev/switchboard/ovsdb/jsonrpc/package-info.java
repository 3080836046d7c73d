/**
 * JSON-RPC 1.0 for OVSDB (RFC 7047 section 4): {@link dev.switchboard.ovsdb.jsonrpc.JsonRpcTransport}
 * connects to and listens on OVS-style {@link dev.switchboard.ovsdb.jsonrpc.Endpoint}s (unix, tcp,
 * ssl with mutual TLS, and the passive ptcp/pssl where {@code ovsdb-server} connects to us); a
 * {@link dev.switchboard.ovsdb.jsonrpc.JsonRpcConnection} carries calls in both directions, answers
 * {@code echo} and keeps itself alive; a {@link dev.switchboard.ovsdb.jsonrpc.ReconnectingClient}
 * keeps one endpoint connected. Nothing here knows OVSDB's methods beyond {@code echo}: the
 * OVSDB client builds {@code transact}, {@code monitor} and friends on top.
 */
package dev.switchboard.ovsdb.jsonrpc;
