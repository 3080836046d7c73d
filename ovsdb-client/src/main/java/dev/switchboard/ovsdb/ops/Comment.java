package dev.switchboard.ovsdb.ops;

import java.util.Objects;

/** Puts {@code comment} into the database log with the transaction (RFC 7047 5.2.9). */
public record Comment(String comment) implements Operation {

    public Comment {
        Objects.requireNonNull(comment, "comment");
    }

    @Override
    public String op() {
        return "comment";
    }
}
