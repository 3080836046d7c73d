package dev.switchboard.topology;

import java.util.Objects;

/**
 * A one-way link: a probe sent out of {@code src} came in at {@code dst}. A cable shows
 * as two links, one each way.
 */
public record Link(SwitchPort src, SwitchPort dst, Kind kind) {

    public enum Kind {
        /** Learned from LLDP: the two ports are wired to each other. */
        DIRECT,
        /** Learned from BDDP only: the ports share a broadcast domain through switches we do not control. */
        BROADCAST_DOMAIN
    }

    public Link {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(kind, "kind");
    }

    /** The same link the other way. */
    public Link reversed() {
        return new Link(dst, src, kind);
    }

    @Override
    public String toString() {
        return src + (kind == Kind.DIRECT ? " -> " : " ~> ") + dst;
    }
}
