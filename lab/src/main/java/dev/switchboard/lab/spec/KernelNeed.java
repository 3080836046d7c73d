package dev.switchboard.lab.spec;

/**
 * A facility a lab needs from the machine, so a runtime can check them all and refuse a
 * spec before it changes anything ({@link LabSpec#kernelNeeds()}). Not every need is a
 * kernel feature in the strict sense: {@link #OPENVSWITCH} is a running Open vSwitch,
 * whose userspace datapath needs no kernel module.
 */
public enum KernelNeed {
    /** Network namespaces: one per host. */
    NETNS,
    /** veth pairs: one per {@link LinkKind#VETH} link. */
    VETH,
    /** Linux bridges: one per {@link LinuxBridge}. */
    LINUX_BRIDGE,
    /** A running {@code ovsdb-server} and {@code ovs-vswitchd}: one bridge per {@link OvsSwitch}. */
    OPENVSWITCH,
    /**
     * The HTB qdisc, which shapes a link's {@code rate} as Mininet's TCLink does by default.
     * A {@code queue} on a link with a rate but no delay or loss becomes a {@code pfifo}
     * limit under the HTB class, needing nothing more.
     */
    HTB,
    /**
     * The netem qdisc, for a link's {@code delay} or a {@code loss} above 0; a {@code queue} on such a
     * link becomes netem's {@code limit}, as in Mininet. A {@code queue} alone is a root
     * {@code pfifo} limit and needs no netem.
     */
    NETEM,
    /** IPv6 in the namespaces: some address, gateway or route is IPv6. */
    IPV6,
    /** The tun driver ({@code /dev/net/tun}): one persistent device per {@link Tap}. */
    TUN
}
