package dev.switchboard.lab.spec;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every name a lab gives to a kernel or OVS object, derived from the lab's name and its
 * node names, so two labs never collide and {@code lab down} finds its objects by prefix.
 *
 * <table>
 *   <caption>Derived names for lab {@code seed}</caption>
 *   <tr><th>object</th><th>name</th><th>example</th></tr>
 *   <tr><td>network namespace of host {@code net0}</td><td>{@code <lab>-<host>}</td><td>{@code seed-net0}</td></tr>
 *   <tr><td>OVS bridge or Linux bridge of switch {@code br0}</td><td>{@code <lab>-<switch>}</td><td>{@code seed-br0}</td></tr>
 *   <tr><td>device of switch {@code s1}'s port 3 (veth end or OVS patch interface)</td>
 *       <td>{@code <lab>-<switch>-e<port>}</td><td>{@code seed-s1-e3}</td></tr>
 *   <tr><td>host {@code net0}'s interface 0 while still in the root namespace</td>
 *       <td>{@code <lab>-<host>-e<index>}</td><td>{@code seed-net0-e0}</td></tr>
 *   <tr><td>that interface inside the namespace</td><td>the link's {@code interface}, default
 *       {@code eth<index>}</td><td>{@code eth0}</td></tr>
 *   <tr><td>TAP or TUN device {@code tap0}</td><td>{@code <lab>-<tap>}</td><td>{@code seed-tap0}</td></tr>
 * </table>
 *
 * <p>Port numbers and interface indexes follow Mininet (see {@link Port}). The staging name
 * of a host interface lets a runtime create both veth ends in the root namespace, where a
 * crash leaves only prefixed names behind, then move the host end into its namespace and
 * rename it.
 *
 * <p>Rules: a lab name is a lower-case letter followed by up to five lower-case letters or
 * digits ({@value #MAX_LAB_NAME} characters at most), so it never contains {@code -} and
 * the text before the first {@code -} of any derived name is its lab ({@link #labOf}).
 * Node names are letters, digits, {@code _} and {@code -}, starting with a letter or digit.
 * Every derived name must fit Linux's {@value #MAX_KERNEL_NAME}-character limit for
 * interface names; {@link LabSpec} refuses a spec whose names do not, naming the object.
 */
public final class LabNames {

    /** Longest Linux interface name (IFNAMSIZ - 1). Namespace names obey it too, for uniformity. */
    public static final int MAX_KERNEL_NAME = 15;
    /** Longest lab name. */
    public static final int MAX_LAB_NAME = 6;

    private static final Pattern LAB_NAME = Pattern.compile("[a-z][a-z0-9]{0," + (MAX_LAB_NAME - 1) + "}");
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final String lab;

    private LabNames(String lab) {
        this.lab = lab;
    }

    /**
     * The names of lab {@code lab}.
     *
     * @throws IllegalArgumentException if {@code lab} is not a valid lab name
     */
    public static LabNames of(String lab) {
        checkLabName(lab);
        return new LabNames(lab);
    }

    /** The lab's name. */
    public String lab() {
        return lab;
    }

    /** {@code <lab>-}: every object of this lab, and of no other lab, starts with it. */
    public String prefix() {
        return lab + "-";
    }

    /**
     * Whether {@code name} (an interface, bridge, namespace or OVS port) belongs to this lab: it
     * starts with {@link #prefix()}. Lab names contain no {@code -}, so the prefix of one lab is
     * never the start of another's ({@code ab-} does not start {@code abc-s1}).
     */
    public boolean owns(String name) {
        return name != null && name.startsWith(prefix());
    }

    /** The network namespace of host {@code host}: {@code <lab>-<host>}. */
    public String namespace(String host) {
        return prefix() + host;
    }

    /** The OVS bridge or Linux bridge of switch {@code switchName}: {@code <lab>-<switch>}. */
    public String bridge(String switchName) {
        return prefix() + switchName;
    }

    /** The TAP or TUN device {@code tap}: {@code <lab>-<tap>}, in the root namespace. */
    public String tap(String tap) {
        return prefix() + tap;
    }

    /**
     * The root-namespace device of a node's port: {@code <lab>-<node>-e<number>}. For a switch
     * it is the veth end or OVS patch interface on port {@code number}; for a host it is the
     * staging name of interface {@code number} before it moves into the namespace.
     */
    public String port(String node, int number) {
        return prefix() + node + "-e" + number;
    }

    /**
     * The lab whose prefix {@code name} carries: the text before its first {@code -}, if that
     * has the form of a lab name. Only the form is checked, so names no lab made can match
     * ({@code ovs-system} gives {@code ovs}); match the result against the labs you know.
     */
    public static Optional<String> labOf(String name) {
        if (name == null) {
            return Optional.empty();
        }
        int dash = name.indexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        String lab = name.substring(0, dash);
        return LAB_NAME.matcher(lab).matches() ? Optional.of(lab) : Optional.empty();
    }

    /** @throws IllegalArgumentException unless {@code lab} is a valid lab name */
    public static void checkLabName(String lab) {
        Objects.requireNonNull(lab, "lab name");
        if (!LAB_NAME.matcher(lab).matches()) {
            throw new IllegalArgumentException("lab name '" + lab + "' must be a lower-case letter followed by at most "
                    + (MAX_LAB_NAME - 1) + " lower-case letters or digits (it prefixes every interface name,"
                    + " which Linux limits to " + MAX_KERNEL_NAME + " characters)");
        }
    }

    /** @throws IllegalArgumentException unless {@code name} is a valid host or switch name */
    public static void checkNodeName(String name) {
        Objects.requireNonNull(name, "node name");
        if (!NODE_NAME.matcher(name).matches() || name.length() > MAX_KERNEL_NAME) {
            throw new IllegalArgumentException("node name '" + name + "' must be 1.." + MAX_KERNEL_NAME
                    + " letters, digits, '_' or '-', starting with a letter or digit");
        }
    }

    /** @throws IllegalArgumentException unless {@code name} can name an interface inside a host's namespace */
    public static void checkInterfaceName(String name) {
        Objects.requireNonNull(name, "interface name");
        if (!INTERFACE_NAME.matcher(name).matches() || name.length() > MAX_KERNEL_NAME) {
            throw new IllegalArgumentException("interface name '" + name + "' must be 1.." + MAX_KERNEL_NAME
                    + " letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        if (name.equals("lo")) {
            throw new IllegalArgumentException("interface name 'lo' is the namespace's loopback");
        }
    }

    @Override
    public String toString() {
        return "LabNames[" + lab + "]";
    }
}
