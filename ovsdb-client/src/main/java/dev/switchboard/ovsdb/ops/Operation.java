package dev.switchboard.ovsdb.ops;

/**
 * One operation of a "transact" (RFC 7047 section 5.2). {@link TransactionCodec} checks a list
 * of them against the schema and encodes it.
 */
public sealed interface Operation permits Insert, Select, Update, Mutate, Delete, Wait, Commit, Abort, Comment, Assert {

    /** The operation's name on the wire, e.g. {@code "insert"}. */
    String op();
}
