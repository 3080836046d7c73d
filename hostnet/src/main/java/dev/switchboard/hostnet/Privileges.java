package dev.switchboard.hostnet;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether this process may change host networking, read from {@code /proc/self/status}: it needs CAP_NET_ADMIN (links,
 * addresses, routes, qdiscs) and CAP_SYS_ADMIN (creating and entering namespaces), which root normally has.
 */
final class Privileges {

    static final Path SELF_STATUS = Path.of("/proc/self/status");
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;

    private final Path status;
    private volatile boolean confirmed;

    Privileges(Path status) {
        this.status = status;
    }

    /**
     * @throws InsufficientPrivilegesException saying "needs root (CAP_NET_ADMIN)" and what is missing
     */
    void require() {
        if (confirmed) {
            return;
        }
        String text;
        try {
            text = Files.readString(status);
        } catch (IOException e) {
            throw new InsufficientPrivilegesException("changing host networking needs root (CAP_NET_ADMIN), and "
                    + status + " could not be read to check: " + e.getMessage());
        }
        String uid = field(text, "Uid:");
        String[] uids = uid.trim().split("\\s+");
        String effectiveUid = uids.length > 1 ? uids[1] : uid.trim();
        String capEff = field(text, "CapEff:").trim();
        BigInteger caps = capEff.isEmpty() ? BigInteger.ZERO : new BigInteger(capEff, 16);
        List<String> missing = new ArrayList<>();
        if (!caps.testBit(CAP_NET_ADMIN)) {
            missing.add("CAP_NET_ADMIN");
        }
        if (!caps.testBit(CAP_SYS_ADMIN)) {
            missing.add("CAP_SYS_ADMIN");
        }
        if (!missing.isEmpty()) {
            throw new InsufficientPrivilegesException("changing host networking needs root (CAP_NET_ADMIN): this "
                    + "process runs with effective uid " + effectiveUid + " and lacks " + String.join(" and ", missing));
        }
        confirmed = true;
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(name.length());
            }
        }
        return "";
    }
}
