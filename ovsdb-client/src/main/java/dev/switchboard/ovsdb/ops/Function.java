package dev.switchboard.ovsdb.ops;

/** The functions a condition applies (RFC 7047 section 5.1, {@code <function>}). */
public enum Function {
    LT("<"),
    LE("<="),
    EQ("=="),
    NE("!="),
    GE(">="),
    GT(">"),
    INCLUDES("includes"),
    EXCLUDES("excludes");

    private final String json;

    Function(String json) {
        this.json = json;
    }

    /** The name on the wire, e.g. {@code "=="}. */
    public String json() {
        return json;
    }

    /** Whether this is one of the four orderings, which apply only to integers and reals. */
    public boolean isInequality() {
        return this == LT || this == LE || this == GE || this == GT;
    }
}
