package dev.switchboard.hostnet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A strict parser and formatter of IPv4 and IPv6 address literals. It never resolves host names: anything that is not
 * a literal is refused.
 *
 * <p>IPv4 is four decimal octets without leading zeros ({@code 010.0.0.1} is refused, since other tools read it as
 * octal). IPv6 is RFC 4291 text: up to eight groups of one to four hex digits, at most one {@code ::}, optionally an
 * IPv4 dotted quad in the last 32 bits; zone indices ({@code %eth0}) are refused.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /**
     * Parses an IPv4 or IPv6 literal.
     *
     * @throws InvalidRequestException naming the text and what is wrong with it
     */
    public static InetAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        byte[] bytes = text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text, text);
        try {
            return bytes.length == 4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + bytes.length + " bytes", e);
        }
    }

    /** The usual text of an address: dotted quad, or RFC 5952 for IPv6 (lower case, longest zero run as "::"). */
    public static String format(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** Whether {@code address} is an IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}), which stays IPv6 here. */
    public static boolean isIpv4Mapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    static boolean isIpv6(InetAddress address) {
        return address instanceof Inet6Address;
    }

    static boolean isIpv4(InetAddress address) {
        return address instanceof Inet4Address;
    }

    private static byte[] parseIpv4(String text, String whole) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw invalid(whole, "an IPv4 address has four dot-separated numbers");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid(whole, "'" + p + "' is not a number from 0 to 255");
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                throw invalid(whole, "'" + p + "' has a leading zero");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw invalid(whole, p + " is larger than 255");
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseIpv6(String text) {
        if (text.indexOf('%') >= 0) {
            throw invalid(text, "zone indices are not accepted");
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            throw invalid(text, "'::' may appear only once");
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head, text, doubleColon < 0);
        int[] tailGroups = doubleColon >= 0 ? groups(tail, text, true) : new int[0];
        int total = headGroups.length + tailGroups.length;
        if (doubleColon < 0 && total != 8) {
            throw invalid(text, "an IPv6 address without '::' has eight groups, this has " + total);
        }
        if (doubleColon >= 0 && total > 7) {
            throw invalid(text, "'::' stands for at least one zero group, but there are already " + total);
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

    /** Parses colon-separated hex groups; the last one may be a dotted quad when {@code last} is true. */
    private static int[] groups(String part, String whole, boolean last) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] items = part.split(":", -1);
        int count = items.length;
        boolean quad = last && items[count - 1].indexOf('.') >= 0;
        int[] out = new int[quad ? count + 1 : count];
        for (int i = 0; i < count; i++) {
            String g = items[i];
            if (quad && i == count - 1) {
                byte[] v4 = parseIpv4(g, whole);
                out[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                out[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                continue;
            }
            if (g.isEmpty()) {
                throw invalid(whole, "it has an empty group (a single ':' at the start or end, or ':::')");
            }
            if (g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
                throw invalid(whole, "'" + g + "' is not a group of one to four hex digits");
            }
            out[i] = Integer.parseInt(g, 16);
        }
        return out;
    }

    private static InvalidRequestException invalid(String text, String why) {
        return new InvalidRequestException("'" + text + "' is not an IP address: " + why);
    }
}
