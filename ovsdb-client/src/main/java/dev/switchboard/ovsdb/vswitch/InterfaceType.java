package dev.switchboard.ovsdb.vswitch;

/** The interface types a Switchboard user creates, by their OVS names. */
public enum InterfaceType {
    /** A kernel network device that exists already (a veth end, a NIC); OVS's empty type. */
    SYSTEM(""),
    INTERNAL("internal"),
    /** One end of a patch pair between two bridges; option {@code peer} names the other end. */
    PATCH("patch"),
    VXLAN("vxlan"),
    GENEVE("geneve"),
    GRE("gre"),
    /** A TAP device OVS creates and owns. */
    TAP("tap");

    private final String ovsName;

    InterfaceType(String ovsName) {
        this.ovsName = ovsName;
    }

    public String ovsName() {
        return ovsName;
    }

    public static InterfaceType of(String ovsName) {
        String name = ovsName == null ? "" : ovsName;
        for (InterfaceType type : values()) {
            if (type.ovsName.equals(name) || (name.equals("system") && type == SYSTEM)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown interface type '" + ovsName
                + "' (use system, internal, patch, vxlan, geneve, gre or tap)");
    }

    public boolean isTunnel() {
        return this == VXLAN || this == GENEVE || this == GRE;
    }
}
