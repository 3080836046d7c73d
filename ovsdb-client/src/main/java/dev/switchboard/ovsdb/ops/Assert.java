package dev.switchboard.ovsdb.ops;

import java.util.Objects;

/** Fails the transaction with "not owner" unless this client holds {@code lock} (RFC 7047 5.2.10). */
public record Assert(String lock) implements Operation {

    public Assert {
        Objects.requireNonNull(lock, "lock");
    }

    @Override
    public String op() {
        return "assert";
    }
}
