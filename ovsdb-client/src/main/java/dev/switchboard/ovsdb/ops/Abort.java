package dev.switchboard.ovsdb.ops;

/** Makes the transaction fail with error "aborted" (RFC 7047 5.2.8): nothing is changed. */
public record Abort() implements Operation {

    @Override
    public String op() {
        return "abort";
    }
}
