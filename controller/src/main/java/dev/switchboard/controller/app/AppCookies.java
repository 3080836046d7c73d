package dev.switchboard.controller.app;

import java.util.Map;
import java.util.zip.CRC32;
import org.projectfloodlight.openflow.types.U64;

/**
 * The one cookie allocator: every app's flows carry {@code 0x5342} ("SB"), then the app's
 * number, then 40 bits of the app's own. Built-in apps have fixed small numbers, so a
 * cookie reads the same on every machine; any other app gets a number from 0x80 up derived
 * from its name, the same on every run.
 */
public final class AppCookies {
    public static final long SWITCHBOARD = 0x5342_0000_0000_0000L;
    /** Selects "SB" and the app number. */
    public static final long APP_MASK = 0xFFFF_FF00_0000_0000L;
    public static final long TAG_MASK = 0x0000_00FF_FFFF_FFFFL;

    private static final Map<String, Integer> BUILT_IN = Map.of(
            "normal", 0x01,
            "topology", 0x02,
            "hosts", 0x03,
            "l2-learning", 0x04,
            "forwarding", 0x05,
            "routing", 0x06);

    private AppCookies() {
    }

    /** The app's number, 1 to 255. */
    public static int number(String appName) {
        Integer fixed = BUILT_IN.get(appName);
        if (fixed != null) {
            return fixed;
        }
        CRC32 crc = new CRC32();
        crc.update(appName.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return 0x80 + (int) (crc.getValue() % 0x80);
    }

    public static U64 cookie(String appName) {
        return U64.of(SWITCHBOARD | ((long) number(appName) << 40));
    }

    /** The app a cookie names, among {@code candidates}, or null if none does. */
    public static String owner(U64 cookie, Iterable<String> candidates) {
        for (String name : candidates) {
            if ((cookie.getValue() & APP_MASK) == cookie(name).getValue()) {
                return name;
            }
        }
        return null;
    }
}
