package dev.switchboard.cluster;

import java.util.Optional;
import org.projectfloodlight.openflow.types.DatapathId;

/** How datapath ids are named in znode paths: 16 lower-case hex digits, no colons. */
final class ZnodeNames {
    private ZnodeNames() {
    }

    static String of(DatapathId dpid) {
        return String.format("%016x", dpid.getLong());
    }

    /** Empty for a name this code did not write (another tool's node under the root). */
    static Optional<DatapathId> datapath(String name) {
        if (name.length() != 16) {
            return Optional.empty();
        }
        try {
            return Optional.of(DatapathId.of(Long.parseUnsignedLong(name, 16)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The last segment of a path. */
    static String leaf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
