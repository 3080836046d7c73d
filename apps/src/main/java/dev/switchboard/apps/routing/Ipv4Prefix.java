package dev.switchboard.apps.routing;

import org.projectfloodlight.openflow.types.IPv4Address;

/**
 * An IPv4 network as {@code address/length} with the host bits cleared. Kept as an int so
 * the per-packet route lookup compares integers rather than building objects.
 */
record Ipv4Prefix(int network, int length) {

    Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length " + length + " is not between 0 and 32");
        }
        network &= mask(length);
    }

    static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /**
     * Parses {@code a.b.c.d/len}; host bits are cleared (use {@link #address} on the text to
     * keep them).
     *
     * @throws IllegalArgumentException when the text is not an IPv4 address with a length
     */
    static Ipv4Prefix parse(String cidr) {
        return new Ipv4Prefix(address(cidr).getInt(), length(cidr));
    }

    /** The address part of {@code a.b.c.d/len}, host bits kept. */
    static IPv4Address address(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + cidr + "' has no /prefix-length");
        }
        return parseAddress(cidr.substring(0, slash));
    }

    static int length(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + cidr + "' has no /prefix-length");
        }
        String digits = cidr.substring(slash + 1);
        if (!digits.matches("\\d{1,2}") || Integer.parseInt(digits) > 32) {
            throw new IllegalArgumentException("'" + cidr + "' has a prefix length that is not 0 to 32");
        }
        return Integer.parseInt(digits);
    }

    /** A dotted quad, strictly: four decimal numbers 0 to 255. */
    static IPv4Address parseAddress(String text) {
        if (text == null || !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        try {
            return IPv4Address.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
    }

    boolean contains(int address) {
        return (address & mask(length)) == network;
    }

    boolean contains(IPv4Address address) {
        return contains(address.getInt());
    }

    boolean overlaps(Ipv4Prefix other) {
        return length <= other.length ? contains(other.network) : other.contains(network);
    }

    /** The directed broadcast address, for prefixes shorter than /31. */
    int broadcast() {
        return network | ~mask(length);
    }

    @Override
    public String toString() {
        return IPv4Address.of(network) + "/" + length;
    }
}
