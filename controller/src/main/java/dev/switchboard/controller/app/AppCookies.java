package dev.switchboard.controller.app;

import org.projectfloodlight.openflow.types.U64;

/**
 * The cookie layout every app's flows share: {@code 0x5342} ("SB"), then the app's number
 * ({@link SwitchboardApp#cookieNumber()}, which the app declares), then 40 bits of the app's
 * own. The controller knows no app by name: the number alone says whose a flow is.
 */
public final class AppCookies {
    public static final long SWITCHBOARD = 0x5342_0000_0000_0000L;
    /** Selects "SB" and the app number. */
    public static final long APP_MASK = 0xFFFF_FF00_0000_0000L;
    public static final long TAG_MASK = 0x0000_00FF_FFFF_FFFFL;

    private AppCookies() {
    }

    /** The cookie of the app numbered {@code number}, with the low 40 bits zero. */
    public static U64 cookie(int number) {
        return U64.of(SWITCHBOARD | ((long) checkNumber(number) << 40));
    }

    /** The cookie of {@code app}, with the low 40 bits zero. */
    public static U64 cookie(SwitchboardApp app) {
        return cookie(app.cookieNumber());
    }

    /** Whether {@code cookie} is a flow of the app numbered {@code number}, whatever its tag. */
    public static boolean isOf(U64 cookie, int number) {
        return (cookie.getValue() & APP_MASK) == cookie(number).getValue();
    }

    static int checkNumber(int number) {
        if (number < 1 || number > 0xFF) {
            throw new IllegalArgumentException("an app's cookie number is 1 to 255, not " + number);
        }
        return number;
    }
}
