package dev.switchboard.hostnet;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Egress traffic shaping of one link, like Mininet's {@code TCLink}: a rate limit, an added delay, random loss, a
 * queue length. Build with {@link #builder()} (or {@link #builder(Shaping)} from another); at least one of rate, delay,
 * loss and queue is needed.
 *
 * <p>Delay, jitter and a loss above 0 need netem; a kernel without it refuses them with
 * {@link KernelFeatureMissingException} before anything is changed. A loss of 0 adds nothing, as in Mininet. The queue
 * length is netem's {@code limit} when netem is there; otherwise a {@code pfifo} limit, under the rate limiter's class
 * or at the root, which needs nothing more.
 *
 * @param rateBitsPerSecond the rate limit
 * @param limiter           which queueing discipline enforces the rate (default TBF)
 * @param burstBytes        how many bytes may pass at line speed before the limit applies (default: the larger of
 *                          15000 and 4 ms worth of the rate)
 * @param delay             added one-way delay of each packet
 * @param jitter            random variation of the delay (needs a delay)
 * @param lossPercent       chance in percent (0..100) that a packet is dropped
 * @param queuePackets      how many packets may wait (Mininet's {@code max_queue_size}), at least 1
 */
public record Shaping(OptionalLong rateBitsPerSecond, RateLimiter limiter, OptionalLong burstBytes,
        Optional<Duration> delay, Optional<Duration> jitter, OptionalDouble lossPercent, OptionalInt queuePackets) {

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
        queuePackets.ifPresent(queue -> {
            if (queue < 1) {
                throw new InvalidRequestException("shaping queue " + queue + " must be at least 1 packet");
            }
        });
        if (rateBitsPerSecond.isEmpty() && delay.isEmpty() && lossPercent.isEmpty() && queuePackets.isEmpty()) {
            throw new InvalidRequestException("shaping needs at least one of rate, delay, loss and queue");
        }
    }

    private static void requireNotNegative(String what, Duration d) {
        if (d.isNegative()) {
            throw new InvalidRequestException(what + " " + d + " is negative");
        }
    }

    /** Whether netem is needed: a delay (and jitter), or a loss above 0. */
    public boolean needsNetem() {
        return delay.isPresent() || (lossPercent.isPresent() && lossPercent.getAsDouble() > 0);
    }

    /** The burst used: as given, or the larger of 15000 bytes and 4 ms at the rate. */
    public long effectiveBurstBytes() {
        long rate = rateBitsPerSecond.orElseThrow();
        return burstBytes.orElse(Math.max(15_000L, rate / 8 / 250));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from {@code shaping}'s settings. */
    public static Builder builder(Shaping shaping) {
        Builder builder = new Builder();
        shaping.rateBitsPerSecond.ifPresent(builder::rateBitsPerSecond);
        builder.limiter(shaping.limiter);
        shaping.burstBytes.ifPresent(builder::burstBytes);
        shaping.delay.ifPresent(builder::delay);
        shaping.jitter.ifPresent(builder::jitter);
        shaping.lossPercent.ifPresent(builder::lossPercent);
        shaping.queuePackets.ifPresent(builder::queuePackets);
        return builder;
    }

    /** A builder; every setter is optional, but at least one of rate, delay, loss and queue is needed. */
    public static final class Builder {
        private Long rate;
        private RateLimiter limiter = RateLimiter.TBF;
        private Long burst;
        private Duration delay;
        private Duration jitter;
        private Double loss;
        private Integer queue;

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

        public Builder queuePackets(int packets) {
            this.queue = packets;
            return this;
        }

        public Shaping build() {
            return new Shaping(rate == null ? OptionalLong.empty() : OptionalLong.of(rate), limiter,
                    burst == null ? OptionalLong.empty() : OptionalLong.of(burst), Optional.ofNullable(delay),
                    Optional.ofNullable(jitter), loss == null ? OptionalDouble.empty() : OptionalDouble.of(loss),
                    queue == null ? OptionalInt.empty() : OptionalInt.of(queue));
        }
    }
}
