package dev.switchboard.hostnet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address with a prefix length, like {@code 10.0.8.1/24} or {@code fd00:8::1/64}. Used both for an
 * interface address (host bits are allowed) and for a route destination ({@link #isNetwork()}).
 *
 * <p>Equality compares the address and the prefix length. {@link #toString()} gives the canonical text.
 *
 * @param address      an IPv4 or IPv6 address (an IPv4-mapped IPv6 address stays IPv6)
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record Cidr(InetAddress address, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(address, "address");
        int max = maxPrefix(address);
        if (prefixLength < 0 || prefixLength > max) {
            throw new InvalidRequestException("prefix length " + prefixLength + " of "
                    + IpAddresses.format(address) + " is outside 0.." + max);
        }
    }

    /**
     * Parses {@code address/prefixLength} strictly (see {@link IpAddresses}); the prefix length is required.
     *
     * @throws InvalidRequestException naming the text and what is wrong with it
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new InvalidRequestException("'" + text + "' is not an address with prefix length like 10.0.8.1/24");
        }
        InetAddress address = IpAddresses.parse(text.substring(0, slash));
        String prefix = text.substring(slash + 1);
        int max = maxPrefix(address);
        if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')
                || (prefix.length() > 1 && prefix.charAt(0) == '0') || Integer.parseInt(prefix) > max) {
            throw new InvalidRequestException("'" + text + "' has prefix length '" + prefix
                    + "'; it must be a number from 0 to " + max);
        }
        return new Cidr(address, Integer.parseInt(prefix));
    }

    /** The default route's destination of a family: {@code 0.0.0.0/0} or {@code ::/0}. */
    public static Cidr defaultRoute(boolean ipv6) {
        return ipv6 ? parse("::/0") : parse("0.0.0.0/0");
    }

    /** A host prefix (/32 or /128) for one address. */
    public static Cidr host(InetAddress address) {
        return new Cidr(address, maxPrefix(address));
    }

    public boolean isIpv6() {
        return IpAddresses.isIpv6(address);
    }

    public boolean isIpv4() {
        return IpAddresses.isIpv4(address);
    }

    public boolean isDefault() {
        return prefixLength == 0;
    }

    /** This prefix with the host bits cleared, e.g. {@code 10.0.8.0/24} for {@code 10.0.8.1/24}. */
    public Cidr network() {
        byte[] bytes = address.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        return new Cidr(toAddress(bytes), prefixLength);
    }

    /** Whether the host bits are all zero, as a route destination needs. */
    public boolean isNetwork() {
        return network().equals(this);
    }

    /** Whether {@code other} is inside this prefix (same family, same leading bits). */
    public boolean contains(InetAddress other) {
        if (IpAddresses.isIpv6(other) != isIpv6()) {
            return false;
        }
        return new Cidr(other, prefixLength).network().address().equals(network().address());
    }

    /** The all-ones host address of this prefix: the IPv4 broadcast address, e.g. {@code 10.0.8.255} for /24. */
    public InetAddress lastAddress() {
        byte[] bytes = address.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] |= (byte) (0x80 >> (bit % 8));
        }
        return toAddress(bytes);
    }

    /** Whether the two prefixes share at least one address (never across families). */
    public boolean overlaps(Cidr other) {
        if (isIpv6() != other.isIpv6()) {
            return false;
        }
        Cidr shorter = prefixLength <= other.prefixLength ? this : other;
        Cidr longer = shorter == this ? other : this;
        return shorter.contains(longer.address);
    }

    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + prefixLength;
    }

    private static int maxPrefix(InetAddress address) {
        return IpAddresses.isIpv6(address) ? 128 : 32;
    }

    private static InetAddress toAddress(byte[] bytes) {
        try {
            return bytes.length == 4
                    ? InetAddress.getByAddress(bytes)
                    : java.net.Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
