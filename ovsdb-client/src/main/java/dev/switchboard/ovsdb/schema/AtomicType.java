package dev.switchboard.ovsdb.schema;

/** The five atomic types of RFC 7047 section 3.2 ({@code <atomic-type>}). */
public enum AtomicType {
    INTEGER("integer"),
    REAL("real"),
    BOOLEAN("boolean"),
    STRING("string"),
    UUID("uuid");

    private final String jsonName;

    AtomicType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name a schema uses, e.g. {@code "integer"}. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The type a schema names.
     *
     * @throws OvsdbSchemaException if {@code json} is not one of the five names
     */
    public static AtomicType of(String json) {
        for (AtomicType type : values()) {
            if (type.jsonName.equals(json)) {
                return type;
            }
        }
        throw new OvsdbSchemaException("unknown atomic type '" + json
                + "' (expected integer, real, boolean, string or uuid)");
    }
}
