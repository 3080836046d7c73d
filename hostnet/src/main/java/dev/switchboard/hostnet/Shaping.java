package dev.switchboard.hostnet;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Egress traffic shaping of one link, like Mininet's {@code TCLink}: a rate limit, an added delay, random loss. Build
 * with {@link #builder()}; at least one of rate, delay and loss is needed.
 *
 * <p>Delay, jitter and loss need netem; a kernel without it refuses them with {@link KernelFeatureMissingException}
 * before anything is changed.
 *
 * @param rateBitsPerSecond the rate limit
 * @param limiter           which queueing discipline enforces the rate (default TBF)
 * @param burstBytes        how many bytes may pass at line speed before the limit applies (default: the larger of
 *                          15000 and 4 ms worth of the rate)
 * @param delay             added one-way delay of each packet
 * @param jitter            random variation of the delay (needs a delay)
 * @param lossPercent       chance in percent (0..100) that a packet is dropped
 */
public record Shaping(OptionalLong rateBitsPerSecond, RateLimiter limiter, OptionalLong burstBytes,
        Optional<Duration> delay, Optional<Duration> jitter, OptionalDouble lossPercent) {

    /** How the rate is enforced. */
    public enum RateLimiter {
        /** Token bucket filter: one qdisc, no classes. */
        TBF,
        /** Hierarchical token bucket with one class, as Mininet does by default. */
        HTB
    }

    public Shaping {
        Objects.requireNonNull(limiter, "limiter");
        rateBitsPerSecond.ifPresent(rate -> {
            if (rate <= 0) {
                throw new InvalidRequestException("shaping rate " + rate + " bit/s is not positive");
            }
        });
        burstBytes.ifPresent(burst -> {
            if (burst <= 0) {
                throw new InvalidRequestException("shaping burst " + burst + " bytes is not positive");
            }
        });
        if (burstBytes.isPresent() && rateBitsPerSecond.isEmpty()) {
            throw new InvalidRequestException("shaping burst is set without a rate");
        }
        delay.ifPresent(d -> requireNotNegative("shaping delay", d));
        jitter.ifPresent(d -> requireNotNegative("shaping jitter", d));
        if (jitter.isPresent() && delay.isEmpty()) {
            throw new InvalidRequestException("shaping jitter is set without a delay");
        }
        lossPercent.ifPresent(loss -> {
            if (!(loss >= 0 && loss <= 100)) {
                throw new InvalidRequestException("shaping loss " + loss + "% is outside 0..100");
            }
        });
        if (rateBitsPerSecond.isEmpty() && delay.isEmpty() && lossPercent.isEmpty()) {
            throw new InvalidRequestException("shaping needs at least one of rate, delay and loss");
        }
    }

    private static void requireNotNegative(String what, Duration d) {
        if (d.isNegative()) {
            throw new InvalidRequestException(what + " " + d + " is negative");
        }
    }

    /** Whether netem is needed (delay, jitter or loss). */
    public boolean needsNetem() {
        return delay.isPresent() || lossPercent.isPresent();
    }

    /** The burst used: as given, or the larger of 15000 bytes and 4 ms at the rate. */
    public long effectiveBurstBytes() {
        long rate = rateBitsPerSecond.orElseThrow();
        return burstBytes.orElse(Math.max(15_000L, rate / 8 / 250));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder; every setter is optional, but at least one of rate, delay and loss is needed. */
    public static final class Builder {
        private Long rate;
        private RateLimiter limiter = RateLimiter.TBF;
        private Long burst;
        private Duration delay;
        private Duration jitter;
        private Double loss;

        private Builder() {
        }

        public Builder rateBitsPerSecond(long rate) {
            this.rate = rate;
            return this;
        }

        public Builder rateMbit(double mbit) {
            this.rate = Math.round(mbit * 1_000_000);
            return this;
        }

        public Builder limiter(RateLimiter limiter) {
            this.limiter = limiter;
            return this;
        }

        public Builder burstBytes(long burst) {
            this.burst = burst;
            return this;
        }

        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        public Builder jitter(Duration jitter) {
            this.jitter = jitter;
            return this;
        }

        public Builder lossPercent(double loss) {
            this.loss = loss;
            return this;
        }

        public Shaping build() {
            return new Shaping(rate == null ? OptionalLong.empty() : OptionalLong.of(rate), limiter,
                    burst == null ? OptionalLong.empty() : OptionalLong.of(burst), Optional.ofNullable(delay),
                    Optional.ofNullable(jitter), loss == null ? OptionalDouble.empty() : OptionalDouble.of(loss));
        }
    }
}
