package dev.switchboard.lab.spec;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An Open vSwitch bridge. In YAML:
 * {@code s1: {kind: ovs, protocols: [OpenFlow13], failMode: secure, controller: "tcp:127.0.0.1:6653", datapathId: "0000000000000001", stp: false}}.
 *
 * @param name       the switch name
 * @param protocols  the OpenFlow versions it offers, at least one (default {@link #DEFAULT_PROTOCOLS})
 * @param failMode   as written; when absent see {@link #effectiveFailMode()}
 * @param controller where it connects; absent means none: it runs standalone (normal learning)
 * @param datapathId its datapath id, an unsigned non-zero 64-bit value; absent lets OVS choose
 * @param stp        whether the bridge runs STP (default false)
 */
public record OvsSwitch(String name, List<OpenFlowVersion> protocols, Optional<FailMode> failMode,
                        Optional<ControllerTarget> controller, OptionalLong datapathId, boolean stp) implements Switch {

    /** The protocols of a switch that names none. */
    public static final List<OpenFlowVersion> DEFAULT_PROTOCOLS = List.of(OpenFlowVersion.OF13);

    public OvsSwitch {
        LabNames.checkNodeName(name);
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("switch " + name + " needs at least one OpenFlow version");
        }
        if (new HashSet<>(protocols).size() != protocols.size()) {
            throw new IllegalArgumentException("switch " + name + " lists an OpenFlow version twice: " + protocols);
        }
        Objects.requireNonNull(failMode, "failMode");
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(datapathId, "datapathId");
        if (datapathId.isPresent() && datapathId.getAsLong() == 0) {
            throw new IllegalArgumentException("switch " + name + ": datapath id 0 is not allowed");
        }
    }

    /** A standalone switch with the default protocols, no controller, no fixed datapath id, no STP. */
    public static OvsSwitch named(String name) {
        return new OvsSwitch(name, DEFAULT_PROTOCOLS, Optional.empty(), Optional.empty(), OptionalLong.empty(), false);
    }

    /**
     * The fail mode OVS is given: the one written, else {@link FailMode#SECURE} with a
     * controller (as Mininet's OVSSwitch) and {@link FailMode#STANDALONE} without one.
     */
    public FailMode effectiveFailMode() {
        return failMode.orElse(controller.isPresent() ? FailMode.SECURE : FailMode.STANDALONE);
    }

    /** The datapath id as OVS's {@code other-config:datapath-id} takes it: 16 lower-case hex digits. */
    public Optional<String> datapathIdHex() {
        return datapathId.isPresent() ? Optional.of(formatDatapathId(datapathId.getAsLong())) : Optional.empty();
    }

    public OvsSwitch withProtocols(List<OpenFlowVersion> newProtocols) {
        return new OvsSwitch(name, newProtocols, failMode, controller, datapathId, stp);
    }

    public OvsSwitch withFailMode(FailMode newFailMode) {
        return new OvsSwitch(name, protocols, Optional.of(newFailMode), controller, datapathId, stp);
    }

    public OvsSwitch withController(ControllerTarget target) {
        return new OvsSwitch(name, protocols, failMode, Optional.of(target), datapathId, stp);
    }

    public OvsSwitch withDatapathId(long id) {
        return new OvsSwitch(name, protocols, failMode, controller, OptionalLong.of(id), stp);
    }

    public OvsSwitch withStp(boolean newStp) {
        return new OvsSwitch(name, protocols, failMode, controller, datapathId, newStp);
    }

    @Override
    public SwitchKind kind() {
        return SwitchKind.OVS;
    }

    @Override
    public boolean floodsWithoutLoopProtection() {
        return controller.isEmpty() && effectiveFailMode() == FailMode.STANDALONE && !stp;
    }

    /**
     * Parses a datapath id: 1..16 hex digits, optionally after {@code 0x}, or eight
     * colon-separated hex bytes ({@code 00:00:00:00:00:00:00:01}); not zero.
     *
     * @throws IllegalArgumentException quoting {@code text}
     */
    public static long parseDatapathId(String text) {
        String hex = text.strip();
        if (hex.matches("(\\p{XDigit}{2}:){7}\\p{XDigit}{2}")) {
            hex = hex.replace(":", "");
        } else if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (!hex.matches("\\p{XDigit}{1,16}")) {
            throw new IllegalArgumentException("'" + text + "' is not a datapath id: 1 to 16 hex digits,"
                    + " like \"0000000000000001\"");
        }
        long value = Long.parseUnsignedLong(hex, 16);
        if (value == 0) {
            throw new IllegalArgumentException("datapath id '" + text + "' is zero");
        }
        return value;
    }

    /** 16 lower-case hex digits. */
    public static String formatDatapathId(long id) {
        return HexFormat.of().toHexDigits(id);
    }
}
