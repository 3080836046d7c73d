package dev.switchboard.lab.spec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A link's bandwidth limit in bits per second.
 *
 * <p>{@link #parse} reads tc's bit-rate units, case-insensitively: {@code bit},
 * {@code kbit} (10^3), {@code mbit}, {@code gbit}, {@code tbit}, and the binary
 * {@code kibit} (2^10), {@code mibit}, {@code gibit}, {@code tibit}; the number may have a
 * fraction ({@code 1.5mbit}). A bare number is megabits per second, as Mininet's
 * {@code bw} is (tc would read it as bits). tc's byte units ({@code bps}, {@code kbps},
 * {@code mbps}…) are refused because {@code 100mbps} is 800 Mbit/s to tc and 100 Mbit/s
 * to most readers.
 *
 * @param bitsPerSecond at least 1
 */
public record Rate(long bitsPerSecond) {

    private static final Map<String, Long> UNITS = new LinkedHashMap<>();

    static {
        UNITS.put("bit", 1L);
        UNITS.put("kbit", 1_000L);
        UNITS.put("mbit", 1_000_000L);
        UNITS.put("gbit", 1_000_000_000L);
        UNITS.put("tbit", 1_000_000_000_000L);
        UNITS.put("kibit", 1L << 10);
        UNITS.put("mibit", 1L << 20);
        UNITS.put("gibit", 1L << 30);
        UNITS.put("tibit", 1L << 40);
    }

    public Rate {
        if (bitsPerSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 bit/s, not " + bitsPerSecond);
        }
    }

    /** {@code megabits} Mbit/s, Mininet's {@code bw} unit. */
    public static Rate ofMegabits(double megabits) {
        return parse(BigDecimal.valueOf(megabits).toPlainString());
    }

    /**
     * Parses a tc rate such as {@code 10mbit}, {@code 500kbit}, {@code 1gbit}, or a bare
     * number of Mbit/s.
     *
     * @throws IllegalArgumentException quoting {@code text} and listing the units
     */
    public static Rate parse(String text) {
        String hint = "'" + text + "' is not a rate like 10mbit, 500kbit, 1gbit or 10 (Mbit/s);"
                + " units: " + String.join(", ", UNITS.keySet());
        NumberAndUnit parts = NumberAndUnit.split(text);
        String number = parts.number();
        String unit = parts.unit();
        if (unit.endsWith("bps")) {
            throw new IllegalArgumentException("'" + text + "': tc's '" + unit + "' counts bytes, not bits;"
                    + " write the rate in bits, e.g. 100mbit");
        }
        Long multiplier = unit.isEmpty() ? Long.valueOf(1_000_000L) : UNITS.get(unit);
        if (multiplier == null || number.isEmpty() || !number.matches("\\d+(\\.\\d+)?")) {
            throw new IllegalArgumentException(hint);
        }
        BigDecimal bits = new BigDecimal(number).multiply(BigDecimal.valueOf(multiplier))
                .setScale(0, RoundingMode.HALF_UP);
        if (bits.compareTo(BigDecimal.ONE) < 0) {
            throw new IllegalArgumentException("'" + text + "' is below 1 bit/s");
        }
        if (bits.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return new Rate(bits.longValueExact());
    }

    /** The rate as tc takes it, in the largest decimal unit that is exact: {@code 10mbit}, {@code 1500kbit}. */
    public String toTc() {
        String[] units = {"tbit", "gbit", "mbit", "kbit"};
        for (String unit : units) {
            long m = UNITS.get(unit);
            if (bitsPerSecond % m == 0) {
                return bitsPerSecond / m + unit;
            }
        }
        return bitsPerSecond + "bit";
    }

    /** Megabits per second, Mininet's {@code bw}. */
    public double megabits() {
        return bitsPerSecond / 1e6;
    }

    @Override
    public String toString() {
        return toTc();
    }
}
