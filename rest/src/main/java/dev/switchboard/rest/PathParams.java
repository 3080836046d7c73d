package dev.switchboard.rest;

import java.util.regex.Pattern;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** Parses the identifiers clients write; a malformed one is a 400 naming the field. */
final class PathParams {
    private static final Pattern COLON_DPID = Pattern.compile("(\\p{XDigit}{2}:){7}\\p{XDigit}{2}");
    private static final Pattern HEX_DPID = Pattern.compile("(0x)?\\p{XDigit}{1,16}");
    private static final Pattern MAC = Pattern.compile("(\\p{XDigit}{2}:){5}\\p{XDigit}{2}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private PathParams() {
    }

    /** {@code 00:00:00:00:00:00:00:01}, or up to 16 hex digits ({@code 0x1}, {@code 1}). */
    static DatapathId dpid(String field, String text) {
        if (text != null && COLON_DPID.matcher(text).matches()) {
            return DatapathId.of(text);
        }
        if (text != null && HEX_DPID.matcher(text).matches()) {
            String digits = text.startsWith("0x") ? text.substring(2) : text;
            return DatapathId.of(Long.parseUnsignedLong(digits, 16));
        }
        throw ApiException.badRequest(field, field + ": '" + Printable.of(text)
                + "' is not a datapath id (00:00:00:00:00:00:00:01 or up to 16 hex digits)");
    }

    /** A host named by its MAC address or IPv4 address. */
    record HostRef(MacAddress mac, IPv4Address ip) {
    }

    static HostRef host(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw ApiException.badRequest(field, field + ": missing (a host's MAC or IPv4 address)");
        }
        if (MAC.matcher(text).matches()) {
            return new HostRef(MacAddress.of(text), null);
        }
        if (IPV4.matcher(text).matches()) {
            try {
                return new HostRef(null, IPv4Address.of(text));
            } catch (IllegalArgumentException e) {
                // an octet above 255: fall through to the error below
            }
        }
        throw ApiException.badRequest(field, field + ": '" + Printable.of(text)
                + "' is neither a MAC address (00:00:00:00:00:01) nor an IPv4 address");
    }

    /** Client text echoed in an error: short and without control characters. */
    static final class Printable {
        private Printable() {
        }

        static String of(String text) {
            if (text == null) {
                return "";
            }
            String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
            return cut.replaceAll("\\p{Cntrl}", "?");
        }
    }
}
