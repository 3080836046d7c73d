package dev.switchboard.lab.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a link is made; the YAML key {@code kind} takes {@link #text()}. */
public enum LinkKind {
    /** A veth pair: works between any two nodes; may carry addresses, MTU and shaping. */
    VETH("veth"),
    /** A pair of OVS patch ports: only between two {@link OvsSwitch}es, no MTU, no shaping. */
    PATCH("patch");

    private final String text;

    LinkKind(String text) {
        this.text = text;
    }

    /** The spelling in YAML. */
    public String text() {
        return text;
    }

    /** @throws IllegalArgumentException listing the valid spellings */
    public static LinkKind fromText(String text) {
        for (LinkKind kind : values()) {
            if (kind.text.equals(text)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a link kind; expected one of "
                + Arrays.stream(values()).map(LinkKind::text).collect(Collectors.joining(", ")));
    }
}
