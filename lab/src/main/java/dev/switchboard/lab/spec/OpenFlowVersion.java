package dev.switchboard.lab.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An OpenFlow version an OVS bridge may speak, spelled as OVS's {@code protocols} column spells it. */
public enum OpenFlowVersion {
    OF10("OpenFlow10"),
    OF11("OpenFlow11"),
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

    /** @throws IllegalArgumentException listing the valid spellings */
    public static OpenFlowVersion fromText(String text) {
        for (OpenFlowVersion version : values()) {
            if (version.text.equals(text)) {
                return version;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an OpenFlow version; expected one of "
                + Arrays.stream(values()).map(OpenFlowVersion::text).collect(Collectors.joining(", ")));
    }
}
