package dev.switchboard.lab.spec;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A persistent TAP or TUN device in the root namespace, named {@link LabNames#tap}: how a
 * VM or a user-space program joins the lab (it opens {@code /dev/net/tun} and attaches to
 * the device by name). Until a program attaches, the device has no carrier. In YAML:
 * {@code taps: {tap0: {bridge: br0, mode: tap, owner: 1000, group: 1000}}}.
 *
 * <p>A TAP attached to a switch is a port of it: on a Linux bridge the device is enslaved;
 * on an OVS switch it is a port of type system on the device, numbered after the switch's
 * link ports ({@link LabSpec#tapPorts()}). A TUN device carries no Ethernet frames, so it
 * cannot be attached.
 *
 * @param name   unique among the lab's hosts, switches and taps; see {@link LabNames#checkNodeName}
 * @param bridge the switch it is a port of; absent: attached to nothing
 * @param mode   TAP (default) or TUN
 * @param owner  the uid that may attach to it without privileges; absent: only privileged processes
 * @param group  the gid that may attach to it
 */
public record Tap(String name, Optional<String> bridge, TapMode mode, OptionalInt owner, OptionalInt group) {

    public Tap {
        LabNames.checkNodeName(name);
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(group, "group");
        owner.ifPresent(uid -> requireId("tap " + name + ": owner uid", uid));
        group.ifPresent(gid -> requireId("tap " + name + ": group gid", gid));
    }

    private static void requireId(String what, int id) {
        if (id < 0) {
            throw new IllegalArgumentException(what + " " + id + " is negative");
        }
    }

    /** A TAP device attached to nothing, owned by root. */
    public static Tap named(String name) {
        return new Tap(name, Optional.empty(), TapMode.TAP, OptionalInt.empty(), OptionalInt.empty());
    }

    /** A TAP device that is a port of switch {@code switchName}. */
    public static Tap on(String name, String switchName) {
        return named(name).withBridge(switchName);
    }

    public Tap withBridge(String switchName) {
        return new Tap(name, Optional.of(switchName), mode, owner, group);
    }

    public Tap withMode(TapMode newMode) {
        return new Tap(name, bridge, newMode, owner, group);
    }

    public Tap withOwner(int uid) {
        return new Tap(name, bridge, mode, OptionalInt.of(uid), group);
    }

    public Tap withGroup(int gid) {
        return new Tap(name, bridge, mode, owner, OptionalInt.of(gid));
    }
}
