package dev.switchboard.controller.internal;

import dev.switchboard.controller.ControllerTls;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the server-side TLS context of OpenFlow over TLS from OVS-style PEM files, with the JDK's
 * TLS. Reads the key itself rather than leaving it to Netty, because keys made by older
 * {@code ovs-pki} are PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), which the JDK cannot read without
 * BouncyCastle. The OVSDB client has the same reader; the controller and the OVSDB client know
 * nothing of each other, so each keeps its own copy.
 */
final class TlsContexts {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private TlsContexts() {
    }

    /**
     * A server context that presents the controller's certificate and requires each switch to
     * present one chaining to the CA (OVS always sends its certificate when asked).
     *
     * @throws IOException naming the files and what is wrong with them
     */
    static SslContext server(ControllerTls files) throws IOException {
        try {
            return SslContextBuilder.forServer(readKey(files.privateKey()), readCertificates(files.certificate()))
                    .sslProvider(SslProvider.JDK)
                    .trustManager(readCertificates(files.caCertificate()))
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot set up OpenFlow TLS with key " + files.privateKey() + ", certificate "
                    + files.certificate() + ", CA " + files.caCertificate() + ": " + e.getMessage(), e);
        }
    }

    static PrivateKey readKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher pem = PEM.matcher(text);
        while (pem.find()) {
            String label = pem.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(pem.group(2));
            } catch (IllegalArgumentException e) {
                throw new IOException("private key " + file + ": bad base64 in " + label, e);
            }
            switch (label) {
                case "PRIVATE KEY":
                    return pkcs8(file, der);
                case "RSA PRIVATE KEY":
                    return pkcs8(file, wrapPkcs1(der));
                case "ENCRYPTED PRIVATE KEY":
                    throw new IOException("private key " + file + " is encrypted; OVS keys carry no passphrase "
                            + "(decrypt it with `openssl pkey -in KEY -out KEY.plain`)");
                case "EC PRIVATE KEY":
                    throw new IOException("private key " + file + " is a SEC1 EC key; convert it to PKCS#8 with "
                            + "`openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
                default:
                    // Not a key (say, a certificate in the same file): look further.
            }
        }
        throw new IOException("no private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) in " + file);
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Try the next algorithm: PKCS#8 names it only by OID.
            }
        }
        throw new IOException("private key " + file + " is not an RSA, EC, EdDSA or DSA key the JDK can read");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo: SEQUENCE { 0, rsaEncryption, OCTET STRING }. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.write(0x30);
        info.writeBytes(derLength(body.size()));
        info.writeBytes(body.toByteArray());
        return info.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] out = new byte[bytes + 1];
        out[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            out[bytes - i] = (byte) (length >>> (8 * i));
        }
        return out;
    }

    /** Every certificate in a PEM file; text around them (as {@code ovs-pki} writes) is skipped. */
    static X509Certificate[] readCertificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IOException("no certificate in " + file);
        }
        return certificates.toArray(new X509Certificate[0]);
    }
}
