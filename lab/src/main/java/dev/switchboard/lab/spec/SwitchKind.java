package dev.switchboard.lab.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a switch is made of; the YAML key {@code kind} takes {@link #text()}. */
public enum SwitchKind {
    /** An Open vSwitch bridge: OpenFlow, a controller or standalone learning. */
    OVS("ovs"),
    /** A Linux bridge: learning, optionally STP; no OpenFlow. */
    LINUX_BRIDGE("linux-bridge");

    private final String text;

    SwitchKind(String text) {
        this.text = text;
    }

    /** The spelling in YAML. */
    public String text() {
        return text;
    }

    /** @throws IllegalArgumentException listing the valid spellings */
    public static SwitchKind fromText(String text) {
        for (SwitchKind kind : values()) {
            if (kind.text.equals(text)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a switch kind; expected one of "
                + Arrays.stream(values()).map(SwitchKind::text).collect(Collectors.joining(", ")));
    }
}
