package dev.switchboard.lab.spec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Traffic shaping of a veth link, with the meaning of Mininet's TCLink: each setting
 * applies to both ends' egress, so {@code delay: 5ms} adds 10 ms to a round trip and
 * {@code rate: 10mbit} limits each direction to 10 Mbit/s. See {@link KernelNeed#HTB} and
 * {@link KernelNeed#NETEM} for the qdiscs each setting needs.
 *
 * @param rate  bandwidth limit (Mininet's {@code bw})
 * @param delay added one-way delay, 0..{@value #MAX_DELAY_SECONDS} s
 * @param loss  packet loss in percent, 0..100
 * @param queue queue length in packets (Mininet's {@code max_queue_size}), at least 1
 */
public record Shaping(Optional<Rate> rate, Optional<Duration> delay, OptionalDouble loss, OptionalInt queue) {

    /** No shaping: the link runs at veth speed. */
    public static final Shaping NONE = new Shaping(Optional.empty(), Optional.empty(), OptionalDouble.empty(), OptionalInt.empty());

    /** Longest delay accepted. */
    public static final int MAX_DELAY_SECONDS = 60;

    public Shaping {
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(queue, "queue");
        delay.ifPresent(d -> {
            if (d.isNegative() || d.compareTo(Duration.ofSeconds(MAX_DELAY_SECONDS)) > 0) {
                throw new IllegalArgumentException("delay " + formatDelay(d) + " is outside 0.." + MAX_DELAY_SECONDS + "s");
            }
        });
        if (loss.isPresent() && !(loss.getAsDouble() >= 0 && loss.getAsDouble() <= 100)) {
            throw new IllegalArgumentException("loss " + loss.getAsDouble() + "% is outside 0..100");
        }
        if (queue.isPresent() && queue.getAsInt() < 1) {
            throw new IllegalArgumentException("queue " + queue.getAsInt() + " must be at least 1 packet");
        }
    }

    /** Whether nothing is set. */
    public boolean isNone() {
        return rate.isEmpty() && delay.isEmpty() && loss.isEmpty() && queue.isEmpty();
    }

    /** Whether this needs netem: a delay is set, or a loss above 0 (Mininet drops {@code loss 0} too). */
    public boolean needsNetem() {
        return delay.isPresent() || (loss.isPresent() && loss.getAsDouble() > 0);
    }

    public Shaping withRate(Rate newRate) {
        return new Shaping(Optional.of(newRate), delay, loss, queue);
    }

    public Shaping withDelay(Duration newDelay) {
        return new Shaping(rate, Optional.of(newDelay), loss, queue);
    }

    public Shaping withLoss(double percent) {
        return new Shaping(rate, delay, OptionalDouble.of(percent), queue);
    }

    public Shaping withQueue(int packets) {
        return new Shaping(rate, delay, loss, OptionalInt.of(packets));
    }

    /**
     * Parses a tc time: a number, optionally with a fraction, and a unit {@code s},
     * {@code sec}, {@code secs}, {@code ms}, {@code msec}, {@code msecs}, {@code us},
     * {@code usec}, {@code usecs}. The unit is required (tc would read a bare number as
     * microseconds, which nobody means). Resolution is one microsecond.
     *
     * @throws IllegalArgumentException quoting {@code text}
     */
    public static Duration parseDelay(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        int unitStart = 0;
        while (unitStart < lower.length() && (Character.isDigit(lower.charAt(unitStart)) || lower.charAt(unitStart) == '.')) {
            unitStart++;
        }
        String number = lower.substring(0, unitStart);
        String unit = lower.substring(unitStart);
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

    /**
     * Parses a loss percentage: a number 0..100, optionally followed by {@code %}.
     *
     * @throws IllegalArgumentException quoting {@code text}
     */
    public static double parseLoss(String text) {
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

    @Override
    public String toString() {
        if (isNone()) {
            return "no shaping";
        }
        StringBuilder out = new StringBuilder();
        rate.ifPresent(r -> out.append("rate ").append(r.toTc()).append(' '));
        delay.ifPresent(d -> out.append("delay ").append(formatDelay(d)).append(' '));
        loss.ifPresent(l -> out.append("loss ").append(BigDecimal.valueOf(l).stripTrailingZeros().toPlainString()).append("% "));
        queue.ifPresent(q -> out.append("queue ").append(q).append(' '));
        return out.toString().strip();
    }
}
