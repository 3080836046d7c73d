package dev.switchboard.rest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the REST API listens and who may use it.
 *
 * @param enabled whether to serve the API at all
 * @param address the address to bind, loopback by default
 * @param port    the TCP port; 0 picks a free one (tests)
 * @param token   the bearer token every request must carry; required for a non-loopback address
 */
public record RestConfig(boolean enabled, String address, int port, Optional<String> token) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public RestConfig {
        Objects.requireNonNull(address, "address");
        token = token == null ? Optional.empty() : token.filter(t -> !t.isBlank());
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("rest.port: " + port + " is not a TCP port (0 to 65535)");
        }
    }

    public static RestConfig defaults() {
        return new RestConfig(true, DEFAULT_ADDRESS, DEFAULT_PORT, Optional.empty());
    }

    public static RestConfig disabled() {
        return new RestConfig(false, DEFAULT_ADDRESS, DEFAULT_PORT, Optional.empty());
    }

    public RestConfig withAddress(String newAddress) {
        return new RestConfig(enabled, newAddress, port, token);
    }

    public RestConfig withPort(int newPort) {
        return new RestConfig(enabled, address, newPort, token);
    }

    public RestConfig withToken(Optional<String> newToken) {
        return new RestConfig(enabled, address, port, newToken);
    }

    /**
     * Refuses a configuration that would expose the API without authentication: anything but a
     * loopback address needs a token.
     *
     * @throws IllegalArgumentException naming the address and how to fix it
     */
    public void checkAccess() {
        if (enabled && token.isEmpty() && !isLoopback()) {
            throw new IllegalArgumentException("rest.address: listening on " + address + " (not a loopback address) "
                    + "needs a bearer token: set rest.token or rest.tokenFile, or bind 127.0.0.1");
        }
    }

    /** Whether {@link #address} is a loopback address (a name is resolved). */
    public boolean isLoopback() {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("rest.address: unknown host '" + address + "'", e);
        }
    }
}
