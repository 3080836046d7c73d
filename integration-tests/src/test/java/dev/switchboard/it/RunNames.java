package dev.switchboard.it;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Names of kernel and OVS objects a test makes: a per-run prefix, so two runs never collide
 * and leftovers are easy to tell, and at most 15 characters, the kernel's limit.
 */
final class RunNames {
    static final String PREFIX = "sb" + HexFormat.of().toHexDigits((short) new SecureRandom().nextInt());

    private RunNames() {
    }

    static String name(String suffix) {
        String name = PREFIX + suffix;
        if (name.length() > 15) {
            throw new IllegalArgumentException("'" + name + "' is longer than the kernel's 15 characters");
        }
        return name;
    }
}
