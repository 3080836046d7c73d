package dev.switchboard.topology;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proves that a probe names the port it was really sent out of: HMAC-SHA256, under a key
 * made fresh for each controller run and never sent anywhere, over the probe's datapath id
 * and port number, truncated to {@link #LENGTH} bytes.
 *
 * <p>A nonce sent in clear would not do: every host on an edge port receives probes, could
 * copy the nonce into probes of its own naming any switch and port, and make links that do
 * not exist. With an authenticator a host can only replay the probe of the port it sits on,
 * which names that port, so at worst it repeats a true statement about its own port.
 *
 * <p>Thread-safe: each thread keeps its own {@link Mac} and buffers, so signing and checking
 * allocate nothing once a thread has used them.
 */
final class ProbeAuthenticator {
    static final int LENGTH = 16;
    private static final String ALGORITHM = "HmacSHA256";
    private static final int KEY_BYTES = 32;

    private final SecretKeySpec key;
    private final ThreadLocal<Scratch> scratch;

    private final class Scratch {
        final Mac mac;
        final byte[] input = new byte[12];
        final byte[] output;

        Scratch() {
            try {
                mac = Mac.getInstance(ALGORITHM);
                mac.init(key);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
            }
            output = new byte[mac.getMacLength()];
        }

        /** The full HMAC of (dpid, port), left in {@link #output}. */
        byte[] compute(long dpid, int port) {
            for (int i = 0; i < 8; i++) {
                input[i] = (byte) (dpid >>> (56 - 8 * i));
            }
            for (int i = 0; i < 4; i++) {
                input[8 + i] = (byte) (port >>> (24 - 8 * i));
            }
            mac.update(input);
            try {
                mac.doFinal(output, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            return output;
        }
    }

    ProbeAuthenticator(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes.clone(), ALGORITHM);
        this.scratch = ThreadLocal.withInitial(Scratch::new);
    }

    /** A new random key: one per controller run, so an earlier run's probes do not verify either. */
    static ProbeAuthenticator withRandomKey() {
        byte[] keyBytes = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(keyBytes);
        return new ProbeAuthenticator(keyBytes);
    }

    /** Writes the authenticator of (dpid, port) at {@code at}. */
    void sign(long dpid, int port, byte[] into, int at) {
        System.arraycopy(scratch.get().compute(dpid, port), 0, into, at, LENGTH);
    }

    /** Whether {@code frame} holds the authenticator of (dpid, port) at {@code at}; constant time. */
    boolean verify(long dpid, int port, byte[] frame, int at) {
        byte[] expected = scratch.get().compute(dpid, port);
        int difference = 0;
        for (int i = 0; i < LENGTH; i++) {
            difference |= expected[i] ^ frame[at + i];
        }
        return difference == 0;
    }
}
