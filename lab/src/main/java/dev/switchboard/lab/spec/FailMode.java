package dev.switchboard.lab.spec;

/**
 * What an OVS bridge does without a reachable controller (OVS's {@code fail_mode}); the
 * YAML key {@code failMode} takes {@link #text()}.
 */
public enum FailMode {
    /** Forward only by the flows a controller installed: nothing, until one connects. */
    SECURE("secure"),
    /** Fall back to normal MAC learning, as if there were no OpenFlow. */
    STANDALONE("standalone");

    private final String text;

    FailMode(String text) {
        this.text = text;
    }

    /** The spelling in YAML and in OVS. */
    public String text() {
        return text;
    }

    /** @throws IllegalArgumentException listing the valid spellings */
    public static FailMode fromText(String text) {
        for (FailMode mode : values()) {
            if (mode.text.equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a fail mode; expected secure or standalone");
    }
}
