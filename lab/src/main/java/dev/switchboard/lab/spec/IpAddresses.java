package dev.switchboard.lab.spec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Strict IPv4 and IPv6 address literals: parsed by hand, never looked up in DNS.
 *
 * <p>IPv4 is exactly four decimal parts 0..255 without leading zeros ({@code 010.0.0.1}
 * would be octal to some tools and decimal to others, so it is refused). IPv6 is the
 * RFC 4291 text form, with at most one {@code ::} and an optional dotted IPv4 tail; zone
 * ids ({@code %eth0}) and IPv4-mapped addresses ({@code ::ffff:1.2.3.4}) are refused.
 * {@link #format} writes the RFC 5952 canonical form.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /**
     * Parses an IPv4 or IPv6 literal.
     *
     * @throws IllegalArgumentException with a message quoting {@code text} if it is not one
     */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        byte[] bytes = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
        }
        if (bytes.length == 16 && isV4Mapped(bytes)) {
            throw new IllegalArgumentException("'" + text + "' is an IPv4-mapped IPv6 address; write the IPv4 address");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of illegal length", e);
        }
    }

    /** Whether {@code text} is an IPv4 or IPv6 literal as {@link #parse} accepts it. */
    public static boolean isLiteral(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The canonical text: dotted quad for IPv4, RFC 5952 (lower case, longest zero run as {@code ::}) for IPv6. */
    public static String format(InetAddress address) {
        if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        return dev.switchboard.hostnet.IpAddresses.format(address);
    }

    static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = decimal(parts[i], 255);
            if (value < 0) {
                return null;
            }
            out[i] = (byte) value;
        }
        return out;
    }

    /** A decimal number without sign or leading zeros, at most {@code max}; -1 if it is not one. */
    static int decimal(String text, int max) {
        if (text.isEmpty() || text.length() > 10 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > max ? -1 : (int) value;
    }

    private static byte[] parseV6(String text) {
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head, doubleColon < 0);
        int[] tailGroups = groups(tail, true);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (doubleColon >= 0 ? total > 7 : total != 8) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < headGroups.length; i++) {
            out[2 * i] = (byte) (headGroups[i] >> 8);
            out[2 * i + 1] = (byte) headGroups[i];
        }
        int offset = 8 - tailGroups.length;
        for (int i = 0; i < tailGroups.length; i++) {
            out[2 * (offset + i)] = (byte) (tailGroups[i] >> 8);
            out[2 * (offset + i) + 1] = (byte) tailGroups[i];
        }
        return out;
    }

    /** Colon-separated 16-bit groups; a dotted IPv4 part is allowed last when {@code mayEndInV4}. */
    private static int[] groups(String text, boolean mayEndInV4) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        int[] out = new int[parts.length + 1];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && mayEndInV4 && part.indexOf('.') >= 0) {
                byte[] v4 = parseV4(part);
                if (v4 == null) {
                    return null;
                }
                out[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                out[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int k = 0; k < part.length(); k++) {
                int digit = Character.digit(part.charAt(k), 16);
                if (digit < 0 || part.charAt(k) > 'f') {
                    return null;
                }
                value = value * 16 + digit;
            }
            out[n++] = value;
        }
        return Arrays.copyOf(out, n);
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
