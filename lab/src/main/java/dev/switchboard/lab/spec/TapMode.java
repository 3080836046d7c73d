package dev.switchboard.lab.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a {@link Tap} device carries; the YAML key {@code mode} takes {@link #text()}. */
public enum TapMode {
    /** Ethernet frames: a VM's NIC, or any program that speaks Ethernet; may be a bridge port. */
    TAP("tap"),
    /** IP packets, no link layer (a VPN's device): it cannot be a bridge port. */
    TUN("tun");

    private final String text;

    TapMode(String text) {
        this.text = text;
    }

    /** The spelling in YAML. */
    public String text() {
        return text;
    }

    /** @throws IllegalArgumentException listing the valid spellings */
    public static TapMode fromText(String text) {
        for (TapMode mode : values()) {
            if (mode.text.equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a TAP mode; expected one of "
                + Arrays.stream(values()).map(TapMode::text).collect(Collectors.joining(", ")));
    }
}
