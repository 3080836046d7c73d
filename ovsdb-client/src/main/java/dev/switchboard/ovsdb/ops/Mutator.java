package dev.switchboard.ovsdb.ops;

/** The mutators of RFC 7047 section 5.1 ({@code <mutator>}). */
public enum Mutator {
    ADD("+="),
    SUB("-="),
    MUL("*="),
    DIV("/="),
    MOD("%="),
    INSERT("insert"),
    DELETE("delete");

    private final String json;

    Mutator(String json) {
        this.json = json;
    }

    /** The name on the wire, e.g. {@code "+="}. */
    public String json() {
        return json;
    }

    /** Whether this is one of the five arithmetic mutators, which apply only to integers and reals. */
    public boolean isArithmetic() {
        return this != INSERT && this != DELETE;
    }
}
