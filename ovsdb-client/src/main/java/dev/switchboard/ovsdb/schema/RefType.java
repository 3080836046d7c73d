package dev.switchboard.ovsdb.schema;

/**
 * How a uuid column refers to another table (RFC 7047 section 3.2, {@code "refType"}): a
 * strong reference keeps its target alive and may not dangle; a weak one is removed by the
 * server when its target row is deleted.
 */
public enum RefType {
    STRONG,
    WEAK
}
