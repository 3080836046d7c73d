package dev.switchboard.lab.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An OpenFlow version an OVS bridge in a lab may speak, spelled as OVS's {@code protocols}
 * column spells it. OpenFlow 1.1 is not one: the controller does not offer it (openflowj
 * cannot build 1.1 matches), so a 1.1-only bridge could never be programmed.
 */
public enum OpenFlowVersion {
    OF10("OpenFlow10"),
    OF12("OpenFlow12"),
    OF13("OpenFlow13"),
    OF14("OpenFlow14"),
    OF15("OpenFlow15");

    private final String text;

    OpenFlowVersion(String text) {
        this.text = text;
    }

    /** The spelling in YAML and in OVS, e.g. {@code OpenFlow13}. */
    public String text() {
        return text;
    }

    private static final String UNSUPPORTED_11 = "OpenFlow11";

    /** @throws IllegalArgumentException listing the valid spellings, or saying why 1.1 is not one */
    public static OpenFlowVersion fromText(String text) {
        if (UNSUPPORTED_11.equals(text)) {
            throw new IllegalArgumentException("'" + text + "' is not supported: the controller does not offer"
                    + " OpenFlow 1.1 (openflowj cannot build 1.1 matches); use one of " + spellings());
        }
        for (OpenFlowVersion version : values()) {
            if (version.text.equals(text)) {
                return version;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an OpenFlow version; expected one of " + spellings());
    }

    private static String spellings() {
        return Arrays.stream(values()).map(OpenFlowVersion::text).collect(Collectors.joining(", "));
    }
}
