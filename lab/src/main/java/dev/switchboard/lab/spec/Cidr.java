package dev.switchboard.lab.spec;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address with a prefix length, as {@code ip address add} takes it:
 * {@code 10.0.8.1/24}, {@code fd00::1/64}. Host bits may be set (an interface address);
 * {@link #network()} clears them and {@link #isNetwork()} tells whether they are clear
 * (a route destination). Equality is by address and prefix length.
 *
 * @param address      the address, parsed strictly by {@link IpAddresses}
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record Cidr(InetAddress address, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(address, "address");
        int max = maxPrefix(address);
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + max);
        }
    }

    /**
     * Parses {@code ADDRESS/LENGTH}; the length is required and written in decimal without leading zeros.
     *
     * @throws IllegalArgumentException quoting {@code text} and showing the expected form
     */
    public static Cidr parse(String text) {
        String hint = "'" + text + "' is not an IPv4 or IPv6 address with a prefix length, like 10.0.8.1/24 or fd00::1/64";
        if (text == null) {
            throw new IllegalArgumentException("missing address");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(hint + " (the /LENGTH is missing)");
        }
        InetAddress address;
        try {
            address = IpAddresses.parse(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(hint + ": " + e.getMessage(), e);
        }
        int length = IpAddresses.decimal(text.substring(slash + 1), maxPrefix(address));
        if (length < 0) {
            throw new IllegalArgumentException(hint + " (the length must be 0.." + maxPrefix(address) + ")");
        }
        return new Cidr(address, length);
    }

    /** Whether this is an IPv4 prefix. */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** The subnet: this prefix with the host bits cleared. */
    public Cidr network() {
        return new Cidr(withHostBits(false), prefixLength);
    }

    /** Whether the host bits are all clear, as a route destination must be. */
    public boolean isNetwork() {
        return network().equals(this);
    }

    /** The all-ones host address of this subnet: the IPv4 broadcast address. */
    public InetAddress lastAddress() {
        return withHostBits(true);
    }

    /** Whether {@code other} is an address of the same family inside this prefix. */
    public boolean contains(InetAddress other) {
        if (other.getAddress().length != address.getAddress().length) {
            return false;
        }
        return new Cidr(other, prefixLength).network().equals(network());
    }

    /** Whether the two prefixes share at least one address. */
    public boolean overlaps(Cidr other) {
        if (isIpv4() != other.isIpv4()) {
            return false;
        }
        Cidr shorter = prefixLength <= other.prefixLength ? this : other;
        Cidr longer = shorter == this ? other : this;
        return shorter.contains(longer.address);
    }

    /** The canonical text, {@code ADDRESS/LENGTH} with {@link IpAddresses#format}. */
    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + prefixLength;
    }

    private InetAddress withHostBits(boolean ones) {
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        BigInteger value = new BigInteger(1, bytes);
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefixLength).subtract(BigInteger.ONE);
        value = ones ? value.or(hostMask) : value.andNot(hostMask);
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bytes.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int maxPrefix(InetAddress address) {
        return address.getAddress().length * 8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength
                && Arrays.equals(c.address.getAddress(), address.getAddress());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address.getAddress()) * 31 + prefixLength;
    }
}
