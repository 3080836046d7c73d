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
     * loopback address needs a token. Resolves {@link #address} itself; the server resolves it
     * once and checks and binds that one address ({@link #checkAccess(InetAddress)}).
     *
     * @throws IllegalArgumentException naming the address and how to fix it
     */
    public void checkAccess() {
        checkAccess(resolve());
    }

    /**
     * As {@link #checkAccess()}, for {@code resolved}, the address that will be bound: a name
     * that resolves differently the next time cannot slip past the check.
     */
    public void checkAccess(InetAddress resolved) {
        if (enabled && token.isEmpty() && !resolved.isLoopbackAddress()) {
            throw new IllegalArgumentException("rest.address: listening on " + address
                    + (address.equals(resolved.getHostAddress()) ? "" : " (" + resolved.getHostAddress() + ")")
                    + " (not a loopback address) needs a bearer token: set rest.token or rest.tokenFile, or bind 127.0.0.1");
        }
    }

    /** Whether {@link #address} is a loopback address (a name is resolved). */
    public boolean isLoopback() {
        return resolve().isLoopbackAddress();
    }

    /**
     * The address to bind: {@link #address} resolved (a literal is taken as it is).
     *
     * @throws IllegalArgumentException for a name that does not resolve
     */
    public InetAddress resolve() {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("rest.address: unknown host '" + address + "'", e);
        }
    }
}
