package dev.switchboard.ovsdb.jsonrpc;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The PEM files of a TLS connection, as OVS takes them ({@code --private-key}, {@code --certificate},
 * {@code --ca-cert}). Authentication is mutual: we present {@code certificate} and accept a peer
 * only if its certificate chains to {@code caCertificate}. As in OVS, host names are not checked
 * against the peer's certificate: the CA is the trust boundary.
 *
 * <p>The files are read on each connect and each listen, so replaced certificates take effect on
 * the next connection.
 *
 * @param privateKey    an unencrypted key, PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 RSA
 *                      ({@code BEGIN RSA PRIVATE KEY})
 * @param certificate   our certificate, optionally followed by its intermediate CAs
 * @param caCertificate the CA certificate(s) a peer's certificate must chain to
 */
public record TlsFiles(Path privateKey, Path certificate, Path caCertificate) {
    public TlsFiles {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(caCertificate, "caCertificate");
    }
}
