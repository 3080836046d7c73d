package dev.switchboard.ovsdb.jsonrpc;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an OVSDB connection goes, in Open vSwitch's own notation (as {@code ovsdb-server --remote}
 * and {@code ovs-vsctl set-manager} take it).
 *
 * <ul>
 *   <li>{@code unix:PATH} — connect to a unix domain socket;</li>
 *   <li>{@code tcp:HOST[:PORT]}, {@code ssl:HOST[:PORT]} — connect over TCP, or TLS with mutual
 *       authentication;</li>
 *   <li>{@code ptcp:[PORT][:HOST]}, {@code pssl:[PORT][:HOST]} — listen (passive mode: the
 *       {@code ovsdb-server} connects to us), on all addresses unless HOST is given.</li>
 * </ul>
 * The port defaults to {@value #DEFAULT_PORT}; IPv6 addresses go in brackets ({@code tcp:[::1]:6640}).
 * Listening on port 0 picks a free port. The host is kept without brackets.
 *
 * @param kind the form
 * @param host the host to connect to (active), the address to listen on (passive, null for all),
 *             or null for {@code unix}
 * @param port the TCP port; 0 for {@code unix}
 * @param path the socket path for {@code unix}, else null
 */
public record Endpoint(Kind kind, String host, int port, Path path) {

    /** The IANA port of OVSDB, which OVS uses when a target names none. */
    public static final int DEFAULT_PORT = 6640;

    private static final String EXPECTED = "expected unix:PATH, tcp:HOST[:PORT], ssl:HOST[:PORT], "
            + "ptcp:[PORT][:HOST] or pssl:[PORT][:HOST] (an IPv6 host in [brackets])";

    /** The forms of {@link Endpoint}; the passive ones listen. */
    public enum Kind {
        UNIX("unix", false), TCP("tcp", false), SSL("ssl", false), PTCP("ptcp", true), PSSL("pssl", true);

        private final String prefix;
        private final boolean passive;

        Kind(String prefix, boolean passive) {
            this.prefix = prefix;
            this.passive = passive;
        }

        /** The text before the first colon, as in {@code tcp}. */
        public String prefix() {
            return prefix;
        }
    }

    public Endpoint {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case UNIX -> {
                Objects.requireNonNull(path, "a unix endpoint needs a path");
                if (path.toString().isEmpty() || host != null || port != 0) {
                    throw new IllegalArgumentException("a unix endpoint has a non-empty path and no host or port");
                }
            }
            case TCP, SSL -> {
                if (host == null || !isValidHost(host) || port < 1 || port > 65535 || path != null) {
                    throw new IllegalArgumentException("a " + kind.prefix + " endpoint needs a host and a port in "
                            + "1..65535, got host " + host + " port " + port);
                }
            }
            case PTCP, PSSL -> {
                if ((host != null && !isValidHost(host)) || port < 0 || port > 65535 || path != null) {
                    throw new IllegalArgumentException("a " + kind.prefix + " endpoint needs a port in 0..65535 "
                            + "and at most a host, got host " + host + " port " + port);
                }
            }
        }
    }

    public static Endpoint unix(Path path) {
        return new Endpoint(Kind.UNIX, null, 0, path);
    }

    public static Endpoint tcp(String host, int port) {
        return new Endpoint(Kind.TCP, host, port, null);
    }

    public static Endpoint ssl(String host, int port) {
        return new Endpoint(Kind.SSL, host, port, null);
    }

    /** Listens on {@code port} (0: any free one) of {@code host}, or of every address if it is null. */
    public static Endpoint ptcp(int port, String host) {
        return new Endpoint(Kind.PTCP, host, port, null);
    }

    /** Listens for TLS on {@code port} (0: any free one) of {@code host}, or of every address if null. */
    public static Endpoint pssl(int port, String host) {
        return new Endpoint(Kind.PSSL, host, port, null);
    }

    /**
     * Parses OVS's notation (see the class comment).
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Endpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw invalid(text, "no \"kind:\" prefix");
        }
        String prefix = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.prefix.equals(prefix)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw invalid(text, "unknown kind \"" + prefix + "\"");
        }
        try {
            return switch (kind) {
                case UNIX -> {
                    if (rest.isEmpty()) {
                        throw invalid(text, "the path is empty");
                    }
                    yield unix(Path.of(rest));
                }
                case TCP, SSL -> parseActive(kind, rest, text);
                case PTCP, PSSL -> parsePassive(kind, rest, text);
            };
        } catch (java.nio.file.InvalidPathException e) {
            throw invalid(text, "bad path: " + e.getMessage());
        }
    }

    /** Whether this endpoint listens ({@code ptcp}, {@code pssl}) instead of connecting. */
    public boolean isPassive() {
        return kind.passive;
    }

    /** Whether this endpoint needs {@link TlsFiles} ({@code ssl}, {@code pssl}). */
    public boolean isTls() {
        return kind == Kind.SSL || kind == Kind.PSSL;
    }

    /** The canonical OVS form, which {@link #parse} reads back to an equal endpoint. */
    @Override
    public String toString() {
        return switch (kind) {
            case UNIX -> "unix:" + path;
            case TCP, SSL -> kind.prefix + ":" + bracketed(host) + ":" + port;
            case PTCP, PSSL -> kind.prefix + ":" + port + (host == null ? "" : ":" + bracketed(host));
        };
    }

    /** The address a passive endpoint binds: its host, or the wildcard address. */
    InetSocketAddress bindAddress() {
        return host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    private static Endpoint parseActive(Kind kind, String rest, String text) {
        String host;
        String portText;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw invalid(text, "no ']' after the IPv6 address");
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw invalid(text, "unexpected \"" + after + "\" after the IPv6 address");
            }
            portText = after.isEmpty() ? null : after.substring(1);
        } else {
            int colon = rest.indexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            portText = colon < 0 ? null : rest.substring(colon + 1);
            if (portText != null && portText.indexOf(':') >= 0) {
                throw invalid(text, "too many colons; an IPv6 host goes in [brackets]");
            }
        }
        if (!isValidHost(host)) {
            throw invalid(text, "the host is missing or invalid");
        }
        int port = portText == null ? DEFAULT_PORT : parsePort(portText, text);
        if (port == 0) {
            throw invalid(text, "cannot connect to port 0");
        }
        return new Endpoint(kind, host, port, null);
    }

    private static Endpoint parsePassive(Kind kind, String rest, String text) {
        int colon = rest.indexOf(':');
        String portText = colon < 0 ? rest : rest.substring(0, colon);
        String hostText = colon < 0 ? null : rest.substring(colon + 1);
        int port = portText.isEmpty() ? DEFAULT_PORT : parsePort(portText, text);
        String host = null;
        if (hostText != null) {
            if (hostText.startsWith("[") && hostText.endsWith("]")) {
                host = hostText.substring(1, hostText.length() - 1);
            } else if (hostText.indexOf(':') >= 0 || hostText.indexOf('[') >= 0 || hostText.indexOf(']') >= 0) {
                throw invalid(text, "an IPv6 host goes in [brackets]");
            } else {
                host = hostText;
            }
            if (!isValidHost(host)) {
                throw invalid(text, "the host is missing or invalid");
            }
        }
        return new Endpoint(kind, host, port, null);
    }

    private static int parsePort(String portText, String text) {
        if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(text, "bad port \"" + portText + "\"");
        }
        int port = Integer.parseInt(portText);
        if (port > 65535) {
            throw invalid(text, "port " + port + " is above 65535");
        }
        return port;
    }

    /** A host name or address: not empty, no whitespace, brackets or slashes; colons only in IPv6. */
    private static boolean isValidHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (Character.isWhitespace(c) || c == '[' || c == ']' || c == '/') {
                return false;
            }
        }
        return true;
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException("invalid OVSDB endpoint \"" + text + "\": " + problem + "; " + EXPECTED);
    }
}
