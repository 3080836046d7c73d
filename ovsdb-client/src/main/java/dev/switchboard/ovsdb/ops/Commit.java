package dev.switchboard.ovsdb.ops;

/** Asks for the transaction to be on disk before the reply if {@code durable} (RFC 7047 5.2.7). */
public record Commit(boolean durable) implements Operation {

    @Override
    public String op() {
        return "commit";
    }
}
