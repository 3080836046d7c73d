package dev.switchboard.ovsdb.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the last failure logged for each server, so that a server failing the same way at
 * every reconnection is logged once at WARN, not at every retry. Shared by the clients a listener
 * makes, since a server that connects to us again gets a new client each time. Bounded: it
 * forgets the least recent servers beyond {@link #MAX_SERVERS}. Thread-safe.
 */
final class FaultLog {

    static final int MAX_SERVERS = 1024;

    private final Map<String, String> lastByServer = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_SERVERS;
        }
    };

    /** Whether {@code cause} differs from the last one recorded for {@code server}; records it. */
    synchronized boolean isNew(String server, String cause) {
        return !cause.equals(lastByServer.put(server, cause));
    }

    /** The server works again: its next failure is news. */
    synchronized void clear(String server) {
        lastByServer.remove(server);
    }
}
