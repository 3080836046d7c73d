package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Cidr;
import dev.switchboard.hostnet.HostNetworkException;
import dev.switchboard.hostnet.IpAddresses;
import dev.switchboard.hostnet.Route;
import dev.switchboard.hostnet.Shaping;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * The text of a lab file's values, read into hostnet's types ({@link Cidr}, {@link Route},
 * {@link Shaping}) with the lab's own rules and wording: what a lab refuses beyond hostnet
 * (IPv4-mapped addresses, a route destination with host bits set, a delay over
 * {@value #MAX_DELAY_SECONDS} s, a delay without a unit), and hints at the form expected.
 * Every parser throws {@link IllegalArgumentException} quoting the text, which the spec reader
 * reports as {@code FILE:LINE: KEY: message}.
 */
public final class LabValues {

    /** Longest delay accepted. */
    public static final int MAX_DELAY_SECONDS = 60;

    private LabValues() {
    }

    /**
     * An IPv4 or IPv6 literal, strictly as {@link IpAddresses#parse} reads it (never looked up in
     * DNS); IPv4-mapped IPv6 addresses ({@code ::ffff:1.2.3.4}) are refused, so one address has
     * one spelling.
     */
    public static InetAddress address(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        InetAddress address;
        try {
            address = IpAddresses.parse(text);
        } catch (HostNetworkException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (IpAddresses.isIpv4Mapped(address)) {
            throw new IllegalArgumentException("'" + text + "' is an IPv4-mapped IPv6 address; write the IPv4 address");
        }
        return address;
    }

    /** {@code ADDRESS/LENGTH}; the length is required and written in decimal without leading zeros. */
    public static Cidr cidr(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing address");
        }
        String hint = "'" + text + "' is not an IPv4 or IPv6 address with a prefix length, like 10.0.8.1/24 or fd00::1/64";
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(hint + " (the /LENGTH is missing)");
        }
        try {
            address(text.substring(0, slash));
            return Cidr.parse(text);
        } catch (IllegalArgumentException | HostNetworkException e) {
            throw new IllegalArgumentException(hint + ": " + e.getMessage(), e);
        }
    }

    /**
     * A static route of a host: {@code to} is a prefix with the host bits clear, or
     * {@code default} ({@code 0.0.0.0/0} or {@code ::/0} by the family of {@code via}); {@code via}
     * an address of the same family.
     */
    public static Route route(String to, String via) {
        InetAddress next = address(via);
        Cidr destination = to.equals("default") ? Cidr.defaultRoute(next.getAddress().length == 16) : cidr(to);
        if (!destination.isNetwork()) {
            throw new IllegalArgumentException("route destination " + destination + " has host bits set; did you mean "
                    + destination.network() + "?");
        }
        try {
            return Route.to(destination).via(next);
        } catch (HostNetworkException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * A tc time: a number, optionally with a fraction, and a unit {@code s}, {@code sec},
     * {@code secs}, {@code ms}, {@code msec}, {@code msecs}, {@code us}, {@code usec},
     * {@code usecs}. The unit is required (tc would read a bare number as microseconds, which
     * nobody means). Resolution is one microsecond; at most {@value #MAX_DELAY_SECONDS} s.
     */
    public static Duration delay(String text) {
        NumberAndUnit parts = NumberAndUnit.split(text);
        String number = parts.number();
        String unit = parts.unit();
        long micros = switch (unit) {
            case "s", "sec", "secs" -> 1_000_000L;
            case "ms", "msec", "msecs" -> 1_000L;
            case "us", "usec", "usecs" -> 1L;
            default -> -1L;
        };
        if (!number.matches("\\d+(\\.\\d+)?") || micros < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a delay like 5ms, 500us or 0.1s"
                    + (unit.isEmpty() && !number.isEmpty() ? " (the unit is required)" : ""));
        }
        BigDecimal value = new BigDecimal(number).multiply(BigDecimal.valueOf(micros)).setScale(0, RoundingMode.HALF_UP);
        if (value.compareTo(BigDecimal.valueOf(MAX_DELAY_SECONDS * 1_000_000L)) > 0) {
            throw new IllegalArgumentException("delay '" + text + "' is longer than " + MAX_DELAY_SECONDS + "s");
        }
        return Duration.ofNanos(value.longValueExact() * 1_000L);
    }

    /** A delay as tc takes it, in the largest exact unit: {@code 2ms}, {@code 500us}, {@code 1s}. */
    public static String formatDelay(Duration delay) {
        long micros = delay.toNanos() / 1_000L;
        if (micros != 0 && micros % 1_000_000L == 0) {
            return micros / 1_000_000L + "s";
        }
        if (micros % 1_000L == 0) {
            return micros / 1_000L + "ms";
        }
        return micros + "us";
    }

    /** A loss percentage: a number 0..100, optionally followed by {@code %}. */
    public static double loss(String text) {
        String t = text.strip();
        String number = t.endsWith("%") ? t.substring(0, t.length() - 1).strip() : t;
        if (!number.matches("\\d+(\\.\\d+)?")) {
            throw new IllegalArgumentException("'" + text + "' is not a loss percentage like 1, 0.5 or 2%");
        }
        double value = Double.parseDouble(number);
        if (value > 100) {
            throw new IllegalArgumentException("loss '" + text + "' is over 100%");
        }
        return value;
    }

    /** A link's shaping as a lab file writes it: {@code rate 10mbit delay 2ms loss 1.5% queue 100}. */
    public static String describe(Shaping shaping) {
        StringBuilder out = new StringBuilder();
        shaping.rateBitsPerSecond().ifPresent(r -> out.append("rate ").append(new Rate(r).toTc()).append(' '));
        shaping.delay().ifPresent(d -> out.append("delay ").append(formatDelay(d)).append(' '));
        shaping.lossPercent().ifPresent(l -> out.append("loss ").append(BigDecimal.valueOf(l).stripTrailingZeros()
                .toPlainString()).append("% "));
        shaping.queuePackets().ifPresent(q -> out.append("queue ").append(q).append(' '));
        return out.toString().strip();
    }
}
