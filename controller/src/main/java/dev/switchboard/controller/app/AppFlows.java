package dev.switchboard.controller.app;

import dev.switchboard.controller.OFSwitch;
import java.util.concurrent.CompletableFuture;
import org.projectfloodlight.openflow.types.U64;

/**
 * The app's flow cookie, so {@code ovs-ofctl dump-flows} shows whose flow it is: the high
 * 16 bits are {@code 0x5342} ("SB"), the next 8 bits the app's number, and the low 40 bits
 * are the app's own to use ({@link #cookie(long)}).
 */
public interface AppFlows {

    /** The app's cookie with the low 40 bits zero. */
    U64 cookie();

    /** The app's cookie with {@code tag} (masked to 40 bits) in the low bits. */
    default U64 cookie(long tag) {
        return U64.of(cookie().getValue() | (tag & AppCookies.TAG_MASK));
    }

    /** Selects every flow of this app whatever its tag, with {@link #cookie()}. */
    default U64 cookieMask() {
        return U64.of(AppCookies.APP_MASK);
    }

    /** Deletes this app's flows from one switch; completes when the switch confirmed. */
    CompletableFuture<Void> removeAll(OFSwitch sw);

    /** Deletes this app's flows from every connected switch. */
    CompletableFuture<Void> removeAll();
}
