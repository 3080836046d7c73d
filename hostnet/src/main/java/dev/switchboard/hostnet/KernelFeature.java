package dev.switchboard.hostnet;

/** Kernel networking features that hostnet or its users may need; see {@link KernelFeatures}. */
public enum KernelFeature {
    NETEM("netem (tc qdisc netem)"),
    VLAN_8021Q("802.1Q VLAN sub-interfaces"),
    BRIDGE_VLAN_FILTERING("bridge VLAN filtering"),
    GRE("GRE tunnels"),
    GENEVE("GENEVE tunnels"),
    VXLAN("VXLAN tunnels"),
    MACVLAN("MACVLAN interfaces"),
    IFB("IFB (intermediate functional block) devices"),
    TBF("tbf (tc qdisc tbf)"),
    HTB("htb (tc qdisc htb)");

    private final String description;

    KernelFeature(String description) {
        this.description = description;
    }

    /** A human name, used in messages, e.g. {@code "netem (tc qdisc netem)"}. */
    public String description() {
        return description;
    }
}
